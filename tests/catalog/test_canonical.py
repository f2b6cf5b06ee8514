"""`canonical_url`: the one spelling of a resource's URL, so the same work is one resource."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.canonical import canonical_url

SAME_WORK = {
    "scheme and host in any case": (
        "HTTPS://Example.ORG/Courses/Linear",
        "https://example.org/Courses/Linear",
    ),
    "www. dropped": ("https://www.khanacademy.org/math", "https://khanacademy.org/math"),
    "WWW. in capitals dropped": ("https://WWW.edx.org/course", "https://edx.org/course"),
    "default https port dropped": ("https://example.org:443/a", "https://example.org/a"),
    "default http port dropped": ("http://example.org:80/a", "http://example.org/a"),
    "trailing slash dropped": ("https://example.org/a/b/", "https://example.org/a/b"),
    "several trailing slashes dropped": ("https://example.org/a//", "https://example.org/a"),
    "fragment dropped": ("https://example.org/book#chapter-3", "https://example.org/book"),
    "utm parameters dropped": (
        "https://example.org/a?utm_source=news&utm_medium=email&utm_campaign=x",
        "https://example.org/a",
    ),
    "UTM parameters in capitals dropped": (
        "https://example.org/a?UTM_Source=x",
        "https://example.org/a",
    ),
    "click ids dropped": ("https://example.org/a?fbclid=abc&gclid=def", "https://example.org/a"),
    "ref and ref_src dropped": (
        "https://example.org/a?ref=hn&ref_src=twsrc",
        "https://example.org/a",
    ),
    "mailchimp ids dropped": ("https://example.org/a?mc_cid=1&mc_eid=2", "https://example.org/a"),
    "other parameters sorted": (
        "https://example.org/a?v=2&list=x&t=10",
        "https://example.org/a?list=x&t=10&v=2",
    ),
    "tracking dropped, the rest sorted": (
        "https://www.youtube.com/watch?v=abc&utm_source=x&feature=share",
        "https://youtube.com/watch?feature=share&v=abc",
    ),
    "a repeated parameter keeps every value, sorted": (
        "https://example.org/a?tag=b&tag=a",
        "https://example.org/a?tag=a&tag=b",
    ),
    "empty query dropped": ("https://example.org/a?", "https://example.org/a"),
    "surrounding spaces dropped": ("  https://example.org/a  ", "https://example.org/a"),
    "all at once": (
        "HTTPS://WWW.Example.org:443/Path/?b=2&utm_source=x&a=1#top",
        "https://example.org/Path?a=1&b=2",
    ),
}


@pytest.mark.parametrize(("url", "canonical"), SAME_WORK.values(), ids=SAME_WORK.keys())
def test_spellings_of_the_same_work_become_one(url, canonical):
    assert canonical_url(url) == canonical


ROOTS = [
    "https://example.org",
    "https://example.org/",
    "https://www.example.org//",
    "https://EXAMPLE.org:443",
]


@pytest.mark.parametrize("url", ROOTS)
def test_a_site_root_is_one_url_written_with_its_slash(url):
    assert canonical_url(url) == "https://example.org/"


KEPT_AS_WRITTEN = {
    "the path's case": "https://example.org/Papers/RandomProc.PDF",
    "percent-encoding": "https://en.wikipedia.org/wiki/Adaptive_filter%28signal%29",
    "a query value's encoding": "https://example.org/search?q=linear+algebra%20mit",
    "a non-default port": "https://example.org:8443/a",
    "http (a different scheme is a different URL)": "http://ocw.mit.edu/courses/18-06",
    "a www-like host that is not www.": "https://www2.example.org/a",
    "a host named www alone": "http://www/a",
    "a parameter that only starts like ref": "https://example.org/a?reference=3",
    "user info": "https://reader@example.org/a",
    "an IPv6 host with its port": "http://[2001:db8::1]:8080/a",
}


@pytest.mark.parametrize("url", KEPT_AS_WRITTEN.values(), ids=KEPT_AS_WRITTEN.keys())
def test_what_may_change_the_page_is_kept(url):
    assert canonical_url(url) == url


def test_ipv6_host_loses_only_its_default_port():
    assert canonical_url("http://[2001:DB8::1]:80/a/") == "http://[2001:db8::1]/a"


@pytest.mark.parametrize(
    "text", ["", "   ", "not a url", "example.org/a", "//example.org/a", "http://[::1/a"]
)
def test_text_that_is_not_an_absolute_url_is_left_for_validation(text):
    assert canonical_url(text) == text.strip()


def test_none_is_empty():
    assert canonical_url(None) == ""


URL_PARTS = st.text(alphabet="abcXYZ019-._~%/?&=#:@+", max_size=30)


@settings(derandomize=True, database=None, max_examples=300)
@given(
    scheme=st.sampled_from(["http", "HTTPS", "https"]),
    host=st.sampled_from(
        ["example.org", "WWW.Example.org", "www.example.org:443", "a.b:80", "[::1]:8080"]
    ),
    rest=URL_PARTS,
)
def test_canonical_urls_are_already_canonical(scheme, host, rest):
    canonical = canonical_url(f"{scheme}://{host}/{rest}")
    assert canonical_url(canonical) == canonical
