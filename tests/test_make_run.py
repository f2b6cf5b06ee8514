"""`make run` serves where it is told (PORT, HOST), and git ignores SQLite's side files."""

import shutil
import subprocess

import pytest

from tests.conftest import skip_or_fail
from tests.processes import PROJECT_DIR


def make_run_command(*arguments):
    """The runserver line `make run` would run (a dry run: nothing is installed or served)."""
    if shutil.which("make") is None:
        skip_or_fail("needs make")
    result = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "run", *arguments],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    [line] = [line for line in result.stdout.splitlines() if "runserver" in line]
    return line


def test_make_run_serves_on_the_loopback_port_8000_by_default():
    assert make_run_command().endswith("manage.py runserver 127.0.0.1:8000")


def test_make_run_takes_a_port_and_a_host():
    assert make_run_command("PORT=8123").endswith("manage.py runserver 127.0.0.1:8123")
    assert make_run_command("PORT=9000", "HOST=0.0.0.0").endswith(
        "manage.py runserver 0.0.0.0:9000"
    )


@pytest.mark.parametrize(
    "name", ["db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "db.sqlite3-journal"]
)
def test_git_ignores_the_sqlite_database_and_its_write_ahead_log(name):
    if shutil.which("git") is None or not (PROJECT_DIR / ".git").exists():
        skip_or_fail("needs git and a git checkout")
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", name], cwd=PROJECT_DIR, timeout=30
    )
    assert ignored.returncode == 0, f"{name} is not ignored"
