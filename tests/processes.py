"""Run the real app in other processes: against the test database (as gunicorn's workers are),
or with only the environment production starts with (to read its settings)."""

import json
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import redis
from django.conf import settings
from django.db import connection


def unused_port(first, last):
    """A loopback port in `first`..`last` with nothing listening on it, tried in random order:
    two test runs at once (CI's two passes) would otherwise both take the first free one."""
    for port in random.sample(range(first, last + 1), last + 1 - first):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise AssertionError(f"no free port in {first}-{last}")


def database_url_for_other_processes(tmp_path):
    """A DATABASE_URL at which other processes see what this test has committed.

    SQLite's test database lives in this process's memory, so it is copied to a file;
    PostgreSQL's test database is shared as it is. Use with a transactional test.
    """
    if connection.vendor == "sqlite":
        database_file = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database_file)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{database_file}"
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )


def app_process_env(database_url, **environment):
    return {
        "PATH": os.environ.get("PATH", ""),
        # The real settings with plain static files and a throwaway key (tests/settings.py).
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
        **environment,
    }


def start_app_process(script, *arguments, database_url, **environment):
    """Start `python -c script arguments...` with Django's settings for `database_url`."""
    return subprocess.Popen(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{script}", *arguments],
        cwd=settings.BASE_DIR,
        env=app_process_env(database_url, **environment),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_app_process(script, *arguments, database_url, **environment):
    """Run it to the end; return its standard output, failing the test if it failed."""
    process = start_app_process(script, *arguments, database_url=database_url, **environment)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return stdout


class PrivateRedis:
    """A redis-server of our own, on loopback, without persistence, that tests may kill or
    pause."""

    def __init__(self, executable, port):
        self.executable, self.port, self.process = executable, port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        probe = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(100):  # until it accepts connections
            try:
                probe.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server did not start on port {self.port}")

    def pause(self):
        """Stall it, as a busy or swapping host does: connections stay open, nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused process cannot die on its own
            self.process.kill()
            self.process.wait(timeout=10)


class AppServer:
    """gunicorn serving the app on a loopback port, one sync worker, as production runs it."""

    def __init__(self, port, database_url, **environment):
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--worker-class", "sync", "--timeout", "120", "mlmath.wsgi"],
            cwd=settings.BASE_DIR,
            env=app_process_env(database_url, ALLOWED_HOSTS="127.0.0.1", **environment),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.process.stderr.read()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"gunicorn did not listen on port {port}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process.stderr.close()


PROJECT_DIR = settings.BASE_DIR

# Printed by a fresh interpreter that imports the real settings module under a given environment.
DUMP_SETTINGS = """
import json
from mlmath import settings as s
database = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "ENGINE": database["ENGINE"],
    "NAME": database["NAME"],
    "HOST": database.get("HOST", ""),
    "CONN_MAX_AGE": database["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": database["CONN_HEALTH_CHECKS"],
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
    "MIDDLEWARE": s.MIDDLEWARE,
    "ALLAUTH_TRUSTED_PROXY_COUNT": s.ALLAUTH_TRUSTED_PROXY_COUNT,
}))
"""


def production_secret_key():
    return secrets.token_urlsafe(50)


def run_python(args, timeout=60, **environment):
    """Run the project's Python with only these variables set (plus PATH), from the project."""
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "mlmath.settings"}
    env.update(environment)
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def settings_under(**environment):
    result = run_python(["-c", DUMP_SETTINGS], **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
