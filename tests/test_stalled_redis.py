"""A Redis that stalls while a curator edits and a learner marks: once it answers again, every
app process serves the new content within the bound (docs/caching.md, "Redis: announcements,
and faults").

Two gunicorn processes share the database and a private redis-server, which the test pauses
(SIGSTOP: connections stay open, nothing answers) while the writes go to the first process, and
resumes (SIGCONT). The test skips without redis-server, and fails instead under CI.
"""

import html
import re
import shutil
import time
import urllib.parse

import pytest
from django.core.cache import caches

from catalog.models import Resource
from deploy.client import Browser, read_form
from mlmath import versions
from tests.conftest import skip_or_fail
from tests.factories import PASSWORD
from tests.html import elements
from tests.processes import AppServer, PrivateRedis, database_url_for_other_processes, unused_port

STALENESS_BOUND = 30  # seconds after Redis answers again
STALL = 3  # seconds Redis stays paused after the writes


@pytest.fixture
def private_redis():
    executable = shutil.which("redis-server")
    if not executable:
        skip_or_fail("needs redis-server (apt-get install redis-server)")
    server = PrivateRedis(executable, unused_port(18720, 18739))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stalling_cache(private_redis, settings):
    """This process's shared cache is the private Redis."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "mlmath.cache.ForgivingRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    yield caches["default"]
    versions.forget()


@pytest.mark.django_db
def test_a_replacement_redis_did_not_take_is_made_again_once_it_answers(
    private_redis, stalling_cache, django_capture_on_commit_callbacks
):
    other_process = versions.Announcements()
    assert other_process.known() is not None, "the subscription was not confirmed"
    before = versions.current(versions.CATALOG)[0]
    other_process.tokens.remember(versions.CATALOG, before)

    private_redis.pause()
    try:
        # A request reads before it writes (its session, say). The read times out and drops its
        # connection, so the write's new connection never gets its commands to Redis.
        assert stalling_cache.get("a-session") is None
        with django_capture_on_commit_callbacks(execute=True):  # the replacement at commit
            versions.bump(versions.CATALOG)
    finally:
        private_redis.resume()

    deadline = time.monotonic() + 5
    while (heard := other_process.known().get(versions.CATALOG)) in (before, None):
        assert time.monotonic() < deadline, "the replacement was never made again"
        time.sleep(0.05)
    assert stalling_cache.get(versions.CATALOG) == heard
    other_process.close()


@pytest.fixture
def app_servers(tmp_path, private_redis, seed_catalog, learner, make_learner):
    """Two app processes (as two app servers) on one database and the private Redis, with a
    curator who may edit anything (the Curators group is gone once a test has flushed)."""
    make_learner("curator", is_staff=True, is_superuser=True)
    database_url = database_url_for_other_processes(tmp_path)
    servers = []
    try:
        for _ in range(2):
            port = unused_port(18740 + 20 * len(servers), 18759 + 20 * len(servers))
            servers.append(AppServer(port, database_url, REDIS_URL=private_redis.url))
        yield servers
    finally:
        for server in servers:
            server.stop()


def page_words(response):
    return html.unescape(re.sub(r"<[^>]+>", " ", response.body.decode()))


def card_classes(response, slug):
    (card,) = elements(response.body.decode(), "li", id=f"resource-{slug}")
    return dict(card.attributes)["class"].split()


@pytest.mark.django_db(transaction=True)
def test_after_a_stall_every_process_serves_the_writes_made_during_it(
    app_servers, private_redis, learner
):
    writer = app_servers[0]
    resource = Resource.objects.published().get(slug="keras")
    topic_path = resource.main_listing.topic.get_absolute_url()
    new_title = "Keras, edited while Redis stalled"

    curator = Browser(writer.port, timeout=60)
    assert curator.sign_in("curator", PASSWORD, "/admin/login/", "username").status == 302
    change_path = f"/admin/catalog/resource/{resource.pk}/change/"
    fields = read_form(curator.get(change_path).body, "resource_form")
    fields = [(name, new_title if name == "title" else value) for name, value in fields]
    learner_on_writer = Browser(writer.port, timeout=60)
    assert learner_on_writer.sign_in(learner.username, PASSWORD).status == 302
    # Each process has seen (and cached) the pages as they are before the writes.
    visitors = {server: Browser(server.port, timeout=60) for server in app_servers}
    learners = {}
    for server in app_servers:
        learners[server] = Browser(server.port, timeout=60)
        learners[server].cookies = dict(learner_on_writer.cookies)
    for server in app_servers:
        assert "Keras" in page_words(visitors[server].get(topic_path))
        assert "resource--completed" not in card_classes(learners[server].get(topic_path), "keras")

    private_redis.pause()
    try:
        saved = curator.request(
            "POST",
            change_path,
            body=urllib.parse.urlencode([*fields, ("_save", "Save")]).encode(),
            headers=[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", curator.origin),
                ("Referer", curator.origin + change_path),
            ],
        )
        marked = learner_on_writer.post_form(
            f"/progress/resources/{resource.slug}/status/",
            {"status": "completed", "csrfmiddlewaretoken": learner_on_writer.csrf_token},
            headers=[("HX-Request", "true")],
        )
        time.sleep(STALL)
    finally:
        private_redis.resume()
    answered_again = time.monotonic()
    assert saved.status == 302
    assert marked.status == 200

    # Seconds after Redis answered again until each process served the new content.
    staleness = {}
    while len(staleness) < 2 * len(app_servers):
        waited = time.monotonic() - answered_again
        assert waited < STALENESS_BOUND, f"still stale after {waited:.1f} s: {staleness}"
        for number, server in enumerate(app_servers):
            if ("visitor", number) not in staleness:
                visitor_page = visitors[server].get(topic_path)
                if new_title in page_words(visitor_page):
                    staleness["visitor", number] = waited
            if ("learner", number) not in staleness:
                learner_page = learners[server].get(topic_path)
                completed = "resource--completed" in card_classes(learner_page, "keras")
                if completed and new_title in page_words(learner_page):
                    staleness["learner", number] = waited
        time.sleep(0.2)
    print("seconds after Redis answered again until served:", staleness)
