"""The share page and the sharing control in a real browser: HTMX, copy link, accessibility."""

import pytest

from tests.browser.conftest import axe_violations
from tests.factories import earn_seed_practitioner

pytestmark = pytest.mark.browser


@pytest.fixture
def ada(seeded_live_server, make_learner):
    return make_learner("ada")


def test_sharing_from_the_dashboard_swaps_the_control_and_links_the_page(
    page, seeded_live_server, sign_in, ada, console_errors
):
    award = earn_seed_practitioner(ada)
    sign_in(page, ada)
    page.goto(seeded_live_server.url + "/progress/")
    page.get_by_role("button", name="Make shareable your Practitioner badge").click()
    link = page.get_by_role("link", name="your Practitioner badge page")
    link.wait_for()
    award.refresh_from_db()
    assert award.is_shared
    link.click()
    page.wait_for_url(f"**/badges/{award.public_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Practitioner degree"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_share_page_has_no_serious_axe_violations(
    page, seeded_live_server, ada, console_errors, scheme
):
    award = earn_seed_practitioner(ada).set_shared(True)
    page.emulate_media(color_scheme=scheme)
    response = page.goto(f"{seeded_live_server.url}/badges/{award.public_id}/")
    assert response.status == 200
    assert axe_violations(page) == []
    award.revoke(reason="Evidence copied.")
    page.reload()
    assert axe_violations(page) == []


def test_copy_link_copies_the_share_url_and_says_so(page, seeded_live_server, ada, console_errors):
    award = earn_seed_practitioner(ada).set_shared(True)
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=seeded_live_server.url
    )
    page.goto(f"{seeded_live_server.url}/badges/{award.public_id}/")
    page.get_by_role("button", name="Copy link").click()
    status = page.locator("#copy-status")
    status.filter(has_text="Link copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/badges/{award.public_id}/")
