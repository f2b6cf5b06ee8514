"""The default cache is shared by every worker process, and Redis going away is only misses.

The Redis tests start a private redis-server on this helper's ports and kill and restart it;
they skip without redis-server, and fail instead under CI.
"""

import json
import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from mlmath.cache import ForgivingRedisCache
from tests.conftest import skip_or_fail
from tests.processes import (
    PrivateRedis,
    database_url_for_other_processes,
    run_app_process,
    unused_port,
)

PASSWORD = "correct-horse-battery-staple-42"
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "mlmath_cache",
}
DATABASE_RATE_LIMITS = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "mlmath_ratelimits",
}


def free_port():
    return unused_port(18610, 18699)


@pytest.fixture
def private_redis():
    executable = shutil.which("redis-server")
    if not executable:
        skip_or_fail("needs redis-server (apt-get install redis-server)")
    server = PrivateRedis(executable, free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(private_redis, settings):
    """The shared cache and the rate limits in the private Redis, as with `REDIS_URL`."""
    shared = {
        "BACKEND": "mlmath.cache.ForgivingRedisCache",
        "LOCATION": private_redis.url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {
        **settings.CACHES,
        "default": shared,
        "ratelimits": {**shared, "KEY_PREFIX": "ratelimits"},
    }
    cache = caches["default"]
    assert isinstance(cache, ForgivingRedisCache)
    return cache


def test_a_redis_restart_reads_as_misses_and_then_works_again(private_redis, redis_cache, caplog):
    redis_cache.set("greeting", "hello")
    assert redis_cache.get("greeting") == "hello"

    private_redis.stop()

    assert redis_cache.get("greeting") is None
    assert redis_cache.get("greeting", "fallback") == "fallback"
    assert redis_cache.get_many(["greeting"]) == {}
    assert redis_cache.add("greeting", "again") is True  # as on a miss, though not kept
    assert redis_cache.get_or_set("computed", lambda: 42) == 42
    redis_cache.set("greeting", "unsaved")
    redis_cache.delete("greeting")
    with pytest.raises(ValueError, match="not found"):
        redis_cache.incr("counter")
    assert "Redis unreachable" in caplog.text

    private_redis.start()

    redis_cache.set("greeting", "back")
    assert redis_cache.get("greeting") == "back"


@pytest.mark.django_db
def test_signing_in_while_redis_is_down_never_errs(private_redis, redis_cache, django_user_model):
    django_user_model.objects.create_user("ada", password=PASSWORD)
    private_redis.stop()
    client = Client(raise_request_exception=False)

    wrong = client.post("/accounts/login/", {"login": "ada", "password": "wrong"})
    right = client.post("/accounts/login/", {"login": "ada", "password": PASSWORD})

    assert wrong.status_code == 200
    assert right.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL")), reason="REDIS_URL is set: this run's default cache is Redis"
)
def test_without_redis_the_shared_cache_and_the_rate_limits_are_database_tables():
    assert caches["default"].__class__.__name__ == "UpsertDatabaseCache"
    assert caches["default"]._table == "mlmath_cache"
    assert caches["ratelimits"].__class__.__name__ == "UpsertDatabaseCache"
    assert caches["ratelimits"]._table == "mlmath_ratelimits"
    assert caches["ratelimits"]._max_entries == 100_000
    assert caches["local"].__class__.__name__ == "ProcessMemoryCache"


def test_learners_pages_have_their_own_bounded_local_cache():
    from django.test import override_settings

    pages = caches["learner_pages"]
    assert pages.__class__.__name__ == "ProcessMemoryCache"
    assert pages.max_entries == 1000  # about 100 MB per process at most
    with override_settings(
        CACHES={**settings.CACHES, "learner_pages": {**settings.CACHES["learner_pages"],
                                                     "OPTIONS": {"MAX_ENTRIES": 3}}}
    ):  # fmt: skip
        small = caches["learner_pages"]
        for number in range(10):
            small.set(f"page-{number}", b"x" * 1000)
        assert len(small.entries) == 3
        assert [small.get(f"page-{number}") for number in (0, 6, 7, 8, 9)] == [
            None, None, b"x" * 1000, b"x" * 1000, b"x" * 1000
        ]  # fmt: skip


def process_memory(max_entries=300):
    from mlmath.cache import ProcessMemoryCache

    return ProcessMemoryCache("test", {"TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": max_entries}})


