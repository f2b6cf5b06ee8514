"""Shared fixtures: learners and curators with their signed-in clients, HTMX request headers,
the seed catalog, and the gates for tests that need a real component. Rows are made with the
recipes in tests/factories.py.

A test that needs something real this machine may lack (PostgreSQL, Redis, Chromium, nginx...)
calls `skip_or_fail(reason)` when it is missing: locally the test skips with the reason, under
CI (`CI` set) it fails, so a CI run never passes by skipping what it was meant to test.
"""

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from badges.signing import generate_private_key_pem
from tests import factories


def skip_or_fail(reason):
    """Skip the test because a real component is missing; fail instead when `CI` is set."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but this test cannot run: {reason}")
    pytest.skip(reason)


# `MLMATH_TEST_CLOCK="2026-12-31T23:59:59 Pacific/Kiritimati"` runs the whole session from that
# moment, in that zone (the process's TZ too), the clock ticking on, as CI's SQLite pass does: a
# test that reads the real date or hour instead of freezing one (`frozen_at`) fails there, not
# on the night it happens to cross midnight. The clock moves with time-machine, in this process
# (the app, the test client, live servers' threads), not with libfaketime's LD_PRELOAD, which
# would also reach other processes but, tried here, kept redis-server from starting ("recursive
# calls to clock_gettime"), made `time.sleep` fail with EINVAL unless monotonic clocks move
# too, and Chromium's tests failed under it. The processes tests start (gunicorn, Redis,
# Chromium, the Open Badges validator) keep the real clock; a test whose outcome depends on
# theirs freezes its own rows at a moment in the past (tests/badges/test_ob2_validator.py).
TEST_CLOCK_VARIABLE = "MLMATH_TEST_CLOCK"


def clock_start(value):
    """The aware moment that `MLMATH_TEST_CLOCK` names: ISO date and time, then a zone."""
    moment, _, zone = value.strip().partition(" ")
    return datetime.datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone or "UTC"))


def pytest_configure(config):
    value = os.environ.get(TEST_CLOCK_VARIABLE)
    if value:
        config.test_clock = time_machine.travel(clock_start(value), tick=True)
        config.test_clock.start()


def pytest_unconfigure(config):
    if getattr(config, "test_clock", None):
        config.test_clock.stop()


def pytest_report_header(config):
    if getattr(config, "test_clock", None):
        return f"{TEST_CLOCK_VARIABLE}: the clock starts at {datetime.datetime.now().astimezone()}"
    return None


def flushes_the_database(item):
    marker = item.get_closest_marker("django_db")
    transaction = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    fixtures = getattr(item, "fixturenames", ())
    return transaction or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.fixturenames.insert(0, "_require_postgres")
    # Tests that flush the database (live servers, transactions) run last, as pytest-django
    # orders them, even after the browser plugin has regrouped the items: the flush removes
    # what data migrations made (the Curators group) for every test after it.
    items.sort(key=flushes_the_database)


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """`@pytest.mark.frozen_at(moment)` runs the test at `moment` (an aware datetime) with the
    clock stopped, its function-scoped fixtures included (a decorator would start the clock
    only after the fixtures had made their rows at the real time). `tick=True` lets it run on
    from there, for a test that needs time to pass. Any test whose outcome depends on the date,
    the hour or a day boundary is frozen so; CI also runs the whole suite under an odd clock
    (`.ci/run`) to find any that is not."""
    marker = request.node.get_closest_marker("frozen_at")
    if marker is None:
        yield
        return
    with time_machine.travel(*marker.args, tick=marker.kwargs.get("tick", False)):
        yield


@pytest.fixture
def _require_postgres():
    # The SQLite pass of CI skips these; only the PostgreSQL pass (MLMATH_REQUIRE_POSTGRES=1)
    # must run them.
    if connection.vendor == "postgresql":
        return
    reason = "needs PostgreSQL: set DATABASE_URL=postgres://... to run it"
    if os.environ.get("MLMATH_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"MLMATH_REQUIRE_POSTGRES=1 but the database is {connection.vendor}; {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_url():
    """The Redis this run uses (`REDIS_URL`). Skipped without one, except in CI's PostgreSQL
    pass (`MLMATH_REQUIRE_POSTGRES=1`), which always has Redis and must run these tests."""
    url = os.environ.get("REDIS_URL")
    if not url:
        reason = (
            "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/<db> (the PostgreSQL CI pass does)"
        )
        if os.environ.get("MLMATH_REQUIRE_POSTGRES") == "1":
            skip_or_fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture
def make_learner(db):
    """`make_learner("grace")`: another learner, with the password `factories.PASSWORD`."""
    return factories.make_learner


@pytest.fixture
def learner(make_learner):
    return make_learner("ada")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def curator(make_learner):
    """A staff user in the Curators group, curator of the default curriculum, and nothing more."""
    user = make_learner("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    factories.default_curriculum().curators.add(user)
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def fresh_rate_limits(db):
    """Sign-in rate limits (kept in their own cache) start empty, whatever ran before."""
    caches["ratelimits"].clear()


@pytest.fixture
def hx():
    """Headers of an HTMX request: `client.post(url, **hx())`, or `**hx(current_url=...)`."""

    def headers(**hx_headers):
        return {
            "HTTP_HX_REQUEST": "true",
            **{f"HTTP_HX_{name.upper()}": value for name, value in hx_headers.items()},
        }

    return headers


@pytest.fixture
def seed_catalog(db):
    """The real seed fixture, loaded the way curators load it."""
    call_command("loaddata", "catalog", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _badge_signing_keys(tmp_path_factory):
    """Badge credentials are signed with a key generated into a temporary directory."""
    from django.test import override_settings

    from badges.did import generate_did_key_pem

    key_dir = tmp_path_factory.mktemp("badge-keys")
    key_file = key_dir / "badges-signing-keys.pem"
    key_file.write_text(generate_private_key_pem(), encoding="ascii")
    did_key_file = key_dir / "badges-did-keys.pem"
    did_key_file.write_text(generate_did_key_pem(), encoding="ascii")
    with override_settings(
        BADGES_SIGNING_KEY="",
        BADGES_SIGNING_KEY_FILE=str(key_file),
        BADGES_DID_KEY="",
        BADGES_DID_KEY_FILE=str(did_key_file),
    ):
        yield key_file


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    """Each test starts with no cached pages: rolling a test's database back is a catalog change
    that sends no signal, so the version key is forgotten along with the local fragments."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    from mlmath import versions

    # The database cache is rolled back with the test; Redis and local memory are not.
    if not isinstance(caches["default"], DatabaseCache):
        caches["default"].delete(versions.CATALOG)
    versions.forget()
    caches["local"].clear()
    caches["learner_pages"].clear()
