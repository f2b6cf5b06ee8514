"""axe-core on every public page, in the light and the dark scheme, with no console errors."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/topics/linear-algebra/",
    "/degrees/",
    "/degrees/developer/",
    "/search/?q=fourier",
    "/accounts/signup/",
    "/accounts/login/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_axe_violations(
    page, seeded_live_server, console_errors, path, scheme
):
    page.emulate_media(color_scheme=scheme)
    response = page.goto(seeded_live_server.url + path)
    assert response.status == 200
    assert axe_violations(page) == []


def test_every_page_declares_a_favicon_and_manifest_that_load(page, seeded_live_server):
    page.goto(seeded_live_server.url + "/")
    for selector in ['link[rel="icon"][type="image/svg+xml"]', 'link[rel="manifest"]']:
        href = page.locator(selector).get_attribute("href")
        assert page.request.get(seeded_live_server.url + href).ok, href
    assert page.request.get(seeded_live_server.url + "/favicon.ico").ok


def test_dark_scheme_follows_the_system_preference(page, seeded_live_server):
    page.goto(seeded_live_server.url + "/")
    light = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert light != dark
    red, green, blue = (int(part) for part in dark[dark.index("(") + 1 : -1].split(",")[:3])
    assert max(red, green, blue) < 64, f"dark background is not dark: {dark}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signed_in_and_account_pages_have_no_serious_axe_violations(
    page, seeded_live_server, sign_in, learner, console_errors, scheme
):
    from accounts.models import Profile

    profile = Profile.objects.for_user(learner)
    profile.is_public = True
    profile.save()
    sign_in(page, learner)
    page.emulate_media(color_scheme=scheme)
    for path in [
        "/progress/",
        "/degrees/",
        "/degrees/developer/",
        "/account/",
        "/account/export/",
        f"/u/{learner.username}/",
        "/verify/",
    ]:
        response = page.goto(seeded_live_server.url + path)
        assert response.status == 200, path
        assert axe_violations(page) == [], path
