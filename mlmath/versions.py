"""Version tokens in the shared cache, which every cached render is keyed by.

A token is a random string replaced whenever what it stands for changes, so everything cached
under the old token becomes unreachable on every app server at once:

- the catalog's token (`CATALOG`), replaced on any change to the catalog;
- each learner's token (`learner_key`), replaced on any change to what that learner's own
  pages show: progress, activity, evidence, awards, profile, account; and their awards'
  token (`learner_awards_key`), replaced with it on a change to their awards;
- the status lists' token (`STATUS_LISTS`), replaced on a revocation, which sets a bit in the
  published Bitstring Status Lists (`badges.status_views`).

What replaces them, and when, is all in `mlmath.invalidation`; `bump` here is how.

A request reads the tokens it needs in one round trip to the shared cache and keeps them until
it ends; outside a request (commands, the shell) every read is fresh. With Redis, a request
reads none at all once its process knows them: every replacement is announced to every app
process (pub/sub), and each request first takes the announcements waiting on its process's
subscription (no round trip). A process that may have missed one (no subscription yet, its
connection lost and made again) forgets what it knew and reads the tokens again.

After a cache fault, staleness is bounded (docs/caching.md, "Redis: announcements, and
faults"): a replacement Redis did not take is made again by its process every second until
Redis takes it, and every process reads each token it holds again after
`VERSION_REREAD_SECONDS`, announced or not.
"""

import contextlib
import logging
import os
import threading
import time
import uuid
from functools import partial
from time import monotonic

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import transaction

logger = logging.getLogger(__name__)

CATALOG = "mlmath:catalog-version"
STATUS_LISTS = "mlmath:status-lists-version"


def learner_key(learner_id):
    return f"mlmath:learner-version:{learner_id}"


def learner_awards_key(learner_id):
    """Replaced with the learner's own on a change to their awards only, which every page they
    see shows (the header's badge) and few writes change."""
    return f"mlmath:learner-awards-version:{learner_id}"


_this_request = Local()

# Per thread, as database connections are: the keys this thread's open transaction replaced,
# each with the token only this thread uses for it until the transaction commits.
_this_thread = Local(thread_critical=True)


def _uncommitted_tokens():
    if not hasattr(_this_thread, "uncommitted"):
        _this_thread.uncommitted = {}
    return _this_thread.uncommitted


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
    _uncommitted_tokens().clear()


def _in_transaction():
    """Whether this thread's connection is inside `atomic()`, asking nothing of the database:
    `transaction.get_autocommit()` connects, and at a request's start (`request_started`,
    outside Django's error handling) a database that is down would make that a bare 500
    instead of the 503 every view answers."""
    return transaction.get_connection().in_atomic_block


def _start_request(**kwargs):
    _this_request.tokens = {}
    uncommitted = _uncommitted_tokens()
    if uncommitted and not _in_transaction():
        uncommitted.clear()  # left by transactions that rolled back


def _finish_request(**kwargs):
    _this_request.tokens = None


request_started.connect(_start_request, dispatch_uid="versions-start")
request_finished.connect(_finish_request, dispatch_uid="versions-finish")


def current(*keys):
    """The current token of each key, in order: known to this process, or read in one round
    trip (and created where there is none yet). Inside a transaction that replaced a key, this
    thread's own token for it (see `bump`).

    The only reader of the announcements (Redis's pub/sub, `Announcements`). They exist so that
    a page served from the local cache waits on no round trip to Redis; with the database
    cache there are none, and a request reads the tokens it needs in one query."""
    known = getattr(_this_request, "tokens", None)
    tokens = {} if known is None else known
    uncommitted = _uncommitted_tokens()
    if uncommitted and not _in_transaction():
        uncommitted = {}  # left by a transaction that rolled back
    # (None: read, found nowhere, and not created because this thread's own token stands in.)
    missing = [
        key for key in keys if key not in tokens or (tokens[key] is None and key not in uncommitted)
    ]
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
            # A key replaced in this thread's open transaction needs no shared token before
            # its commit sets one.
            if token is None and key not in uncommitted:
                token = uuid.uuid4().hex
                # Another process may have set one a moment ago: then that one is the token.
                if not cache.add(key, token, timeout=None):
                    token = cache.get(key)
            tokens[key] = token
            if announced is not None and token is not None:
                # Read after the subscription was confirmed: any later change is announced.
                announced.remember(key, token)
    return tuple(
        f"{tokens[key]}.{uncommitted[key]}" if key in uncommitted else tokens[key] for key in keys
    )


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


def bump(key):
    """Make everything cached under the key's token stale, on every app process.

    Outside a transaction the shared token is replaced at once. Inside one, nobody else can
    see the rows yet, so only this thread changes token at once (to one of its own, new at
    every bump: the rest of the transaction, and the test client's requests inside a test's
    transaction, see each change), and the shared token is replaced when the transaction
    commits: a page rendered elsewhere from the old rows meanwhile was cached under the old
    token, which that replacement makes unreachable.

    Every bump asks for its own replacement at commit (Django discards it with the transaction
    or savepoint that rolls back); the first to run stands for the others of its transaction,
    which all come before it, so a transaction writes each key once however many rows it
    saves. A thread's own tokens last until their commit, and are not used outside a
    transaction; a transaction that rolled back leaves them until the thread's next request.
    """
    if not _in_transaction():
        _replace(key)
        return
    _uncommitted_tokens()[key] = uuid.uuid4().hex
    transaction.on_commit(partial(_replace_at_commit, key))


def _replace_at_commit(key):
    if _uncommitted_tokens().pop(key, None) is not None:  # else replaced at this commit already
        _replace(key)
