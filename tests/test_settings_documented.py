"""Every setting read from the environment is in `.env.example`, with its default and what it
does, and the file names no setting that nothing reads: the one place an operator looks."""

import ast
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = PROJECT_DIR / ".env.example"
# The code that runs in production: the apps, the project, and gunicorn's configuration.
PRODUCTION_CODE = ["mlmath", "catalog", "progress", "accounts", "badges", "deploy/gunicorn.conf.py"]
# Functions that read the variable named by their first argument (`mlmath.settings`' helpers).
READERS = {"env_bool", "env_list", "getenv"}
VARIABLE_LINE = re.compile(r"^(?P<name>[A-Z][A-Z0-9_]*)=")


def python_files(paths):
    for path in paths:
        path = PROJECT_DIR / path
        yield from [path] if path.is_file() else sorted(path.rglob("*.py"))


def is_os_environ(node):
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def first_string(arguments):
    if arguments and isinstance(arguments[0], ast.Constant) and isinstance(arguments[0].value, str):
        return arguments[0].value
    return None


def variables_read(source):
    """The environment variables a module reads: `os.environ.get("X")`, `os.environ["X"]`,
    `os.getenv("X")`, `env_bool("X")`, `env_list("X")`, and dj-database-url's `DATABASE_URL`."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and is_os_environ(node.value):
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute) and function.attr == "get":
                if is_os_environ(function.value):
                    names.add(first_string(node.args))
            elif isinstance(function, ast.Attribute) and function.attr == "config":
                if isinstance(function.value, ast.Name) and function.value.id == "dj_database_url":
                    env = {keyword.arg: keyword.value for keyword in node.keywords}.get("env")
                    names.add(env.value if isinstance(env, ast.Constant) else "DATABASE_URL")
            else:
                name = getattr(function, "attr", None) or getattr(function, "id", None)
                if name in READERS:
                    names.add(first_string(node.args))
    names.discard(None)
    return names


def production_variables():
    names = set()
    for path in python_files(PRODUCTION_CODE):
        names |= variables_read(path.read_text())
    return names


def documented_variables():
    """{name: the comment lines right above it} for each `NAME=` line of `.env.example`."""
    documented, comment = {}, []
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.startswith("#"):
            comment.append(line.lstrip("# "))
        elif match := VARIABLE_LINE.match(line):
            documented[match["name"]] = comment
            comment = []
        else:
            comment = []
    return documented


def test_the_scanner_finds_every_kind_of_read():
    source = """
import os
import dj_database_url
DEBUG = env_bool("DEBUG")
HOSTS = env_list("ALLOWED_HOSTS", "")
KEY = os.environ.get("SECRET_KEY", "")
URL = os.environ["REDIS_URL"]
LEVEL = os.getenv("LOG_LEVEL")
DATABASES = {"default": dj_database_url.config(default="sqlite://")}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlmath.settings")
"""
    assert variables_read(source) == {
        "DEBUG",
        "ALLOWED_HOSTS",
        "SECRET_KEY",
        "REDIS_URL",
        "LOG_LEVEL",
        "DATABASE_URL",
    }


def test_the_production_code_reads_the_settings_it_is_known_for():
    read = production_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "LEARNER_PAGE_CACHE_MAX_ENTRIES", "GUNICORN_BIND"} <= read


def test_every_setting_read_from_the_environment_is_in_env_example():
    undocumented = production_variables() - set(documented_variables())
    assert not undocumented, f"Add these to .env.example, with their default: {undocumented}"


def test_env_example_names_no_setting_that_nothing_reads():
    unread = set(documented_variables()) - production_variables()
    assert not unread, f".env.example names settings the code no longer reads: {unread}"


def test_every_setting_in_env_example_says_what_it_does_and_its_default():
    for name, comment in documented_variables().items():
        assert comment, f"{name} has no comment above it in .env.example"
        assert any(line.startswith("Default:") or " Default:" in line for line in comment), (
            f"{name}'s comment in .env.example does not give its default"
        )
