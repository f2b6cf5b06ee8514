"""With Redis, every replacement of a version token is announced to every app process, so a
request reads no token its process already knows, and nobody is served a stale page."""

import os
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from catalog.models import Topic
from mlmath import versions
from mlmath.invalidation import bump_learner
from tests.html import text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _redis_only(redis_url):
    """Every test here needs Redis (see the shared `redis_url` fixture)."""


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what follows a commit (the test's own transaction never commits): the shared token's
    replacement, which only then may other processes see."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def seed_catalog(db, committed):
    """The seed, committed as on a running site."""
    with committed():
        call_command("loaddata", "catalog", verbosity=0)


def edit_calculus(summary):
    topic = Topic.objects.get(slug="calculus")
    topic.summary = summary
    topic.save()


@pytest.fixture
def other_server():
    """Another app process's view of the tokens: its own subscription."""
    other = versions.Announcements()
    assert other.known() is not None, "the subscription was not confirmed"
    yield other
    other.close()


def stored(key):
    return caches["default"].get(key)


def test_a_replacement_reaches_another_process_without_a_read(
    seed_catalog, other_server, committed
):
    token = versions.current(versions.CATALOG)[0]
    other_server.tokens.remember(versions.CATALOG, token)
    with committed():
        edit_calculus("Announced.")
        assert other_server.known().get(versions.CATALOG) == token  # not before the commit
    new_token = stored(versions.CATALOG)
    assert new_token != token
    assert other_server.known().get(versions.CATALOG) == new_token


def test_a_learners_replacement_is_announced_too(learner, other_server, committed):
    key = versions.learner_key(learner.pk)
    caches["default"].set(key, "before", timeout=None)
    other_server.tokens.remember(key, "before")
    with committed():
        bump_learner(learner.pk)
    assert stored(key) != "before"
    assert other_server.known().get(key) == stored(key)


def test_a_process_that_lost_its_connection_forgets_what_it_knew(
    seed_catalog, other_server, committed
):
    other_server.tokens.remember(versions.CATALOG, versions.current(versions.CATALOG)[0])
    other_server.pubsub.connection.disconnect()
    with committed():
        edit_calculus("Said while it was away.")
    known = other_server.known()
    assert known is None or known.get(versions.CATALOG) is None  # so it reads the token again


def test_a_lost_announcement_is_corrected_when_the_version_is_read_again(seed_catalog, settings):
    """An app process trusts a version it knows for `VERSION_REREAD_SECONDS`, then reads it
    again: a replacement whose announcement never reached it shows after that at the latest."""
    settings.VERSION_REREAD_SECONDS = 10
    client = Client()
    with mock.patch("mlmath.versions.monotonic", return_value=1000.0) as clock:
        assert "Announced to nobody." not in summary(client.get("/topics/calculus/"))
        # Another process changes the topic and replaces the version, but the announcement
        # is lost on the way to this one.
        with mock.patch("mlmath.versions.bump"):
            edit_calculus("Announced to nobody.")
        caches["default"].set(versions.CATALOG, "replaced-elsewhere", timeout=None)

        clock.return_value = 1009.9
        with mock.patch.object(caches["default"], "get", side_effect=AssertionError("a read")):
            assert "Announced to nobody." not in summary(client.get("/topics/calculus/"))
        clock.return_value = 1010.0
        assert "Announced to nobody." in summary(client.get("/topics/calculus/"))


def summary(response):
    assert response.status_code == 200
    return text(response)


def test_a_visitors_page_costs_no_round_trip_once_the_version_is_known(seed_catalog, committed):
    client = Client()
    client.get("/topics/calculus/")
    with mock.patch.object(caches["default"], "get", side_effect=AssertionError("a read")):
        response = client.get("/topics/calculus/")
    assert response.status_code == 200
    with committed():
        edit_calculus("Fresh at once.")
    with mock.patch.object(caches["default"], "get", side_effect=AssertionError("a read")):
        assert "Fresh at once." in client.get("/topics/calculus/").content.decode()


def test_a_forked_worker_subscribes_on_its_own(seed_catalog):
    versions.current(versions.CATALOG)
    parent_subscription = versions.announcements.pubsub
    with mock.patch("os.getpid", return_value=os.getpid() + 1):
        assert versions.announcements.known() is not None
        assert versions.announcements.pubsub is not parent_subscription


def test_another_shared_cache_is_listened_to_on_its_own(seed_catalog, settings):
    versions.current(versions.CATALOG)
    first_subscription = versions.announcements.pubsub
    caches_setting = {**settings.CACHES}
    caches_setting["default"] = {**caches_setting["default"], "KEY_PREFIX": "elsewhere"}
    settings.CACHES = caches_setting
    assert versions.announcements.known() is not None
    assert versions.announcements.pubsub is not first_subscription
    assert versions.announcements.channel == caches["default"].announcements_channel
