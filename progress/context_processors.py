"""Give every page the signed-in learner's progress (loaded lazily) and where forms return to."""

from urllib.parse import urlsplit, urlunsplit

from django.utils.http import url_has_allowed_host_and_scheme

from progress.learner import LearnerProgress

# The extra tag of the message confirming a plain form post that earned a degree: the page the
# learner comes back to shows the earned panel for it (progress_tags.earned_panel).
EARNED_MESSAGE_TAG = "earned"


def learner_progress(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"learner_progress": None}
    return {
        "learner_progress": LearnerProgress(user),
        # Where progress forms send the learner back to without JavaScript.
        "progress_return_url": return_url(request),
    }


def safe_local_path(request, url):
    """`url` as a path on this site ("/topics/calculus/?page=2"), or None when it is not one.

    The one rule for where a `next` or an HTMX current URL may send the learner: this site
    only (no open redirects), and always a path starting with "/", never a bare word such as
    "account_login", which `redirect()` would look up as a URL name.
    """
    if not url or not is_on_this_site(request, url):
        return None
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    # Re-checked without the host: "http://ourhost//evil.example" must not become "//evil...".
    if not path.startswith("/") or not is_on_this_site(request, path):
        return None
    return path


def is_on_this_site(request, url):
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def first_safe_url(request, *urls):
    """The first of `urls` that is a safe local path (see `safe_local_path`), or None."""
    for url in urls:
        if path := safe_local_path(request, url):
            return path
    return None


def with_fragment(url, fragment):
    """`url` leading to the element with id `fragment` (any fragment it had is replaced)."""
    return urlunsplit(urlsplit(url)._replace(fragment=fragment))


def return_url(request):
    """The page the learner is on: for an HTMX request, the page that made it."""
    htmx = getattr(request, "htmx", None)
    current_url = htmx.current_url if htmx else None
    return first_safe_url(request, current_url) or request.get_full_path()
