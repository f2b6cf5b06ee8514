"""Context every page gets from the project itself."""

from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject

PAGE_CSRF_TOKEN = "_mlmath_page_csrf_token"


def page_csrf_token(request, create=True):
    """The CSRF token this request's page shows, the same in every form of it (Django masks a
    new one at each `get_token`), so a cached page knows where to write the next one in.
    None if the page shows none and `create` is False."""
    token = getattr(request, PAGE_CSRF_TOKEN, None)
    if token is None and create:
        token = get_token(request)
        setattr(request, PAGE_CSRF_TOKEN, token)
    return token


def csrf(request):
    """Replaces Django's own `csrf` context processor (which runs first) with one token per
    request."""
    return {"csrf_token": SimpleLazyObject(lambda: page_csrf_token(request))}