def test_the_process_memory_cache_hands_back_the_object_it_stored_without_copying_it():
    cache, rows = process_memory(), [{"title": "Calculus"}]
    cache.set("rows", rows)
    assert cache.get("rows") is rows
    assert cache.get_many(["rows", "other"]) == {"rows": rows}
    assert cache.get("other", "default") == "default"


def test_the_process_memory_cache_forgets_the_least_recently_used_entry_first():
    cache = process_memory(max_entries=2)
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.get("a") == 1  # now "b" is the least recently used
    cache.set("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_the_process_memory_cache_expires_entries_and_keeps_djangos_semantics(time_machine):
    time_machine.move_to("2026-12-07 12:00:00+00:00", tick=False)
    cache = process_memory()
    cache.set("short", "value", timeout=10)
    cache.set("forever", "value", timeout=None)
    assert cache.add("short", "other") is False
    assert cache.has_key("short")
    time_machine.shift(11)
    assert cache.get("short") is None
    assert not cache.has_key("short")
    assert cache.add("short", "again") is True
    assert cache.get("short") == "again"
    assert cache.touch("short", timeout=100) is True
    time_machine.shift(50)
    assert cache.get("short") == "again"
    assert cache.get("forever") == "value"
    assert cache.add("counter", 1)
    assert cache.incr("counter") == 2
    assert cache.get("counter") == 2
    assert cache.delete("forever") is True
    assert cache.delete("forever") is False
    cache.clear()
    assert cache.get("short") is None


@pytest.mark.django_db
def test_the_database_cache_sets_in_one_statement_and_reads_back_the_latest_value(
    django_assert_num_queries,
):
    from django.core.management import call_command

    from mlmath.cache import UpsertDatabaseCache

    call_command("createcachetable", "mlmath_cache_upsert_test")  # whichever the default cache
    cache = UpsertDatabaseCache("mlmath_cache_upsert_test", {})
    cache.CULL_CHECK_EVERY = 10**9  # the culling `set` is Django's own
    with django_assert_num_queries(1):
        cache.set("token", "first", timeout=None)
    with django_assert_num_queries(1):
        cache.set("token", {"second": 2}, timeout=60)
    assert cache.get("token") == {"second": 2}
    cache.set("gone", "soon", timeout=-1)
    assert cache.get("gone") is None
    assert cache.get_many(["token", "missing"]) == {"token": {"second": 2}}


WRONG_PASSWORDS = """
import json, sys
from django.test import Client
statuses = []
for _ in range(int(sys.argv[1])):
    response = Client().post("/accounts/login/", {"login": "ada", "password": sys.argv[2]})
    statuses.append([response.status_code, "Too many failed" in response.content.decode()])
print(json.dumps(statuses))
"""


@pytest.mark.django_db(transaction=True)
def test_failed_sign_ins_in_one_process_count_in_another(tmp_path, django_user_model, settings):
    # The worker processes run without REDIS_URL, so they count in the database table, which
    # this test process only made if it runs without Redis itself.
    settings.CACHES = {
        **settings.CACHES,
        "default": DATABASE_CACHE,
        "ratelimits": DATABASE_RATE_LIMITS,
    }
    call_command("createcachetable", verbosity=0)
    django_user_model.objects.create_user("ada", password=PASSWORD)
    database_url = database_url_for_other_processes(tmp_path)

    first_worker = run_app_process(WRONG_PASSWORDS, "5", "wrong", database_url=database_url)
    second_worker = run_app_process(WRONG_PASSWORDS, "1", PASSWORD, database_url=database_url)

    assert json.loads(first_worker) == [[200, False]] * 5
    # The limit (5 per 5 minutes per account) holds across workers: even the right
    # password is refused in the second process.
    assert json.loads(second_worker) == [[200, True]]
