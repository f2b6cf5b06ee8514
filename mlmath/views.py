"""Project-level endpoints that belong to no app: the health check, favicon and app manifest,
and the benchmark's floor (the cheapest page the stack can serve)."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers and crawlers that ignore `<link rel="icon">` still ask for `/favicon.ico`."""
    return redirect(static("icons/favicon-32.png"), permanent=True)


@require_GET
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


@require_GET
@never_cache
def floor(request):
    """A tiny template through the full middleware stack, with no queries of its own.

    `make bench` divides every page's throughput by this one's, measured in the same run with
    the same cookies, so the figures say what the pages cost beyond Django itself. It shows
    nothing and changes nothing.
    """
    return render(request, "mlmath/floor.html")
