"""allauth's rate limits live in a cache of their own, where no amount of page traffic can evict
them: on the embedded default (database caches) the shared cache culls a third of its rows
once it holds 300, and the rate limits' keys would go first."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests import factories
from tests.html import text
from tests.processes import production_secret_key, run_python

LIMITED = "Too many failed login attempts"
# The number of learners who sign in and open a page between two guesses: each leaves a session
# and a version token in the shared cache, so 400 entries, well past its 300.
BURST_LEARNERS = 200

EMBEDDED_CACHES = """
import json
from mlmath import settings
print(json.dumps({alias: settings.CACHES[alias] for alias in ("default", "ratelimits")}))
"""


@pytest.fixture
def embedded_caches(settings):
    """The shared cache and the rate limits' cache as production has them without REDIS_URL,
    with their tables, as `migrate` creates them (this run may have Redis)."""
    result = run_python(["-c", EMBEDDED_CACHES], SECRET_KEY=production_secret_key())
    assert result.returncode == 0, result.stderr
    settings.CACHES = {**settings.CACHES, **json.loads(result.stdout)}
    call_command("createcachetable", verbosity=0)
    caches["ratelimits"].clear()


def guess(client):
    response = client.post("/accounts/login/", {"login": "ada", "password": "wrong"})
    assert response.status_code in {200, 429}
    return LIMITED in text(response)


def page_views_by_new_learners(count):
    """`count` learners sign in and open the catalog; the clients, still signed in."""
    clients = []
    for number in range(count):
        client = Client()
        client.force_login(factories.make_learner(f"burst{number:03d}"))
        assert client.get("/").status_code == 200
        clients.append(client)
    return clients


def rows_in(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_burst_of_page_views_between_guesses_does_not_reset_the_sign_in_limit(
    embedded_caches, make_learner
):
    make_learner("ada")
    attacker = Client()

    with time_machine.travel(datetime(2026, 3, 11, 14, 30, tzinfo=UTC), tick=False):
        before_the_burst = [guess(attacker) for _ in range(3)]
        burst = page_views_by_new_learners(BURST_LEARNERS)
        after_the_burst = [guess(attacker) for _ in range(5)]

        # The burst did fill the shared cache past its bound: it was culled.
        assert rows_in(caches["default"]._table) < 2 * BURST_LEARNERS
        # The limit is 5 failures per 5 minutes per account: the 6th guess is refused.
        assert before_the_burst + after_the_burst == [False] * 5 + [True] * 3
        # Sessions lost nothing either: the cache only copies them from the database.
        assert burst[0].get("/progress/").status_code == 200
