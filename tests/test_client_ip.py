"""Behind reverse proxies, rate limits count per client, not per proxy (TRUSTED_PROXY_COUNT)."""

import pytest

from tests.html import text
from tests.processes import production_secret_key, settings_under

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

PROXY = "127.0.0.1"  # nginx, on the same machine: every request comes from it
LIMITED = "Too many failed login attempts"


def sign_in_through_the_proxy(client, username, forwarded_for):
    response = client.post(
        "/accounts/login/",
        {"login": username, "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    assert response.status_code in {200, 429}
    return LIMITED in text(response)


def ten_failures_from(client, forwarded_for):
    # Ten accounts, so only the per-address limit (10 a minute) is reached.
    return [sign_in_through_the_proxy(client, f"nobody{n}", forwarded_for) for n in range(10)]


def test_behind_one_proxy_one_clients_failures_do_not_lock_out_another(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    assert ten_failures_from(client, "203.0.113.7") == [False] * 10
    assert sign_in_through_the_proxy(client, "nobody", "203.0.113.7")
    assert not sign_in_through_the_proxy(client, "nobody", "203.0.113.8")


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it saw to whatever the client sent.
    forged = [f"198.51.100.{n}, 203.0.113.7" for n in range(11)]

    limited = [sign_in_through_the_proxy(client, f"nobody{n}", xff) for n, xff in enumerate(forged)]

    assert limited == [False] * 10 + [True]


def test_without_trusted_proxies_the_header_is_ignored(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0

    ten_failures_from(client, "203.0.113.7")

    # Every request came from one address (the proxy's), whatever the header claims.
    assert sign_in_through_the_proxy(client, "nobody", "203.0.113.8")


def test_trusted_proxy_count_comes_from_the_environment():
    extra = "ALLAUTH_TRUSTED_PROXY_COUNT"
    assert settings_under(SECRET_KEY=production_secret_key(), TRUSTED_PROXY_COUNT="2")[extra] == 2
    assert settings_under(SECRET_KEY=production_secret_key())[extra] == 0
