"""Project-level endpoints that belong to no app: the health check, favicon, app manifest,
the benchmark's floor (the cheapest page the stack can serve), and the error handler that
answers a database outage with 503."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

# What a lost or refused database connection raises (and SQLite's "database is locked").
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    """503 with Retry-After: JSON for the health check, else a page that needs no database."""
    if request.path == reverse("healthz"):
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request):
    """The 500 handler. Django calls it for an exception raised anywhere (view, middleware,
    another error page), so a database outage becomes a 503 here, in one place."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable(request)
    return defaults.server_error(request)


@require_safe
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return database_unavailable(request)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers and crawlers that ignore `<link rel="icon">` still ask for `/favicon.ico`."""
    return redirect(static("icons/favicon-32.png"), permanent=True)


@require_safe
@cache_control(public=True, max_age=86400)
def web_manifest(request):
    """The web app manifest; a view so icon URLs follow the hashed static file names."""
    icons = [
        {"src": static("icons/favicon.svg"), "type": "image/svg+xml", "sizes": "any"},
        {"src": static("icons/icon-192.png"), "type": "image/png", "sizes": "192x192"},
        {"src": static("icons/icon-512.png"), "type": "image/png", "sizes": "512x512"},
    ]
    manifest = {
        "name": "mlmath: the math you need for machine learning",
        "short_name": "mlmath",
        "start_url": "/",
        "display": "standalone",
        "background_color": "#fbfaf7",
        "theme_color": "#2f5bd3",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_safe
@never_cache
def floor(request):
    """A tiny template through the full middleware stack, with no queries of its own.

    `make bench` divides every page's throughput by this one's, measured in the same run with
    the same cookies, so the figures say what the pages cost beyond Django itself. It shows
    nothing and changes nothing.
    """
    return render(request, "mlmath/floor.html")
