# The documented entry points: `make run` and `make test` do all set-up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-lock
DEV_ENV := DEBUG=1
# Where `make run` serves: `make run PORT=8080`, `make run HOST=0.0.0.0` (a phone on the LAN).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install interop run migrate seed demo test teeth lint docs docs-check format clearsessions screenshots clean bench bench-quick cluster loadtest loadtest-short

help:
	@echo "make run     create .venv, install, migrate, load the catalog, serve on http://127.0.0.1:8000/"
	@echo "make run PORT=8080 HOST=0.0.0.0   the same on another port or address"
	@echo "make demo    add two more curricula (fixtures/sources/) to the make run database, published"
	@echo "make test    install (npm ci in tests/interop too) and run the whole test suite"
	@echo "make teeth   break each cache invalidation, rule and query pin in turn; a test must fail (docs/teeth.md)"
	@echo "make lint    ruff check, ruff format --check and the docs' strict build (make docs-check)"
	@echo "make docs    serve the manual (docs/, MkDocs) on http://127.0.0.1:8001/ as you edit it"
	@echo "make bench   measure pages against the floor under gunicorn (PostgreSQL, Redis, SQLite); see docs/performance.md"
	@echo "make bench-quick   the same, a few seconds per page"
	@echo "make bench BENCH_ARGS=--study-only   only the study session (mark, topic, /) and its floor"
	@echo "make bench BENCH_ARGS=--mark-only   only the closed-loop mark and its floor"
	@echo "make cluster nginx + 2 gunicorn + private PostgreSQL and Redis on loopback (docs/operations.md)"
	@echo "make loadtest        the load and fault suite, 60 s per scenario (docs/reliability.md)"
	@echo "make loadtest-short  the same with 10 s per scenario (CI)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@cp requirements.lock $(INSTALLED)

install: $(INSTALLED)

# The independent Node verifier's packages, from its lockfile, again when the lockfile changes
# (see docs/credentials.md, "The independent verifier"). Without npm its tests skip (and fail
# under CI).
INTEROP := tests/interop
$(INTEROP)/node_modules/.package-lock.json: $(INTEROP)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(INTEROP) && npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the Node verifier's tests ($(INTEROP)) will skip"; \
	fi

interop: $(INTEROP)/node_modules/.package-lock.json

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py loaddata catalog

run: seed
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Two more curricula for a newcomer to see, imported from fixtures/sources/ and published;
# running it again changes nothing.
demo: seed
	$(DEV_ENV) $(BIN)/python manage.py import_awesome fixtures/sources/awesome-information-theory.md --curriculum information-theory --licence CC0-1.0 --publish --verbosity 0
	$(DEV_ENV) $(BIN)/python manage.py import_awesome fixtures/sources/awesome-optimisation-statistics.md --curriculum optimisation-statistics --licence CC0-1.0 --publish --verbosity 0

# Expired sessions stay in the database until removed: run daily from cron in production,
# with the production environment (see docs/operations.md, "Sessions").
clearsessions: install
	$(BIN)/python manage.py clearsessions

screenshots: install
	MLMATH_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser/test_layout.py -k screenshots

test: install interop
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Not part of `make test`: each breakage runs a few test files in a scratch copy (docs/teeth.md).
teeth: install
	$(BIN)/python tests/teeth.py $(TEETH_ARGS)

lint: install docs-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Material for MkDocs prints its end-of-life notice (5 May 2027; Zensical succeeds it) on every
# build: known and dated in docs/contributing.md, "Writing the manual", so the builds here leave it out.
DOCS_ENV := NO_MKDOCS_2_WARNING=1

docs: install
	$(DOCS_ENV) $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8001

# A broken link or anchor, a page missing from the nav, or a missing snippet fails the build.
docs-check: install
	$(DOCS_ENV) $(BIN)/mkdocs build --strict --quiet

# Not part of `make test`: the benchmark starts servers and takes minutes (docs/performance.md).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A private, loopback-only deployment; stops by itself after CLUSTER_MINUTES or on Ctrl-C.
CLUSTER_MINUTES ?= 30
cluster: install
	$(BIN)/python -m deploy.cluster --minutes $(CLUSTER_MINUTES)

loadtest: install
	$(BIN)/python -m deploy.loadtest $(LOADTEST_ARGS)

loadtest-short: install
	$(BIN)/python -m deploy.loadtest --short $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles site .pytest_cache $(INTEROP)/node_modules
