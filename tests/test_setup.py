"""Django's own set-up commands are enough: on a brand-new database, `manage.py migrate`,
`manage.py loaddata catalog` and `manage.py import_awesome`, then a real server (gunicorn with
deploy/gunicorn.conf.py) serves the catalog. Each step runs in its own process, with only the
environment a new user would have: no REDIS_URL, so every cache the database holds is used.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.factories import SEED_TOPICS
from tests.html import elements, parsed, text
from tests.processes import PROJECT_DIR, run_python, unused_port

AWESOME_LIST = PROJECT_DIR / "tests" / "catalog" / "samples" / "headings_and_lines.md"
IMPORTED_TOPICS = ["Measure theory", "Markov chains"]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def new_user_environment(database_url, **environment):
    return {
        "PATH": os.environ.get("PATH", ""),
        # The real settings with plain static files and a throwaway key; DEBUG is off.
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        **environment,
    }


def manage(*arguments, env):
    result = run_python(["manage.py", *arguments], timeout=300, **env)
    assert result.returncode == 0, f"manage.py {' '.join(arguments)}:\n{result.stderr}"
    return result.stdout


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serve_and_get(path, env):
    """Start gunicorn (one worker) on a free loopback port, GET `path`, stop it."""
    port = unused_port(18540, 18599)
    server = subprocess.Popen(
        [GUNICORN, "--config", "deploy/gunicorn.conf.py", "mlmath.wsgi"],
        cwd=PROJECT_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{server.communicate()[1]}"
            try:
                if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz within 60 s"
            time.sleep(0.2)
        return get(f"http://127.0.0.1:{port}{path}")
    finally:
        server.terminate()
        server.communicate(timeout=30)


def topic_titles(html):
    return [
        text(heading)
        for heading in elements(parsed(html), "h3")
        if (dict(heading.attributes).get("id") or "").startswith("topic-")
    ]


def set_up_and_serve(database_url):
    env = new_user_environment(database_url)
    manage("migrate", env=env)
    # Django's own tool finds no cache table missing (it prints what it would create).
    assert manage("createcachetable", "--dry-run", "--verbosity", "0", env=env) == ""
    manage("loaddata", "catalog", env=env)
    imported = manage("import_awesome", str(AWESOME_LIST), env=env)
    assert "Topics: 2 created" in imported
    return serve_and_get("/", env)


def test_migrate_alone_sets_up_a_new_sqlite_database(tmp_path):
    status, html = set_up_and_serve(f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert status == 200
    assert sorted(topic_titles(html)) == sorted(SEED_TOPICS + IMPORTED_TOPICS)


@pytest.fixture
def new_postgres_database():
    """The URL of a database created for this test on the test run's PostgreSQL server,
    dropped afterwards."""
    server = settings.DATABASES["default"]
    credentials = server["USER"] + (f":{quote(server['PASSWORD'])}" if server["PASSWORD"] else "")
    address = f"{credentials}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}"
    name = f"mlmath_setup_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"postgresql://{address}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgres://{address}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_migrate_alone_sets_up_a_new_postgresql_database(new_postgres_database):
    status, html = set_up_and_serve(new_postgres_database)

    assert status == 200
    assert sorted(topic_titles(html)) == sorted(SEED_TOPICS + IMPORTED_TOPICS)


@pytest.mark.django_db
def test_the_next_migrate_creates_the_table_of_a_database_cache_the_settings_add(settings):
    settings.CACHES = {
        **settings.CACHES,
        "added": {"BACKEND": "mlmath.cache.UpsertDatabaseCache", "LOCATION": "mlmath_cache_added"},
    }
    assert "mlmath_cache_added" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    assert "mlmath_cache_added" in connection.introspection.table_names()
