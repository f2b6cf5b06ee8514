"""Caching of what is the same for everyone, with exact invalidation.

Two tiers (see "Caching" in the README):

- The shared cache (`caches["default"]`: Redis when `REDIS_URL` is set, else the database
  cache) holds the **catalog version**, a random token replaced on every change to the
  catalog, whoever makes it (admin, import, `loaddata`, shell: `mlmath.invalidation`). Every
  app server reads it once per request.
- The per-process cache (`caches["local"]`) holds rendered fragments and whole anonymous
  pages under keys that contain that version, so a change makes every old entry unreachable
  on every server at once, and a hit costs no network round trip.

Learner-specific spots inside a cached fragment are *slots*: the fragment stores a marker,
and each request fills the markers with the learner's state (`catalog.fragments`).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from mlmath import versions
from mlmath.context_processors import page_csrf_token

CATALOG_VERSION_KEY = versions.CATALOG
# Local entries are unreachable once a version changes; the timeout only bounds memory.
LOCAL_TIMEOUT = 24 * 60 * 60
# The request headers that change what a catalog URL answers (HTMX asks for partials).
VARY_HEADERS = ("Cookie", "HX-Request")
VARY_HEADER_VALUE = ", ".join(VARY_HEADERS)
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_HISTORY_RESTORE_REQUEST")
# Where a learner's cached page had its CSRF token: each request writes its own back in.
CSRF_TOKEN_SLOT = b"mlmathpagecsrftoken"
# Every time zone's offset is a multiple of 15 minutes, so a learner's local date (streaks,
# the calendar, "this week") only changes at a quarter hour, UTC.
LOCAL_DATE_PERIOD = 15 * 60


def shared_cache():
    return caches["default"]


def local_cache():
    return caches["local"]


def learner_page_cache():
    return caches["learner_pages"]


def catalog_version(request=None):
    """The current catalog version, read from the shared cache once per request."""
    return versions.current(versions.CATALOG)[0]


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


def cache_page(view):
    """Serve a GET page from the local cache, whole: to visitors the one page everybody gets,
    to a signed-in learner their own page as it was last rendered for them.

    A visitor's key is the catalog version, the full path and the HTMX headers; every answer
    says `Vary: Cookie, HX-Request`, and may be stored by shared caches but must be
    revalidated (`public, no-cache`) against its ETag, which changes with the catalog.

    A learner's key adds their own version (replaced on any change to what their pages show,
    see `mlmath.versions`) and the quarter hour, UTC (their local date). Their HTMX requests,
    and pages with messages to show, are always rendered fresh; their pages are private.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
        elif is_plain_visitor(request):
            return visitor_page(view, request, *args, **kwargs)
        elif learner_page_is_cacheable(request):
            response = learner_page(view, request, *args, **kwargs)
        else:
            response = view(request, *args, **kwargs)
        patch_vary_headers(response, VARY_HEADERS)
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper


def rendered(view, request, *args, **kwargs):
    """The view's response, rendered, and whether it is a plain 200 that sets no cookie."""
    response = view(request, *args, **kwargs)
    if hasattr(response, "render"):
        response.render()
    return response, response.status_code == 200 and not response.cookies


def visitor_page(view, request, *args, **kwargs):
    version = catalog_version(request)
    key = local_key(
        version, "page", request.get_full_path(), *(request.META.get(h) for h in HTMX_HEADERS)
    )
    cached = local_cache().get(key)
    if cached is None:
        response, cacheable = rendered(view, request, *args, **kwargs)
        if not cacheable or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            patch_vary_headers(response, VARY_HEADERS)
            return response
        etag = f'"{hashlib.blake2b(response.content, digest_size=12).hexdigest()}"'
        cached = (response.content, response["Content-Type"], etag)
        local_cache().set(key, cached, LOCAL_TIMEOUT)
    content, content_type, etag = cached
    response = None
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        response = get_conditional_response(request, etag=etag)
    response = response or HttpResponse(content, content_type=content_type)
    # A fresh response: the headers are set whole rather than patched.
    response["ETag"] = etag
    response["Vary"] = VARY_HEADER_VALUE
    response["Cache-Control"] = "public, no-cache"
    return response


def learner_page_is_cacheable(request):
    return (
        request.user.is_authenticated
        and not request.META.get("HTTP_HX_REQUEST")
        and not len(get_messages(request))
    )


def learner_page(view, request, *args, **kwargs):
    learner_id = request.user.pk
    catalog, learner = versions.current(versions.CATALOG, versions.learner_key(learner_id))
    quarter_hour = int(timezone.now().timestamp() // LOCAL_DATE_PERIOD)
    key = local_key(
        catalog, "learner-page", learner_id, learner, quarter_hour, request.get_full_path()
    )
    cached = learner_page_cache().get(key)
    if cached is None:
        response, cacheable = rendered(view, request, *args, **kwargs)
        if not cacheable:
            return response
        # The page's CSRF token is this request's: each hit writes its own in. (The CSRF
        # cookie the middleware renews belongs to the response, not to the page.)
        token = page_csrf_token(request, create=False)
        content = response.content
        if token:
            content = content.replace(token.encode(), CSRF_TOKEN_SLOT)
        learner_page_cache().set(key, (content, response["Content-Type"]), LOCAL_TIMEOUT)
        return response
    content, content_type = cached
    if CSRF_TOKEN_SLOT in content:
        content = content.replace(CSRF_TOKEN_SLOT, page_csrf_token(request).encode())
    return HttpResponse(content, content_type=content_type)
