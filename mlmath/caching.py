"""What mlmath caches, and under which key: docs/caching.md tells the whole story.

Everything cached here is keyed by the **catalog version** (`mlmath.versions`), a token in the
shared cache that `mlmath.invalidation` replaces on every change to the catalog, so a change
makes every old entry unreachable on every app server at once. Entries live in each process's
memory (`caches["local"]`): a hit costs no network round trip.

- `cache_page`: a visitor's whole page (every visitor without a session sees the same one),
  and a learner's whole page, also keyed by their own version (which `mlmath.invalidation`
  replaces on any change to what their pages show), their CSRF secret and the quarter hour.
- `cached_for_catalog_version`: catalog data a page reads (a topic, a page of topics).
- `render_many`: rendered pieces keyed by everything they show (a resource card, keyed by
  the resource and what it shows of the learner: see `progress.templatetags.progress_tags`).

Nothing else of a learner's is cached: a page rendered for them reads their state in one
query (`LearnerProgress`), and a card shows of it only what its key names.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from mlmath import versions

# Local entries are unreachable once the version changes; the timeout only bounds memory.
LOCAL_TIMEOUT = 24 * 60 * 60
# The request headers that change what a page answers (HTMX asks for partials).
VARY_HEADERS = ("Cookie", "HX-Request")
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_HISTORY_RESTORE_REQUEST")
# Every time zone's offset is a multiple of 15 minutes, so a learner's local date (streaks,
# the calendar, "this week") only changes at a quarter hour, UTC.
LOCAL_DATE_PERIOD = 15 * 60


def local_cache():
    return caches["local"]


def learner_page_cache():
    """Learners' whole pages, apart so that these large entries cannot crowd out the rest."""
    return caches["learner_pages"]


def catalog_version():
    """The current catalog version (None when there is no shared cache to hold one)."""
    return versions.current(versions.CATALOG)[0]


def catalog_key(version, *parts):
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"catalog:{version}:{digest}"


def cached_for_catalog_version(name, build):
    """`build()`'s result (catalog data only, picklable), computed once per catalog version and
    process."""
    return cached_for_versions((), name, build)


def cached_for_versions(version_keys, name, build):
    """`build()`'s result (picklable; not None), computed once per process and versions: the
    catalog's and those named (`mlmath.versions` keys), which must be replaced whenever what
    `build` reads changes."""
    tokens = versions.current(versions.CATALOG, *version_keys)
    if None in tokens:
        return build()
    key = catalog_key(tokens[0], "data", name, *tokens[1:])
    value = local_cache().get(key)
    if value is None:
        value = build()
        local_cache().set(key, value, LOCAL_TIMEOUT)
    return value


def render_many(template_name, contexts):
    """`{key: context}` rendered with `template_name` into `{key: html}`, each rendered once per
    catalog version and process.

    A context must hold everything its HTML shows and nothing else, and its key must name all of
    it: the template sees only that context (no request, no user), so a rendering cannot show
    anything its key does not say, and two requests with the same key share one entry.
    """
    version = catalog_version()
    keys = {key: catalog_key(version, template_name, *key) for key in contexts}
    found = local_cache().get_many(keys.values()) if version is not None else {}
    rendered = {}
    for key, context in contexts.items():
        html = found.get(keys[key])
        if html is None:
            html = rendered[keys[key]] = render_to_string(template_name, context)
        found[keys[key]] = html
    if rendered and version is not None:
        local_cache().set_many(rendered, LOCAL_TIMEOUT)
    return {key: found[keys[key]] for key in contexts}


def is_plain_visitor(request):
    """A visitor with no session and no pending messages: every such visitor sees the same page."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def cache_page(view):
    """Serve a GET page from the local cache, whole: to visitors the one page everybody gets,
    to a signed-in learner their own page as it was last rendered for them.

    A visitor's page is keyed by the catalog version, the full path and the HTMX headers; it
    may be stored by shared caches but must be revalidated (`public, no-cache`) against its
    ETag, which changes with the catalog. A learner's page adds their id and version, the
    quarter hour (their local date) and their CSRF secret: the page's forms carry a token made
    from that secret, valid for as long as the secret is. Their HTMX requests and pages with
    messages to show are always rendered, and their pages are private. Every answer says
    `Vary: Cookie, HX-Request`.
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


def learner_page_is_cacheable(request):
    return (
        request.user.is_authenticated
        and not request.META.get("HTTP_HX_REQUEST")
        and not len(get_messages(request))
    )


def learner_page(view, request, *args, **kwargs):
    learner_id = request.user.pk
    # The awards' token is read with the others (one round trip), for the header's badge.
    catalog, learner, _ = versions.current(
        versions.CATALOG, versions.learner_key(learner_id), versions.learner_awards_key(learner_id)
    )
    if catalog is None or learner is None:
        return view(request, *args, **kwargs)
    quarter_hour = int(timezone.now().timestamp() // LOCAL_DATE_PERIOD)
    if "CSRF_COOKIE" not in request.META:
        get_token(request)  # a new secret for this page's forms, which the response's cookie sets
    csrf_secret = request.META["CSRF_COOKIE"]
    key = catalog_key(
        catalog, "learner-page", learner_id, learner, quarter_hour, csrf_secret,
        request.get_full_path(),
    )  # fmt: skip
    cached = learner_page_cache().get(key)
    if cached is None:
        response, cacheable = rendered(view, request, *args, **kwargs)
        if cacheable:
            learner_page_cache().set(key, (response.content, response["Content-Type"]))
        return response
    content, content_type = cached
    return HttpResponse(content, content_type=content_type)


def visitor_page(view, request, *args, **kwargs):
    version = catalog_version()
    key = catalog_key(
        version, "page", request.get_full_path(), *(request.META.get(h) for h in HTMX_HEADERS)
    )
    cached = local_cache().get(key) if version is not None else None
    if cached is None:
        response, cacheable = rendered(view, request, *args, **kwargs)
        if not cacheable or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            patch_vary_headers(response, VARY_HEADERS)
            return response
        etag = f'"{hashlib.blake2b(response.content, digest_size=12).hexdigest()}"'
        cached = (response.content, response["Content-Type"], etag)
        if version is not None:
            local_cache().set(key, cached, LOCAL_TIMEOUT)
    content, content_type, etag = cached
    response = None
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        response = get_conditional_response(request, etag=etag)
    response = response or HttpResponse(content, content_type=content_type)
    # A fresh response: the headers are set whole rather than patched.
    response["ETag"] = etag
    response["Vary"] = ", ".join(VARY_HEADERS)
    response["Cache-Control"] = "public, no-cache"
    return response
