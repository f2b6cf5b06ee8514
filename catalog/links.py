"""Check that resource links still answer, and record the result on each resource.

Each URL gets a HEAD request (repeated as GET when the server answers HEAD with an error, as
many refuse HEAD), redirects are followed by hand so permanent ones can be reported, requests
run in a bounded thread pool with a timeout each, and only the calling thread touches the
database.

The checker fetches what curators (or whoever a resource's server redirects to) name, so
every hop is checked before it is fetched: only http and https, at most MAX_REDIRECTS
redirects, and never an address inside a private, loopback, link-local, reserved or
multicast network (unless LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS allows it). The host is
resolved once per hop and the connection goes to the very address that was checked, so a
name cannot resolve to a public address for the check and a private one for the request.
"""

import dataclasses
import http.client
import ipaddress
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from catalog.canonical import canonical_url
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


class RefusedTarget(Exception):
    """A URL the checker will not fetch; the message is what curators read after "broken: "."""


def allowed_private_networks():
    """The networks of LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS (CIDR strings), parsed."""
    return [
        ipaddress.ip_network(network, strict=False)
        for network in getattr(settings, "LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS", ())
    ]


def is_public_address(address):
    """Whether an IP address is on the public internet: not private, loopback, link-local,
    shared (carrier NAT), reserved, unspecified or multicast, nor one of those inside IPv6."""
    address = ipaddress.ip_address(address)
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None and not is_public_address(embedded):
            return False
    return address.is_global and not (address.is_multicast or address.is_reserved)


def may_fetch_address(address, allowed_networks=()):
    """Whether the checker may connect to this address: a public one, or one in a network the
    settings allow (tests serve their pages from 127.0.0.1 that way)."""
    address = ipaddress.ip_address(address)
    return is_public_address(address) or any(address in network for network in allowed_networks)


@dataclass(frozen=True)
class Target:
    """One hop, checked: where to connect, and what to ask for."""

    scheme: str
    host: str
    port: int
    address: str  # The resolved IP address the connection goes to (and that was checked).
    path: str


def resolve_target(url, allowed_networks):
    """The checked Target of a URL; raise RefusedTarget when it may not be fetched."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise RefusedTarget(f"refused: not an http(s) URL ({scheme or 'no scheme'})")
    try:
        host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:  # a port that is not a number, or out of range
        raise RefusedTarget(f"refused: {error}") from error
    if not host:
        raise RefusedTarget("refused: no host")
    addresses = list(
        dict.fromkeys(  # in the resolver's order of preference, once each
            info[4][0].split("%")[0]  # an IPv6 zone ("fe80::1%eth0") is not part of the address
            for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        )
    )
    # Every address the name has must be allowed: a client may pick any of them.
    for address in addresses:
        if not may_fetch_address(address, allowed_networks):
            raise RefusedTarget(f"refused: private address ({address})")
    # Non-ASCII in a path cannot go on the request line; what is already encoded stays so.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return Target(scheme, host, port, addresses[0], path)


@cache
def _tls_context():
    """The system's trusted certificates, verified hostnames; loaded once, shared by threads."""
    return ssl.create_default_context()


def _connection(target, timeout):
    """An HTTP(S) connection to `target.address`, naming `target.host` (Host header, TLS SNI and
    certificate check): no second DNS lookup can send it elsewhere."""
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=_tls_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def connect_to_checked_address(address, timeout, source_address=None):
        return socket.create_connection((target.address, target.port), timeout, source_address)

    connection._create_connection = connect_to_checked_address
    return connection


def _request(target, method, timeout):
    """(status, Location header) of a single request, redirects not followed, body not read."""
    connection = _connection(target, timeout)
    try:
        connection.request(method, target.path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def _fetch(target, timeout):
    try:
        status, location = _request(target, "HEAD", timeout)
    except http.client.HTTPException:
        # Some servers hang up on HEAD instead of answering it; other failures are final.
        return _request(target, "GET", timeout)
    if status >= 400:
        # 405 and 501 mean "no HEAD here"; some servers answer HEAD with 403 or 404 too.
        return _request(target, "GET", timeout)
    return status, location


def _describe_error(error, timeout):
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or error}"
    return (str(error) or type(error).__name__)[:_ERROR_MAX_LENGTH]


def check_url(url, *, timeout=DEFAULT_TIMEOUT):
    """Check one URL, following up to MAX_REDIRECTS redirects, each hop checked first."""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return LinkCheck(url, None, True, error="not an http(s) URL")
    allowed_networks = allowed_private_networks()
    current = url
    permanent_target = ""
    only_permanent_so_far = True
    seen = {url}
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, location = _fetch(resolve_target(current, allowed_networks), timeout)
        except RefusedTarget as refusal:
            # Never suggest a refused target as the URL to use instead.
            suggestion = "" if permanent_target == current else permanent_target
            return LinkCheck(url, None, True, suggestion, str(refusal))
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


def same_work(check):
    """The check, without a permanent redirect to another spelling of the same URL (its `www.`,
    its trailing slash: `canonical_url`): the link works, and leads to the same work, so it
    has not moved (a curator who updated it would change only its spelling)."""
    if check.redirect_url and canonical_url(check.redirect_url) == canonical_url(check.url):
        return dataclasses.replace(check, redirect_url="")
    return check


def check_resources(resources, *, timeout=DEFAULT_TIMEOUT, concurrency=DEFAULT_CONCURRENCY):
    """Check the resources' URLs and record the results on them; return [(resource, check)]."""
    resources = list(resources)
    found = check_urls([r.url for r in resources], timeout=timeout, concurrency=concurrency)
    checks = {url: same_work(check) for url, check in found.items()}
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
    # No cached page shows a link's check (only the admin does): no version to replace.
    Resource.objects.bulk_update(resources, LINK_FIELDS)
    return [(resource, checks[resource.url]) for resource in resources]


def summarize(checks):
    """ "Checked 16 links: 13 ok, 1 moved, 2 broken." """
    outcomes = [check.outcome for check in checks]
    noun = "link" if len(outcomes) == 1 else "links"
    counts = ", ".join(f"{outcomes.count(o)} {o}" for o in ["ok", "moved", "broken"])
    return f"Checked {len(outcomes)} {noun}: {counts}."
