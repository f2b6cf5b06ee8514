"""The link checker, against a small HTTP server on 127.0.0.1 started by the tests: never the
internet."""

import ipaddress
import socket
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog import links
from catalog.links import check_resources, check_url, check_urls, summarize
from catalog.models import Resource
from tests.factories import make_resource

TIMEOUT = 0.5


# One URL


def test_a_link_answering_200_is_ok_and_costs_one_head_request(site):
    check = check_url(site.url("/ok"), timeout=TIMEOUT)

    assert (check.status_code, check.is_broken, check.redirect_url) == (200, False, "")
    assert check.describe() == "ok (200)"
    assert site.requests == [("HEAD", "/ok")]


def test_a_permanent_redirect_is_followed_and_reports_the_new_url(site):
    check = check_url(site.url("/moved"), timeout=TIMEOUT)

    assert (check.status_code, check.is_broken) == (200, False)
    assert check.redirect_url == site.url("/ok")
    assert check.describe() == f"moved to {site.url('/ok')}"


def test_a_chain_of_permanent_redirects_reports_where_it_ends(site):
    check = check_url(site.url("/moved-twice"), timeout=TIMEOUT)

    assert check.redirect_url == site.url("/ok")
    assert check.outcome == "moved"


@pytest.mark.parametrize(
    ("path", "expected_redirect"),
    [
        ("/temporary", ""),  # The original URL is still the one to use.
        ("/temporary-then-moved", ""),
        ("/moved-then-temporary", "/temporary"),  # Update to the permanent target, no further.
    ],
)
def test_temporary_redirects_are_followed_but_not_reported_as_moves(site, path, expected_redirect):
    check = check_url(site.url(path), timeout=TIMEOUT)

    assert (check.status_code, check.is_broken) == (200, False)
    assert check.redirect_url == (site.url(expected_redirect) if expected_redirect else "")


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/error", 500)])
def test_client_and_server_errors_are_broken_links(site, path, status):
    check = check_url(site.url(path), timeout=TIMEOUT)

    assert (check.status_code, check.is_broken) == (status, True)
    assert (
        check.describe()
        == {404: "broken: 404 Not Found", 500: "broken: 500 Internal Server Error"}[status]
    )
    # HEAD failed, so GET was tried before calling the link broken.
    assert site.requests == [("HEAD", path), ("GET", path)]


def test_a_server_refusing_head_is_checked_with_get(site):
    check = check_url(site.url("/no-head"), timeout=TIMEOUT)

    assert (check.status_code, check.is_broken) == (200, False)
    assert site.requests == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_server_hanging_up_on_head_is_checked_with_get(site):
    check = check_url(site.url("/hangs-up-on-head"), timeout=TIMEOUT)

    assert (check.status_code, check.is_broken) == (200, False)
    assert site.requests == [("HEAD", "/hangs-up-on-head"), ("GET", "/hangs-up-on-head")]


def test_a_slow_server_times_out_as_a_broken_link(site):
    started = time.monotonic()

    check = check_url(site.url("/slow"), timeout=TIMEOUT)

    assert time.monotonic() - started < site.slow_seconds
    assert (check.status_code, check.is_broken) == (None, True)
    assert check.describe() == "broken: timed out after 0.5 s"


def test_a_refused_connection_is_a_broken_link(refused_url):
    check = check_url(refused_url, timeout=TIMEOUT)

    assert (check.status_code, check.is_broken, check.error) == (None, True, "connection refused")


def test_a_redirect_loop_is_a_broken_link(site):
    check = check_url(site.url("/loop"), timeout=TIMEOUT)

    assert check.is_broken
    assert check.error == "redirect loop"


def test_a_url_that_is_not_http_is_broken_without_a_request():
    check = check_url("ftp://example.org/file.pdf", timeout=TIMEOUT)

    assert (check.is_broken, check.error) == (True, "not an http(s) URL")


# What the checker refuses to fetch: only http(s), every hop checked, no private addresses.


