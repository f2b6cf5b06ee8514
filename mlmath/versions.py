"""Version tokens in the shared cache, which every cached render is keyed by.

A token is a random string replaced whenever what it stands for changes, so everything cached
under the old token becomes unreachable on every app server at once:

- the catalog's token (`CATALOG`), replaced on any change to the catalog (`catalog.signals`,
  `CatalogQuerySet`);
- each learner's token (`learner_key`), replaced on any change to what that learner's own
  pages show: progress, activity, evidence, awards, profile, account (`progress.signals`,
  `LearnerRowsQuerySet`).

A request reads the tokens it needs in one round trip to the shared cache and keeps them until
it ends; outside a request (commands, the shell) every read is fresh. With Redis, a request
reads none at all once its process knows them: every replacement is announced to every app
process (pub/sub), and each request first takes the announcements waiting on its process's
subscription (no round trip). A process that may have missed one (no subscription yet, its
connection lost and made again) forgets what it knew and reads the tokens again.

After a cache fault, staleness is bounded (README, "Caching and performance"): a replacement Redis
did not take is made again by its process every second until Redis takes it, and every process
reads each token it holds again after `VERSION_REREAD_SECONDS`, announced or not.
"""

import contextlib
import logging
import os
import threading
import time
import uuid
from time import monotonic

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import transaction

logger = logging.getLogger(__name__)

CATALOG = "mlmath:catalog-version"


def learner_key(learner_id):
    return f"mlmath:learner-version:{learner_id}"


_this_request = Local()


class KnownTokens:
    """Tokens this process has read or been announced, each trusted for `VERSION_REREAD_SECONDS`
    and read again after that.

    Announcements alone would be trusted forever, and one can be lost without any sign: a
    replacement Redis took only later (a stall), a subscription whose connection died silently,
    a token this process made up while Redis did not answer. Re-reading bounds how long any of
    these lasts, for one GET per token and interval per process.
    """

    def __init__(self):
        self._heard = {}  # key: (token, trusted until, in `monotonic()` seconds)

    def get(self, key):
        heard = self._heard.get(key)
        if heard is None or monotonic() >= heard[1]:
            return None
        return heard[0]

    def remember(self, key, token):
        self._heard[key] = (token, monotonic() + settings.VERSION_REREAD_SECONDS)

    def clear(self):
        self._heard.clear()

    def __len__(self):
        return len(self._heard)


class Announcements:
    """The tokens this process knows to be current, kept so by the shared cache's
    announcements (when it can announce: Redis)."""

    RESUBSCRIBE_AFTER = 1.0  # seconds: a lost subscription is not retried on every request
    MAX_TOKENS = 100_000  # learners' tokens add up; past this, forget and read again

    def __init__(self):
        self.pid = os.getpid()
        self.channel = None
        self.pubsub = None
        self.confirmed = False
        self.tokens = KnownTokens()
        self.lost_at = float("-inf")

    def known(self):
        """The tokens known to be current (take every announcement waiting first), or None
        when this process cannot know (no announcements, or no confirmed subscription)."""
        cache = caches["default"]
        if not hasattr(cache, "subscribe_to_announcements"):
            return None
        channel = cache.announcements_channel
        # A forked worker must not share its parent's socket; another shared cache (tests
        # that swap the settings) announces elsewhere.
        if self.pid != os.getpid() or self.channel not in (None, channel):
            self.close()
            self.__init__()
        self.channel = channel
        try:
            if self.pubsub is None:
                if monotonic() - self.lost_at < self.RESUBSCRIBE_AFTER:
                    return None
                self.pubsub = cache.subscribe_to_announcements(self.forget)
                self.confirmed = False
            while True:
                # Until the server confirms the subscription, announcements may be missed.
                message = self.pubsub.get_message(timeout=0 if self.confirmed else 1.0)
                if message is None:
                    break
                if message["type"] == "subscribe":
                    self.tokens.clear()
                    self.confirmed = True
                elif message["type"] == "message":
                    key, _, token = message["data"].decode().partition(" ")
                    self.tokens.remember(key, token)
        except Exception as error:  # any failure: stop trusting what is known, read instead
            logger.warning("Version announcements lost, reading versions instead: %s", error)
            self.close()
            return None
        if not self.confirmed:
            return None
        if len(self.tokens) > self.MAX_TOKENS:
            self.tokens.clear()
        return self.tokens

    def remember(self, key, token):
        """A token this process set itself: it serves it at once, whatever became of the
        announcement."""
        if self.confirmed and self.pid == os.getpid():
            self.tokens.remember(key, token)

    def forget(self, *args):
        """Called when the subscription's connection was made again: what came meanwhile is
        unknown."""
        self.tokens.clear()
        self.confirmed = False

    def close(self):
        if self.pubsub is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self.pubsub.close()
        self.pubsub = None
        self.confirmed = False
        self.tokens.clear()
        self.lost_at = monotonic()


announcements = Announcements()


