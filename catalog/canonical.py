"""A resource's URL in one canonical spelling, so that the same work listed by two curricula
(or pasted twice by a curator) is one resource.

Only what never changes which page a link opens, in practice, is normalised: the case of the
scheme and host, a `www.` prefix, the default port, a trailing slash, the fragment, tracking
parameters and the order of the other query parameters. The path's case and its
percent-encoding are kept as written: servers may tell them apart.
"""

from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
# Query parameters that say where a visitor came from, never what they asked for.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "ref", "ref_src", "mc_cid", "mc_eid"})
TRACKING_PREFIXES = ("utm_",)


def canonical_url(url):
    """`url` in its canonical spelling: "HTTPS://WWW.Example.org:443/Path/?b=2&utm_source=x&a=1#top"
    is "https://example.org/Path?a=1&b=2". Text that is not an absolute URL is returned stripped,
    unchanged otherwise (URL validation says what is wrong with it)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    return urlunsplit(
        (scheme, _canonical_netloc(parts.netloc, scheme), _canonical_path(parts.path),
         _canonical_query(parts.query), "")
    )  # fmt: skip


def _canonical_netloc(netloc, scheme):
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("["):  # an IPv6 address: "[::1]:8080"
        end = hostport.find("]") + 1
        host, port = hostport[:end], hostport[end:].removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    host = host.lower()
    if host.startswith("www.") and "." in host.removeprefix("www."):
        host = host.removeprefix("www.")
    if port.isdigit() and int(port) == DEFAULT_PORTS.get(scheme):
        port = ""
    return f"{userinfo}{at}{host}" + (f":{port}" if port else "")


def _canonical_path(path):
    """The path without trailing slashes; the root, written "/" or not at all, is "/"."""
    return path.rstrip("/") or "/"


def _is_tracking(name):
    name = unquote_plus(name).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _canonical_query(query):
    """The query's parameters without tracking ones, sorted by name (then value), each kept as
    written (its encoding untouched)."""
    pairs = [pair for pair in query.split("&") if pair]
    kept = [pair for pair in pairs if not _is_tracking(pair.partition("=")[0])]
    return "&".join(sorted(kept, key=lambda pair: (unquote_plus(pair.partition("=")[0]), pair)))
