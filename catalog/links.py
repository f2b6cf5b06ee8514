"""Check that resource links still answer, and record the result on each resource.

Each URL gets a HEAD request (repeated as GET when the server answers HEAD with an error, as
many refuse HEAD), redirects are followed by hand so permanent ones can be reported, requests
run in a bounded thread pool with a timeout each, and only the calling thread touches the
database.
"""

import http.client
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.db.models import Q
from django.utils import timezone

from catalog.models import Resource

DEFAULT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 8
MAX_REDIRECTS = 10
PERMANENT_REDIRECTS = {301, 308}
USER_AGENT = "mlmath-link-checker/1.0 (checks the links of a study catalog)"
LINK_FIELDS = [
    "link_checked_at",
    "link_status_code",
    "link_is_broken",
    "link_redirect_url",
    "link_error",
]
NOT_CHECKED = "not checked"
# Each outcome a recorded check can have: its name for curators, and the resources that have it.
LINK_OUTCOMES = {
    "broken": ("Broken", Q(link_is_broken=True)),
    "moved": ("Moved (update the URL)", Q(link_is_broken=False) & ~Q(link_redirect_url="")),
    "ok": ("OK", Q(link_checked_at__isnull=False, link_is_broken=False, link_redirect_url="")),
    "unchecked": ("Not checked yet", Q(link_checked_at__isnull=True)),
}
_ERROR_MAX_LENGTH = Resource._meta.get_field("link_error").max_length
_REDIRECT_MAX_LENGTH = Resource._meta.get_field("link_redirect_url").max_length


@dataclass(frozen=True)
class LinkCheck:
    """What one URL answered."""

    url: str
    status_code: int | None  # The final status after redirects; None when nothing answered.
    is_broken: bool
    redirect_url: str = ""  # Where a permanent redirect points: the URL to use instead.
    error: str = ""  # Why nothing answered (timeout, refused, ...).

    @property
    def outcome(self):
        if self.is_broken:
            return "broken"
        return "moved" if self.redirect_url else "ok"

    def describe(self):
        return describe_link_status(
            status_code=self.status_code,
            is_broken=self.is_broken,
            redirect_url=self.redirect_url,
            error=self.error,
        )


def describe_link_status(*, status_code, is_broken, redirect_url, error):
    """A link's state in a few words: "ok (200)", "broken: 404 Not Found", "moved to ..."."""
    if is_broken:
        return f"broken: {status_text(status_code) if status_code else error}"
    if redirect_url:
        return f"moved to {redirect_url}"
    return f"ok ({status_code})"


def recorded_link_check(resource):
    """What the resource's link answered when it was last checked; None if it never was."""
    if resource.link_checked_at is None:
        return None
    return LinkCheck(
        url=resource.url,
        status_code=resource.link_status_code,
        is_broken=resource.link_is_broken,
        redirect_url=resource.link_redirect_url,
        error=resource.link_error,
    )


def status_text(status_code):
    try:
        return f"{status_code} {HTTPStatus(status_code).phrase}"
    except ValueError:
        return str(status_code)


class _DontFollowRedirects(HTTPRedirectHandler):
    def redirect_request(self, request, fp, code, msg, headers, newurl):
        return None  # The 3xx then surfaces as an HTTPError, with its Location header.


def _request(url, method, timeout):
    """(status, Location header) of a single request, redirects not followed."""
    opener = build_opener(_DontFollowRedirects)
    request = Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, None
    except HTTPError as error:
        error.close()
        return error.code, error.headers.get("Location")


def _fetch(url, timeout):
    try:
        status, location = _request(url, "HEAD", timeout)
    except (http.client.HTTPException, URLError) as error:
        # Some servers hang up on HEAD instead of answering it; other failures are final.
        if not isinstance(getattr(error, "reason", error), http.client.HTTPException):
            raise
        return _request(url, "GET", timeout)
    if status >= 400:
        # 405 and 501 mean "no HEAD here"; some servers answer HEAD with 403 or 404 too.
        return _request(url, "GET", timeout)
    return status, location


def _describe_error(error, timeout):
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {reason.reason or reason}"
    return (str(reason) or type(reason).__name__)[:_ERROR_MAX_LENGTH]


def check_url(url, *, timeout=DEFAULT_TIMEOUT):
    """Check one URL, following up to MAX_REDIRECTS redirects."""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return LinkCheck(url, None, True, error="not an http(s) URL")
    current = url
    permanent_target = ""
    only_permanent_so_far = True
    seen = {url}
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, location = _fetch(current, timeout)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return LinkCheck(url, None, True, permanent_target, _describe_error(error, timeout))
        if not (300 <= status < 400 and location):
            return LinkCheck(url, status, status >= 400, permanent_target)
        target = urljoin(current, location)
        # A curator should update the URL to where the permanent redirects lead, no further.
        if only_permanent_so_far and status in PERMANENT_REDIRECTS:
            permanent_target = target
        else:
            only_permanent_so_far = False
        if target in seen:
            return LinkCheck(url, status, True, permanent_target, "redirect loop")
        seen.add(target)
        current = target
    return LinkCheck(url, None, True, permanent_target, "too many redirects")


def check_urls(urls, *, timeout=DEFAULT_TIMEOUT, concurrency=DEFAULT_CONCURRENCY):
    """{url: LinkCheck}, at most `concurrency` requests in flight at once."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    unique_urls = list(dict.fromkeys(urls))
    if not unique_urls:
        return {}
    with ThreadPoolExecutor(max_workers=min(concurrency, len(unique_urls))) as pool:
        checks = pool.map(lambda url: check_url(url, timeout=timeout), unique_urls)
        return dict(zip(unique_urls, checks, strict=True))


def check_resources(resources, *, timeout=DEFAULT_TIMEOUT, concurrency=DEFAULT_CONCURRENCY):
    """Check the resources' URLs and record the results on them; return [(resource, check)]."""
    resources = list(resources)
    checks = check_urls([r.url for r in resources], timeout=timeout, concurrency=concurrency)
    checked_at = timezone.now()
    for resource in resources:
        check = checks[resource.url]
        resource.link_checked_at = checked_at
        resource.link_status_code = check.status_code
        resource.link_is_broken = check.is_broken
        redirect_url = check.redirect_url
        resource.link_redirect_url = (
            redirect_url if len(redirect_url) <= _REDIRECT_MAX_LENGTH else ""
        )
        resource.link_error = check.error[:_ERROR_MAX_LENGTH]
    Resource.objects.bulk_update(resources, LINK_FIELDS)
    return [(resource, checks[resource.url]) for resource in resources]


def summarize(checks):
    """ "Checked 16 links: 13 ok, 1 moved, 2 broken." """
    outcomes = [check.outcome for check in checks]
    noun = "link" if len(outcomes) == 1 else "links"
    counts = ", ".join(f"{outcomes.count(o)} {o}" for o in ["ok", "moved", "broken"])
    return f"Checked {len(outcomes)} {noun}: {counts}."