class UnannouncedReplacements:
    """Keys whose replacement the shared cache did not take (Redis stalled or down), replaced
    again by a thread of this process every `RETRY_EVERY` seconds until Redis takes them, so
    that every process hears of the change at most about a second after Redis answers again.
    (A replacement that timed out may have landed after all: replacing it again is harmless.)
    Without the retry, a change made during the fault would stay unseen until the next one."""

    RETRY_EVERY = 1.0

    def __init__(self):
        self.lock = threading.Lock()
        self.failures = {}  # key: how many replacements of it had failed when it last failed
        self.failure_count = 0
        self.thread = None

    def add(self, key):
        with self.lock:
            self.failure_count += 1
            self.failures[key] = self.failure_count
            if self.thread is None:
                logger.warning("Redis did not take %s; replacing it again until it does", key)
                self.thread = threading.Thread(
                    target=self.retry, name="mlmath-version-retry", daemon=True
                )
                self.thread.start()

    def retry(self):
        while True:
            time.sleep(self.RETRY_EVERY)
            with self.lock:
                failures = dict(self.failures)
            for key, failure in failures.items():
                if not _write(key, uuid.uuid4().hex):
                    break  # Redis still does not answer: wait, rather than time out per key
                with self.lock:
                    if self.failures.get(key) == failure:  # else it failed again meanwhile
                        del self.failures[key]
            with self.lock:
                if not self.failures:
                    logger.info("Redis took every replacement it had missed")
                    self.thread = None
                    return

    def clear(self):
        with self.lock:
            self.failures.clear()


unannounced = UnannouncedReplacements()
# A forked worker has no retrying thread; its parent retries what it failed itself.
os.register_at_fork(after_in_child=unannounced.__init__)


def forget():
    """Forget every token this process knows, and every replacement it has to make again
    (tests that empty the shared cache)."""
    announcements.tokens.clear()
    unannounced.clear()


def _start_request(**kwargs):
    _this_request.tokens = {}
    _this_request.published = set()


def _finish_request(**kwargs):
    _this_request.tokens = _this_request.published = None


request_started.connect(_start_request, dispatch_uid="versions-start")
request_finished.connect(_finish_request, dispatch_uid="versions-finish")


def current(*keys):
    """The current token of each key, in order: known to this process, or read in one round
    trip (and created where there is none yet)."""
    known = getattr(_this_request, "tokens", None)
    tokens = {} if known is None else known
    missing = [key for key in keys if key not in tokens]
    if missing:
        announced = announcements.known()
        if announced is not None:
            for key in missing:
                token = announced.get(key)
                if token is not None:
                    tokens[key] = token
            missing = [key for key in missing if key not in tokens]
    if missing:
        cache = caches["default"]
        if len(missing) == 1:  # a plain GET costs less than an MGET of one
            found = {missing[0]: cache.get(missing[0])}
        else:
            found = cache.get_many(missing)
        for key in missing:
            token = found.get(key)
            if token is None:
                token = uuid.uuid4().hex
                # Another process may have set one a moment ago: then that one is the token.
                if not cache.add(key, token, timeout=None):
                    token = cache.get(key)
            tokens[key] = token
            if announced is not None and token is not None:
                # Read after the subscription was confirmed: any later change is announced.
                announced.remember(key, token)
    return tuple(tokens[key] for key in keys)


def _write(key, token):
    """Set the shared token (and announce it, with Redis); False if Redis did not take it."""
    cache = caches["default"]
    if hasattr(cache, "set_and_announce"):
        return cache.set_and_announce(key, token)
    cache.set(key, token, timeout=None)
    return True


def _replace(key):
    token = uuid.uuid4().hex
    if not _write(key, token):
        unannounced.add(key)
    announcements.remember(key, token)
    known = getattr(_this_request, "tokens", None)
    if known is not None:
        known[key] = token


class _ReplaceOnCommit:
    """The replacement at commit, registered once per key and transaction (which tells the
    transaction's later bumps that the key is replaced already)."""

    def __init__(self, key, *, written_with_the_rows):
        self.key = key
        self.written_with_the_rows = written_with_the_rows

    def __call__(self):
        if not self.written_with_the_rows:
            _replace(self.key)


def written_with_the_rows(cache, connection):
    """Whether a `set` on the shared cache now is part of `connection`'s transaction: the
    database cache in the same database. Then the token written at once is committed together
    with the rows, so no request elsewhere can read it before them."""
    return getattr(cache, "database_alias", None) == connection.alias


def bump(key):
    """Replace the token at once (so the rest of this transaction and request see the change)
    and again when the transaction commits: a request elsewhere that read the old rows between
    the two cached them under the first new token, which the second makes unreachable. (With
    the database cache no one can read the first before the commit: it is the only one.)
    Several writes of one request in one transaction share those two replacements."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _replace(key)
        return
    published = getattr(_this_request, "published", None)
    pending = any(
        getattr(callback, "key", None) == key for _, callback, _ in connection.run_on_commit
    )
    if published is not None and key in published and pending:
        # This request's transaction already published a token; only this request must
        # stop reusing what it cached between the writes.
        _this_request.tokens[key] = uuid.uuid4().hex
        return
    _replace(key)
    if published is not None:
        published.add(key)
    if not pending:
        in_transaction = written_with_the_rows(caches["default"], connection)
        transaction.on_commit(_ReplaceOnCommit(key, written_with_the_rows=in_transaction))


def bump_learner(learner_id):
    """Make the learner's cached pages stale (no-op for a row whose learner was deleted)."""
    if learner_id is not None:
        bump(learner_key(learner_id))
