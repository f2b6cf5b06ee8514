"""axe-core on every public page, in the light and the dark scheme, with no console errors."""

import pytest
from playwright.sync_api import expect

from catalog.models import Milestone, Resource
from tests.browser.conftest import axe_violations
from tests.factories import complete, give_evidence

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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_after_a_degree_earning_form_post_has_no_serious_axe_violations(
    page, seeded_live_server, sign_in, learner, console_errors, scheme
):
    """The page a plain form post (a browser without JavaScript) comes back to: its message,
    sticky, and the panel for the degree it earned. Posted through the page's own form fields,
    as such a browser would, since axe itself needs JavaScript."""
    give_evidence(learner, Milestone.objects.get(slug="kaggle-keras-xgboost"))
    complete(learner, Resource.objects.get(slug="keras"))
    sign_in(page, learner)
    page.emulate_media(color_scheme=scheme)
    topic = seeded_live_server.url + "/topics/how-to-study-the-degrees/"
    page.goto(seeded_live_server.url + "/progress/")
    token = page.locator("#progress-form input[name=csrfmiddlewaretoken]").input_value()

    posted = page.request.post(
        seeded_live_server.url + "/progress/resources/xgboost/status/",
        form={"csrfmiddlewaretoken": token, "status": "completed", "next": topic},
        max_redirects=0,
    )

    assert posted.status == 302
    assert page.goto(seeded_live_server.url + posted.headers["location"]).status == 200
    expect(page.get_by_role("region", name="You earned Practitioner")).to_be_visible()
    expect(page.get_by_role("status").locator(".message")).to_have_text("XGboost: completed.")
    assert axe_violations(page) == []
