"""Done means, for Add to wallet (issue 20): a learner shares a badge, opens "Add to wallet" and
sees the QR code and the link; the test plays the wallet (a did:key made here) against the
exchange URL the page shows; the credential it receives verifies at /verify/, and is reported
revoked there once the curator revokes the award."""

import json

import pytest

from tests.badges.wallet import Wallet, complete_exchange_live
from tests.browser.conftest import axe_violations
from tests.factories import earn_seed_practitioner

pytestmark = pytest.mark.browser


@pytest.fixture
def ada(seeded_live_server, make_learner):
    return make_learner("ada")


def verify_in_browser(page, origin, credential):
    page.goto(origin + "/verify/")
    page.get_by_label("Badge link or signed credential (VC-JWT)").fill(json.dumps(credential))
    page.get_by_role("button", name="Verify").click()
    heading = page.locator("#verdict-heading")
    heading.filter(has_text="Valid").or_(heading.filter(has_text="Not valid")).wait_for()
    return page.locator("#verdict")


def test_a_learner_adds_a_badge_to_a_wallet_and_it_verifies_until_revoked(
    page, seeded_live_server, sign_in, ada, console_errors
):
    origin = seeded_live_server.url
    award = earn_seed_practitioner(ada)
    sign_in(page, ada)
    page.goto(origin + "/progress/")
    page.get_by_role("button", name="Make shareable your Practitioner badge").click()
    page.get_by_role("link", name="your Practitioner badge page").click()
    page.wait_for_url(f"**/badges/{award.public_id}/")

    page.get_by_role("button", name="Add to wallet").click()
    qr = page.get_by_role("img", name="QR code: scan it with your wallet app to add this badge")
    qr.wait_for()
    assert qr.evaluate("node => node.tagName") == "svg"
    deep_link = page.get_by_role("link", name="Open in the Learner Credential Wallet")
    assert deep_link.get_attribute("href").startswith("https://lcw.app/request?request=")
    assert axe_violations(page) == []
    page.get_by_text("For other wallets: the exchange URL (VC-API)").click()
    exchange_url = page.locator("#wallet-exchange-url").inner_text()
    assert exchange_url.startswith(origin + "/badges/exchanges/")

    wallet = Wallet()
    credential = complete_exchange_live(exchange_url, wallet)
    assert credential["credentialSubject"]["id"] == wallet.did

    verdict = verify_in_browser(page, origin, credential)
    assert "Valid: a badge issued by this site" in verdict.inner_text()
    assert "Not revoked" in verdict.inner_text()
    assert axe_violations(page) == []

    award.refresh_from_db()
    award.revoke(reason="Evidence copied.")  # what the curators' admin action does
    verdict = verify_in_browser(page, origin, credential)
    assert "Not valid" in verdict.inner_text()
    assert "Revoked by the issuer. No longer valid." in verdict.inner_text()
