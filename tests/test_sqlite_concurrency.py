"""The embedded default, SQLite, holds several worker processes writing to one file at once.

Each writer is a separate Python process with the real settings (as gunicorn's workers are),
pointed at a file database copied from the migrated test database, marking resources through
real requests at the same moment as the others.
"""

import json
import sqlite3

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from catalog.models import Resource
from progress.models import Activity, ResourceProgress
from tests.processes import database_url_for_other_processes, start_app_process

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 4
ROUNDS = 3
STATUSES = ["in_progress", "completed", "known"]

# One gunicorn worker, in effect: signs its learner in and marks every resource in turn,
# starting when the go-file appears so that all writers overlap.
WRITER = """
import json, os, sys, time
from django.contrib.auth import get_user_model
from django.test import Client
username, slugs, statuses, rounds, go_file = sys.argv[1], sys.argv[2].split(","), \\
    sys.argv[3].split(","), int(sys.argv[4]), sys.argv[5]
client = Client()
client.force_login(get_user_model().objects.get(username=username))
while not os.path.exists(go_file):
    time.sleep(0.01)
answers = []
for round in range(rounds):
    for slug in slugs:
        response = client.post(f"/progress/resources/{slug}/status/",
                               {"status": statuses[round % len(statuses)]})
        answers.append(response.status_code)
print(json.dumps(answers))
"""


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("exercises the SQLite settings; this run uses " + connection.vendor)


def test_concurrent_writers_on_one_sqlite_file_are_never_locked_out(sqlite_only, tmp_path):
    call_command("loaddata", "catalog", verbosity=0)
    usernames = [f"writer{n}" for n in range(WRITERS)]
    for username in usernames:
        get_user_model().objects.create_user(username=username, password="x-unused-x")
    slugs = list(Resource.objects.published().order_by("pk").values_list("slug", flat=True)[:8])
    database_url = database_url_for_other_processes(tmp_path)

    go_file = tmp_path / "go"
    arguments = [",".join(slugs), ",".join(STATUSES), str(ROUNDS), str(go_file)]
    writers = [
        start_app_process(WRITER, username, *arguments, database_url=database_url)
        for username in usernames
    ]
    go_file.touch()
    outputs = [writer.communicate(timeout=300) for writer in writers]

    for writer, (stdout, stderr) in zip(writers, outputs, strict=True):
        assert "database is locked" not in stderr
        assert writer.returncode == 0, stderr
        assert set(json.loads(stdout)) == {302}

    final_status = STATUSES[(ROUNDS - 1) % len(STATUSES)]
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as written:
        assert written.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        rows = written.execute(
            f"SELECT status, COUNT(*) FROM {ResourceProgress._meta.db_table} GROUP BY status"
        ).fetchall()
        activities = written.execute(f"SELECT COUNT(*) FROM {Activity._meta.db_table}")
        # Every change by every writer is there exactly once: one row per learner and
        # resource in its last state, one activity per change.
        assert rows == [(final_status, WRITERS * len(slugs))]
        assert activities.fetchone() == (WRITERS * len(slugs) * ROUNDS,)
