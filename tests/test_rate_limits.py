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
# and version tokens in the shared cache, well past the bound the test gives it (300 rows).
BURST_LEARNERS = 200
SHARED_CACHE_BOUND = 300

EMBEDDED_CACHES = """
import json
from mlmath import settings
print(json.dumps({alias: settings.CACHES[alias] for alias in ("default", "ratelimits")}))
"""


@pytest.fixture
def embedded_caches(settings):
    """The shared cache and the rate limits' cache as production has them without REDIS_URL,
    the shared one bounded small enough for a burst to cull it, with their tables, as `migrate`
    creates them (this run may have Redis)."""
    result = run_python(
        ["-c", EMBEDDED_CACHES],
        SECRET_KEY=production_secret_key(),
        SHARED_CACHE_MAX_ENTRIES=str(SHARED_CACHE_BOUND),
    )
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

        # The burst did fill the shared cache past its bound (checked before each write): it was
        # culled, where its learners' sessions and tokens alone would be twice as many rows.
        assert rows_in(caches["default"]._table) <= SHARED_CACHE_BOUND + 1
        # The limit is 5 failures per 5 minutes per account: the 6th guess is refused.
        assert before_the_burst + after_the_burst == [False] * 5 + [True] * 3
        # Sessions lost nothing either: the cache only copies them from the database.
        assert burst[0].get("/progress/").status_code == 200


SCHOOL = "198.51.100.7"  # one address in front of a whole classroom (NAT)
ELSEWHERE = "203.0.113.9"
CLASS_SIZE = 50
IN_ONE_MINUTE = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


def sign_in(client, username, password=factories.PASSWORD, address=SCHOOL):
    """One sign-in from `address`: whether it signed the learner in, and the page's words."""
    response = client.post(
        "/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=address
    )
    assert response.status_code in {200, 302, 429}, response.status_code
    return response.status_code == 302, text(response) if response.status_code != 302 else ""


@pytest.mark.django_db
def test_a_whole_class_signs_in_together_from_one_address(fresh_rate_limits, make_learner):
    """allauth's default of 30 sign-ins a minute per address refused the 31st of a class."""
    learners = [make_learner(f"pupil{number:02d}") for number in range(CLASS_SIZE + 10)]
    with time_machine.travel(IN_ONE_MINUTE, tick=False):
        signed_in = [sign_in(Client(), learner.username)[0] for learner in learners]
    assert signed_in == [True] * len(learners)


@pytest.mark.django_db
def test_sign_ins_from_one_address_are_still_bounded(fresh_rate_limits, make_learner):
    """300 sign-in attempts a minute per address: a flood past that is refused (429)."""
    make_learner("ada")
    client = Client()
    with time_machine.travel(IN_ONE_MINUTE, tick=False):
        statuses = [
            client.post("/accounts/login/", {}, REMOTE_ADDR=SCHOOL).status_code for _ in range(300)
        ]
        assert set(statuses) == {200}  # each one an empty form, answered with its errors
        assert client.post("/accounts/login/", {}, REMOTE_ADDR=SCHOOL).status_code == 429
        assert sign_in(Client(), "ada", address=ELSEWHERE)[0]  # other addresses go on


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_address(fresh_rate_limits, make_learner):
    """10 failures a minute from one address, whatever the accounts: then even a right
    password from that address waits for the minute to pass; other addresses do not."""
    learners = [make_learner(f"pupil{number:02d}") for number in range(11)]
    with time_machine.travel(IN_ONE_MINUTE, tick=False):
        failures = [sign_in(Client(), learner.username, "wrong")[1] for learner in learners[:10]]
        assert not [words for words in failures if LIMITED in words]
        refused, words = sign_in(Client(), learners[10].username)
        assert not refused
        assert LIMITED in words
        assert sign_in(Client(), learners[10].username, address=ELSEWHERE)[0]
    with time_machine.travel(IN_ONE_MINUTE.replace(minute=2), tick=False):
        assert sign_in(Client(), learners[10].username)[0]


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_account_from_any_address(fresh_rate_limits, make_learner):
    """5 failures per account in 5 minutes, from however many addresses: then even the right
    password is refused until the window passes."""
    make_learner("ada")
    addresses = [f"192.0.2.{number}" for number in range(1, 6)]
    with time_machine.travel(IN_ONE_MINUTE, tick=False):
        for address in addresses:
            assert LIMITED not in sign_in(Client(), "ada", "wrong", address=address)[1]
        refused, words = sign_in(Client(), "ada", address=ELSEWHERE)
        assert not refused
        assert LIMITED in words
    with time_machine.travel(IN_ONE_MINUTE.replace(minute=6), tick=False):
        assert sign_in(Client(), "ada", address=ELSEWHERE)[0]
