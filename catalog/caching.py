"""Caching of what is the same for everyone, with exact invalidation.

Two tiers (see "Caching" in the README):

- The shared cache (`caches["default"]`: Redis when `REDIS_URL` is set, else the database
  cache) holds the **catalog version**, a random token replaced on every change to the
  catalog, whoever makes it (admin, import, `loaddata`, shell; `catalog.signals` and
  `CatalogQuerySet` call `bump_catalog_version`). Every app server reads it once per request.
- The per-process cache (`caches["local"]`) holds rendered fragments and whole anonymous
  pages under keys that contain that version, so a change makes every old entry unreachable
  on every server at once, and a hit costs no network round trip.

Learner-specific spots inside a cached fragment are *slots*: the fragment stores a marker,
and each request fills the markers with the learner's state (`catalog.fragments`).
"""

import hashlib
import uuid
from functools import wraps

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

CATALOG_VERSION_KEY = "mlmath:catalog-version"
# Local entries are unreachable once the version changes; the timeout only bounds memory.
LOCAL_TIMEOUT = 24 * 60 * 60
# The request headers that change what a catalog URL answers (HTMX asks for partials).
VARY_HEADERS = ("Cookie", "HX-Request")
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_HISTORY_RESTORE_REQUEST")


def shared_cache():
    return caches["default"]


def local_cache():
    return caches["local"]


# The version a request has read, so it reads the shared cache once. Kept only between
# request_started and request_finished: outside a request (commands, the shell) every read is
# fresh.
_this_request = Local()


def _start_request(**kwargs):
    _this_request.version = None
    _this_request.active = True


def _finish_request(**kwargs):
    _this_request.version = None
    _this_request.active = False


request_started.connect(_start_request, dispatch_uid="catalog-version-start")
request_finished.connect(_finish_request, dispatch_uid="catalog-version-finish")


def catalog_version(request=None):
    """The current catalog version, read once per request; None when the shared cache is down
    (then nothing is cached, rather than risking a stale page)."""
    in_request = getattr(_this_request, "active", False)
    if in_request and _this_request.version is not None:
        return _this_request.version
    cache = shared_cache()
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        token = uuid.uuid4().hex
        # Another process may have set one a moment ago: then that one is the version.
        added = cache.add(CATALOG_VERSION_KEY, token, timeout=None)
        version = token if added else cache.get(CATALOG_VERSION_KEY)
    if in_request:
        _this_request.version = version
    return version


def _replace_version():
    token = uuid.uuid4().hex
    shared_cache().set(CATALOG_VERSION_KEY, token, timeout=None)
    if getattr(_this_request, "active", False):
        _this_request.version = token


def bump_catalog_version():
    """Make every cached fragment and page stale, on every app server.

    Bumped at once (so the rest of the current transaction and request see the change) and
    again when the transaction commits: a request elsewhere that rendered the old rows between
    the two cached them under the first new version, which the second makes unreachable.
    """
    _replace_version()
    transaction.on_commit(_replace_version)


def local_key(version, *parts):
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"catalog:{version}:{digest}"


def cached_for_catalog_version(name, build):
    """`build()`'s result (catalog data only, picklable), computed once per catalog version and
    process; without a shared cache it is simply computed."""
    version = catalog_version()
    if version is None:
        return build()
    key = local_key(version, "data", name)
    value = local_cache().get(key)
    if value is None:
        value = build()
        local_cache().set(key, value, LOCAL_TIMEOUT)
    return value


def is_plain_visitor(request):
    """A visitor with no session and no pending messages: every such visitor sees the same page."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def cache_page_for_visitors(view):
    """Serve a catalog GET page to visitors from the local cache, whole.

    The key is the catalog version, the full path and the HTMX headers. Signed-in learners (or
    anyone with a session) always get a fresh render with their own state, marked private. Every
    answer says `Vary: Cookie, HX-Request`. Visitors' pages may be stored by shared caches but
    must be revalidated (`public, no-cache`) against their ETag, which changes with the catalog,
    so an edit is never hidden behind a stale copy.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_plain_visitor(request) or request.method not in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, VARY_HEADERS)
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        version = catalog_version(request)
        if version is None:
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, VARY_HEADERS)
            return response
        key = local_key(
            version, "page", request.get_full_path(), *(request.META.get(h) for h in HTMX_HEADERS)
        )
        cached = local_cache().get(key)
        if cached is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            cacheable = (
                response.status_code == 200
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            )
            if not cacheable:
                patch_vary_headers(response, VARY_HEADERS)
                return response
            etag = f'"{hashlib.blake2b(response.content, digest_size=12).hexdigest()}"'
            cached = (response.content, response["Content-Type"], etag)
            local_cache().set(key, cached, LOCAL_TIMEOUT)
        content, content_type, etag = cached
        conditional = get_conditional_response(request, etag=etag)
        response = conditional or HttpResponse(content, content_type=content_type)
        response["ETag"] = etag
        patch_vary_headers(response, VARY_HEADERS)
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapper
