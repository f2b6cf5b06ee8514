# The documented entry points: `make run` and `make test` do all set-up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-lock
DEV_ENV := DEBUG=1

.PHONY: help install run migrate seed test lint format check-deploy clean bench bench-quick

help:
	@echo "make run     create .venv, install, migrate, load the catalog, serve on http://127.0.0.1:8000/"
	@echo "make test    install and run the whole test suite"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make bench   measure pages against the floor under gunicorn (PostgreSQL, Redis, SQLite); see docs/performance.md"
	@echo "make bench-quick   the same, a few seconds per page"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@cp requirements.lock $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py loaddata catalog

run: seed
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Not part of `make test`: the benchmark starts servers and takes minutes (docs/performance.md).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