def test_a_redirect_to_a_file_url_is_refused_as_a_broken_link(site):
    check = check_url(site.url("/to-file"), timeout=TIMEOUT)

    assert (check.status_code, check.is_broken) == (None, True)
    assert check.describe() == "broken: refused: not an http(s) URL (file)"


@pytest.mark.parametrize("path", ["/to-metadata", "/moved-to-metadata"])
def test_a_redirect_to_the_cloud_metadata_address_is_refused_without_a_request(site, path):
    started = time.monotonic()

    check = check_url(site.url(path), timeout=TIMEOUT)

    assert time.monotonic() - started < TIMEOUT  # refused, not tried and timed out
    assert (check.status_code, check.is_broken) == (None, True)
    assert check.describe() == "broken: refused: private address (169.254.169.254)"
    assert check.redirect_url == ""  # a refused target is never suggested as the new URL


def test_a_redirect_to_another_loopback_address_is_refused_and_never_fetched(
    site, other_loopback_site
):
    site.redirects["/to-loopback"] = (302, other_loopback_site.url("/ok"))

    check = check_url(site.url("/to-loopback"), timeout=TIMEOUT)

    assert check.describe() == "broken: refused: private address (127.0.0.2)"
    assert site.requests == [("HEAD", "/to-loopback")]
    assert other_loopback_site.requests == []


def test_without_the_setting_a_loopback_site_is_refused_by_name_and_by_address(site, settings):
    settings.LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS = []
    port = site.server_address[1]

    checks = check_urls(
        [site.url("/ok"), f"http://localhost:{port}/ok", f"http://[::1]:{port}/ok"],
        timeout=TIMEOUT,
    )

    assert [check.error for check in checks.values()] == [
        "refused: private address (127.0.0.1)",
        "refused: private address (127.0.0.1)",  # the name is resolved, then checked
        "refused: private address (::1)",
    ]
    assert site.requests == []


def test_the_connection_goes_to_the_checked_address_under_the_links_host_name(site, monkeypatch):
    """The host is resolved once per hop: what was checked is where the request goes (a second
    lookup could answer differently: DNS rebinding), and the server still sees the name."""
    port = site.server_address[1]
    lookups = []

    real_getaddrinfo = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host != "docs.example.org":  # the connection to the address itself
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(links.socket, "getaddrinfo", resolve)

    check = check_url(f"http://docs.example.org:{port}/moved", timeout=TIMEOUT)

    assert (check.status_code, check.redirect_url) == (200, f"http://docs.example.org:{port}/ok")
    assert lookups == ["docs.example.org", "docs.example.org"]  # once per hop
    assert site.hosts == [f"docs.example.org:{port}"] * 2


def test_redirects_stop_after_the_hop_limit(site):
    check = check_url(site.url("/chain/0"), timeout=TIMEOUT)

    assert (check.is_broken, check.error) == (True, "too many redirects")
    assert len(site.requests) == links.MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",  # carrier-grade NAT
        "224.0.0.1",  # multicast
        "240.0.0.1",  # reserved
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "2002:a01:203::1",  # 6to4 of 10.1.2.3
    ],
)
def test_private_and_special_addresses_are_refused(address):
    assert not links.may_fetch_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111"])
def test_public_addresses_may_be_fetched(address):
    assert links.may_fetch_address(address)


def test_the_setting_allows_chosen_private_networks_only():
    intranet = [ipaddress.ip_network("10.20.0.0/16")]

    assert links.may_fetch_address("10.20.3.4", intranet)
    assert not links.may_fetch_address("10.21.3.4", intranet)
    assert not links.may_fetch_address("169.254.169.254", intranet)


# Many URLs


def test_no_more_requests_run_at_once_than_the_concurrency_allows(site):
    urls = [site.url(f"/busy/{number}") for number in range(6)]

    # A generous timeout: a client that gave up on a slow (loaded) server and retried would
    # leave the abandoned request in flight on the server, which is not what this counts.
    checks = check_urls(urls, timeout=30, concurrency=2)

    assert site.max_in_flight == 2
    assert all(check.status_code == 200 for check in checks.values())


