"""The cache backends: a Redis cache on redis-py's public API, where Redis being unreachable
reads as a cache miss (logged) instead of an error, so a Redis restart only slows pages;
Django's database cache with a cheaper `set`; and each process's own memory, without copies.
And allauth's rate limits in a cache of their own."""

import base64
import contextlib
import logging
import pickle
import random
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.utils.connection import ConnectionProxy
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

RATE_LIMITS_ALIAS = "ratelimits"

REDIS_UNREACHABLE_ERRORS = (RedisConnectionError, RedisTimeoutError)


@contextlib.contextmanager
def unreachable_redis_is_a_miss(operation):
    """Log, and carry on past, a Redis that cannot be reached: the caller then answers what it
    answers for a key that is not there."""
    try:
        yield
    except REDIS_UNREACHABLE_ERRORS as error:
        logger.warning("Redis unreachable, cache %s is a miss: %s", operation, error)


def encode(value):
    # Integers are stored as they are, so that Redis's INCR works on them (as Django's does).
    return value if type(value) is int else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def decode(stored):
    try:
        return int(stored)
    except ValueError:
        return pickle.loads(stored)


missing = object()  # what ProcessMemoryCache finds for a key it does not hold


class ProcessMemoryCache(BaseCache):
    """`CACHES["local"]` and `CACHES["learner_pages"]`: Django's local-memory cache, less its
    copies. LocMemCache pickles every value it stores and unpickles it on every hit, which for
    a page of catalog rows cost up to a millisecond per page (docs/performance.md); here a hit
    hands back the stored object itself. So what is stored must never be changed afterwards:
    catalog rows read for every learner alike, rendered HTML, whole pages (mlmath/caching.py).
    Past `MAX_ENTRIES` the least recently used entry goes."""

    def __init__(self, location, params):
        super().__init__(params)
        self.max_entries = int(params.get("OPTIONS", {}).get("MAX_ENTRIES", 300))
        self.entries = OrderedDict()  # key: (value, expiry as time.time() or None)
        self.lock = threading.Lock()

    def live_entry(self, key):
        """The entry's value, made the most recently used, or `missing` (under the lock)."""
        entry = self.entries.get(key, missing)
        if entry is missing:
            return missing
        value, expiry = entry
        if expiry is not None and expiry <= time.time():
            del self.entries[key]
            return missing
        self.entries.move_to_end(key)
        return value

    def store(self, key, value, timeout):
        self.entries[key] = (value, self.get_backend_timeout(timeout))
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self.lock:
            value = self.live_entry(key)
        return default if value is missing else value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self.lock:
            self.store(key, value, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self.lock:
            if self.live_entry(key) is not missing:
                return False
            self.store(key, value, timeout)
            return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self.lock:
            value = self.live_entry(key)
            if value is missing:
                return False
            self.store(key, value, timeout)
            return True

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self.lock:
            return self.entries.pop(key, missing) is not missing

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self.lock:
            return self.live_entry(key) is not missing

    def clear(self):
        with self.lock:
            self.entries.clear()


class ForgivingRedisCache(BaseCache):
    """`CACHES["default"]` when `REDIS_URL` is set (see the settings): `LOCATION` is one Redis
    URL, `OPTIONS` are redis-py's connection options. The same commands as Django's RedisCache,
    but through one redis-py client made once (Django makes a client per call, whose table of
    response callbacks costs about as much as a round trip), and forgiving (see the module).

    It can also announce a value it sets to every app process (pub/sub), so that version tokens
    (`mlmath.versions`) need no read per request."""

    def __init__(self, server, params):
        super().__init__(params)
        self.server = server
        options = params.get("OPTIONS", {})
        self.client = redis.Redis.from_url(server, **options)
        # A subscription's lost connection must surface at once, not after redis-py's retries
        # sleep: the listener then forgets what it was told and reads instead.
        self.subscriber = redis.Redis.from_url(server, **options, retry=Retry(NoBackoff(), 0))

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        """Seconds from now, as Redis expires keys: None for never, 0 for already expired."""
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else max(0, int(timeout))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with unreachable_redis_is_a_miss("get"):
            stored = self.client.get(key)
            return default if stored is None else decode(stored)
        return default

    def get_many(self, keys, version=None):
        made_keys = {self.make_and_validate_key(key, version=version): key for key in keys}
        with unreachable_redis_is_a_miss("get_many"):
            stored = self.client.mget(made_keys)
            return {
                made_keys[made]: decode(value)
                for made, value in zip(made_keys, stored, strict=True)
                if value is not None
            }
        return {}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with unreachable_redis_is_a_miss("has_key"):
            return bool(self.client.exists(key))
        return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        with unreachable_redis_is_a_miss("set"):
            if timeout == 0:
                self.client.delete(key)
            else:
                self.client.set(key, encode(value), ex=timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        with unreachable_redis_is_a_miss("add"):
            added = bool(self.client.set(key, encode(value), ex=timeout or None, nx=True))
            if added and timeout == 0:
                self.client.delete(key)
            return added
        # As on a missing key: answering "already there" would make allauth's rate-limit lock
        # wait and then refuse every sign-in while Redis is down.
        return True

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        timeout = self.get_backend_timeout(timeout)
        if timeout == 0:
            self.delete_many(data, version=version)
            return []
        made = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        with unreachable_redis_is_a_miss("set_many"):
            pipeline = self.client.pipeline()
            pipeline.mset({key: encode(value) for key, value in made.items()})
            if timeout is not None:
                for key in made:  # MSET takes no expiry
                    pipeline.expire(key, timeout)
            pipeline.execute()
        return []

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        with unreachable_redis_is_a_miss("touch"):
            if timeout is None:
                return bool(self.client.persist(key))
            return bool(self.client.expire(key, timeout))
        return False

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with unreachable_redis_is_a_miss("delete"):
            return bool(self.client.delete(key))
        return False

    def delete_many(self, keys, version=None):
        made_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        if made_keys:
            with unreachable_redis_is_a_miss("delete_many"):
                self.client.delete(*made_keys)

    def incr(self, key, delta=1, version=None):
        made_key = self.make_and_validate_key(key, version=version)
        with unreachable_redis_is_a_miss("incr"):
            if not self.client.exists(made_key):
                raise ValueError(f"Key {key!r} not found.")
            return self.client.incr(made_key, delta)
        raise ValueError(f"Key {key!r} not found (Redis is unreachable).")

    def clear(self):
        with unreachable_redis_is_a_miss("clear"):
            return bool(self.client.flushdb())
        return False

    @property
    def announcements_channel(self):
        # Pub/sub ignores database numbers: the channel names the server, database and prefix.
        return f"{self.make_key('announcements')}@{self.server}"

    def set_and_announce(self, key, value):
        """Set `key` to `value` (no expiry) and announce "key value", as one transaction;
        whether Redis answered that it did (it may have, even when it did not answer)."""
        made_key = self.make_and_validate_key(key)
        try:
            pipeline = self.client.pipeline(transaction=True)
            pipeline.set(made_key, encode(value))
            pipeline.publish(self.announcements_channel, f"{key} {value}")
            pipeline.execute()
        except REDIS_UNREACHABLE_ERRORS as error:
            logger.warning("Redis unreachable, %s not announced: %s", key, error)
            return False
        return True

    def subscribe_to_announcements(self, on_reconnect):
        """A subscription to the announcements; `on_reconnect()` is called whenever its
        connection had to be made again (announcements may have been missed meanwhile)."""
        pubsub = self.subscriber.pubsub()
        pubsub.subscribe(self.announcements_channel)
        pubsub.connection.register_connect_callback(on_reconnect)
        return pubsub


class UpsertDatabaseCache(DatabaseCache):
    """`CACHES["default"]` without Redis: Django's database cache, except that `set` is one
    UPSERT statement instead of five (count, savepoint, select, update or insert, release).
    Version tokens (`mlmath.versions`) are set on every write a learner makes. The table is
    still culled as Django culls it, on one `set` in `CULL_CHECK_EVERY`.

    The row it writes must be the row Django's `get` reads (the value pickled and base64-encoded,
    the expiry a datetime): the one thing here that follows Django's code rather than its
    documentation, pinned by tests/test_shared_cache.py, which reads the value back."""

    CULL_CHECK_EVERY = 100

    def __init__(self, table, params):
        super().__init__(table, params)
        self.table = table

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if random.randrange(self.CULL_CHECK_EVERY) == 0:
            return super().set(key, value, timeout, version)
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        if not settings.USE_TZ:
            expires = expires.replace(tzinfo=None)
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        connection = connections[router.db_for_write(self.cache_model_class)]
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "
                "ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, "
                "expires = EXCLUDED.expires",
                [
                    key,
                    pickled,
                    connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
                ],
            )


def keep_rate_limits_apart():
    """Make allauth keep its rate limits (and their locks) in `CACHES["ratelimits"]`, where
    nothing else is stored: in the default cache, sessions and version tokens would fill a
    database cache past MAX_ENTRIES and its culling would drop the limits first (their keys
    sort first), resetting them. allauth reads the default cache through the name `cache` in
    its rate-limit module and has no setting to choose another; if an upgrade renames it, the
    site refuses to start rather than lose its limits."""
    from allauth.core.internal import ratelimit

    if not isinstance(getattr(ratelimit, "cache", None), ConnectionProxy):
        raise ImproperlyConfigured(
            "allauth.core.internal.ratelimit no longer reads `cache`: mlmath cannot keep the "
            "rate limits in their own cache (see mlmath.cache.keep_rate_limits_apart)."
        )
    ratelimit.cache = ConnectionProxy(caches, RATE_LIMITS_ALIAS)
