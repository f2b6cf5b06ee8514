"""What a label, heading or URL says about a resource: its kind and who provides it."""

import re
from urllib.parse import urlsplit

from catalog.models import Resource

# Labels and headings that say what kind of resource follows ("Books", "Video:").
_KIND_WORDS = {
    "book": Resource.Kind.BOOK,
    "textbook": Resource.Kind.BOOK,
    "ebook": Resource.Kind.BOOK,
    "course": Resource.Kind.COURSE,
    "mooc": Resource.Kind.COURSE,
    "video": Resource.Kind.VIDEO,
    "playlist": Resource.Kind.VIDEO,
    "article": Resource.Kind.ARTICLE,
    "paper": Resource.Kind.ARTICLE,
    "blog": Resource.Kind.ARTICLE,
    "post": Resource.Kind.ARTICLE,
    "tutorial": Resource.Kind.ARTICLE,
    "tool": Resource.Kind.TOOL,
    "library": Resource.Kind.TOOL,
    "software": Resource.Kind.TOOL,
    "discussion": Resource.Kind.DISCUSSION,
    "forum": Resource.Kind.DISCUSSION,
}

# Well-known hosts (and their subdomains): the provider's name and the usual kind of resource.
_KNOWN_HOSTS = {
    "khanacademy.org": ("Khan Academy", Resource.Kind.COURSE),
    "edx.org": ("edX", Resource.Kind.COURSE),
    "coursera.org": ("Coursera", Resource.Kind.COURSE),
    "udacity.com": ("Udacity", Resource.Kind.COURSE),
    "ocw.mit.edu": ("MIT OpenCourseWare", Resource.Kind.COURSE),
    "youtube.com": ("YouTube", Resource.Kind.VIDEO),
    "youtu.be": ("YouTube", Resource.Kind.VIDEO),
    "wikipedia.org": ("Wikipedia", Resource.Kind.ARTICLE),
    "arxiv.org": ("arXiv", Resource.Kind.ARTICLE),
    "distill.pub": ("Distill", Resource.Kind.ARTICLE),
    "medium.com": ("Medium", Resource.Kind.ARTICLE),
    "github.com": ("GitHub", Resource.Kind.TOOL),
    "quora.com": ("Quora", Resource.Kind.DISCUSSION),
    "reddit.com": ("Reddit", Resource.Kind.DISCUSSION),
    "stackexchange.com": ("Stack Exchange", Resource.Kind.DISCUSSION),
    "stackoverflow.com": ("Stack Overflow", Resource.Kind.DISCUSSION),
}


def kind_named(label):
    """The resource kind a label or heading names ("Books", "Free videos"), or ""."""
    words = re.findall(r"[a-z]+", label.lower())
    if not words:
        return ""
    last = words[-1]
    for candidate in (last, last.removesuffix("s"), last.removesuffix("ies") + "y"):
        if candidate in _KIND_WORDS:
            return _KIND_WORDS[candidate]
    return ""


def guess_provider(url):
    """Who offers a URL: a known name for well-known hosts, else the host itself."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return _known_host(host)[0] or host


def _known_host(host):
    parts = host.split(".")
    for start in range(len(parts) - 1):
        known = _KNOWN_HOSTS.get(".".join(parts[start:]))
        if known:
            return known
    return "", ""


def guess_kind(url):
    """The usual kind of resource at a well-known host ("youtube.com": a video), or ""."""
    return _known_host((urlsplit(url).hostname or "").lower())[1]