def test_requests_do_run_concurrently(site):
    urls = [site.url(f"/busy/{number}") for number in range(4)]
    started = time.monotonic()

    check_urls(urls, timeout=2, concurrency=4)

    assert site.max_in_flight > 1
    assert time.monotonic() - started < 0.2 * len(urls)


def test_summary_counts_each_outcome(site, refused_url):
    checks = check_urls(
        [site.url("/ok"), site.url("/moved"), site.url("/missing"), refused_url],
        timeout=TIMEOUT,
    )

    assert summarize(checks.values()) == "Checked 4 links: 1 ok, 1 moved, 2 broken."


def test_concurrency_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        check_urls(["http://127.0.0.1/"], concurrency=0)


# Recording results on resources


@pytest.mark.django_db
def test_results_are_recorded_on_the_resources(site, refused_url):
    ok = make_resource(url=site.url("/ok"))
    moved = make_resource(url=site.url("/moved"))
    missing = make_resource(url=site.url("/missing"))
    refused = make_resource(url=refused_url)

    check_resources(Resource.objects.all(), timeout=TIMEOUT)

    rows = {
        r.pk: r
        for r in Resource.objects.all()  # Read back from the database.
    }
    assert all(r.link_checked_at is not None for r in rows.values())
    assert (rows[ok.pk].link_status_code, rows[ok.pk].link_is_broken) == (200, False)
    assert rows[moved.pk].link_redirect_url == site.url("/ok")
    assert rows[moved.pk].link_is_broken is False
    assert (rows[missing.pk].link_status_code, rows[missing.pk].link_is_broken) == (404, True)
    assert (rows[refused.pk].link_status_code, rows[refused.pk].link_is_broken) == (None, True)
    assert rows[refused.pk].link_error == "connection refused"


@pytest.mark.django_db
def test_a_permanent_redirect_to_the_urls_own_spelling_is_no_move(site):
    """A site that redirects to another spelling of the same URL (a trailing slash, www.) is
    fine: the link works, and leads to the same work."""
    site.redirects["/book"] = (301, "/book/")
    site.redirects["/book/"] = (200, None)
    resource = make_resource(url=site.url("/book"))

    ((_, check),) = check_resources([resource], timeout=TIMEOUT)

    assert check.outcome == "ok"
    resource.refresh_from_db()
    assert (resource.link_is_broken, resource.link_redirect_url) == (False, "")


@pytest.mark.django_db
def test_a_link_that_recovers_is_no_longer_broken(site):
    resource = make_resource(
        url=site.url("/ok"), link_is_broken=True, link_status_code=500, link_error="old"
    )

    check_resources([resource], timeout=TIMEOUT)

    resource.refresh_from_db()
    assert (resource.link_is_broken, resource.link_status_code, resource.link_error) == (
        False,
        200,
        "",
    )


@pytest.mark.django_db
def test_check_links_command_checks_published_resources_and_reports_problems(site):
    make_resource(title="Fine", url=site.url("/ok"))
    make_resource(title="Relocated", url=site.url("/moved"))
    make_resource(title="Gone", url=site.url("/missing"))
    make_resource(title="Sluggish", url=site.url("/slow"))
    draft = make_resource(title="Draft", url=site.url("/error"), is_published=False)
    out = StringIO()

    call_command("check_links", "--timeout", "0.5", "--concurrency", "2", stdout=out)

    output = out.getvalue()
    assert f"moved to {site.url('/ok')}: “Relocated”" in output
    assert f"broken: 404 Not Found: “Gone” <{site.url('/missing')}>" in output
    assert "broken: timed out after 0.5 s: “Sluggish”" in output
    assert "“Fine”" not in output
    assert "Checked 4 links: 1 ok, 1 moved, 2 broken." in output
    draft.refresh_from_db()
    assert draft.link_checked_at is None
    assert ("HEAD", "/error") not in site.requests


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--timeout", "0"], "--timeout must be more than 0 seconds"),
        (["--concurrency", "0"], "--concurrency must be at least 1"),
    ],
)
def test_check_links_command_refuses_nonsense_options(option, message):
    with pytest.raises(CommandError, match=message):
        call_command("check_links", *option, stdout=StringIO())
