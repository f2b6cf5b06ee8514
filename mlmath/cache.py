"""The shared cache's backends: Django's RedisCache, except that Redis being unreachable reads
as a cache miss (logged) instead of an error, so a Redis restart only slows pages; and Django's
database cache with a cheaper `set`. And allauth's rate limits in a cache of their own."""

import base64
import logging
import pickle
import random
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


def when_redis_is_unreachable(fallback):
    """Wrap a cache client method: if Redis cannot be reached, log it and return
    `fallback(*arguments)`, what the method answers for a key that is not there."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *arguments):
            try:
                return method(self, *arguments)
            except REDIS_UNREACHABLE_ERRORS as error:
                logger.warning("Redis unreachable, cache %s is a miss: %s", method.__name__, error)
                return fallback(*arguments)

        return wrapper

    return decorate


def key_not_found(key, delta):
    raise ValueError(f"Key {key!r} not found (Redis is unreachable).")


class ForgivingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        """One `redis.Redis` per connection pool, made once: Django makes a new one per call,
        and building its table of response callbacks costs more than the round trip."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]

    # `add` on a missing key succeeds; answering False ("already there") would make allauth's
    # rate-limit lock wait and then refuse every sign-in while Redis is down.
    add = when_redis_is_unreachable(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = when_redis_is_unreachable(lambda key, default: default)(RedisCacheClient.get)
    set = when_redis_is_unreachable(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = when_redis_is_unreachable(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = when_redis_is_unreachable(lambda key: False)(RedisCacheClient.delete)
    get_many = when_redis_is_unreachable(lambda keys: {})(RedisCacheClient.get_many)
    has_key = when_redis_is_unreachable(lambda key: False)(RedisCacheClient.has_key)
    incr = when_redis_is_unreachable(key_not_found)(RedisCacheClient.incr)
    set_many = when_redis_is_unreachable(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = when_redis_is_unreachable(lambda keys: None)(RedisCacheClient.delete_many)
    clear = when_redis_is_unreachable(lambda: False)(RedisCacheClient.clear)


class ForgivingRedisCache(RedisCache):
    """`CACHES["default"]` when `REDIS_URL` is set (see the settings). It can also announce a
    value it sets to every app process (pub/sub), so that version tokens (`mlmath.versions`)
    need no read per request."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient

    @property
    def announcements_channel(self):
        # Pub/sub ignores database numbers: the channel names the server, database and prefix.
        return f"{self.make_key('announcements')}@{self._servers[0]}"

    def set_and_announce(self, key, value):
        """Set `key` to `value` (no expiry) and announce "key value", as one transaction;
        whether Redis answered that it did (it may have, even when it did not answer)."""
        made_key = self.make_and_validate_key(key)
        client = self._cache.get_client(made_key, write=True)
        try:
            pipeline = client.pipeline(transaction=True)
            pipeline.set(made_key, self._cache._serializer.dumps(value))
            pipeline.publish(self.announcements_channel, f"{key} {value}")
            pipeline.execute()
        except REDIS_UNREACHABLE_ERRORS as error:
            logger.warning("Redis unreachable, %s not announced: %s", key, error)
            return False
        return True

    def subscribe_to_announcements(self, on_reconnect):
        """A subscription to the announcements; `on_reconnect()` is called whenever its
        connection had to be made again (announcements may have been missed meanwhile)."""
        pubsub = self._cache.get_client(write=True).pubsub()
        pubsub.subscribe(self.announcements_channel)
        # A lost connection must surface here at once, not after redis-py's retries sleep.
        pubsub.connection.retry = Retry(NoBackoff(), 0)
        pubsub.connection.register_connect_callback(on_reconnect)
        return pubsub


class UpsertDatabaseCache(DatabaseCache):
    """`CACHES["default"]` without Redis: Django's database cache, except that `set` is one
    UPSERT statement instead of five (count, savepoint, select, update or insert, release).
    Version tokens (`mlmath.versions`) are set on every write a learner makes. The table is
    still culled as Django culls it, on one `set` in `CULL_CHECK_EVERY`."""

    CULL_CHECK_EVERY = 100

    @property
    def database_alias(self):
        """The database the table is in: a `set` inside that database's transaction is part of
        it, committed or rolled back with the rows."""
        return router.db_for_write(self.cache_model_class)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if random.randrange(self.CULL_CHECK_EVERY) == 0:
            return super().set(key, value, timeout, version)
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        if not settings.USE_TZ:
            expires = expires.replace(tzinfo=None)
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        connection = connections[self.database_alias]
        table = connection.ops.quote_name(self._table)
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
