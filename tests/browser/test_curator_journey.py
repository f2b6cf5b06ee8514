"""Journey 5: a curator works in the admin, and the learner sees the result.

The curator signs in through the admin's form, unpublishes a resource the learner completed
(the learner no longer sees it nor counts it), and rejects the learner's evidence with a note
(the learner sees why).
"""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.factories import PASSWORD, default_curriculum, earn_seed_practitioner, make_learner

pytestmark = pytest.mark.browser

# What the Curators group grants for this journey; the group itself comes from a data migration,
# which the live server's flush between tests removes.
CURATOR_PERMISSIONS = ["view_resource", "change_resource", "view_evidence", "change_evidence"]

NOTE = "The notebook uses neither Keras nor XGBoost."


def admin_action(page, row_link, action):
    """Tick the change list row whose link is `row_link` and run the bulk action `action`."""
    row = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=row_link, exact=True)
    )
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Go").click()


def test_journey_5_curator_unpublishes_a_resource_and_rejects_evidence(
    page, browser, seeded_live_server, sign_in, console_errors
):
    base = seeded_live_server.url
    learner = make_learner("grace")
    earn_seed_practitioner(learner)
    curator = make_learner("curator", is_staff=True)
    curator.user_permissions.add(*Permission.objects.filter(codename__in=CURATOR_PERMISSIONS))
    default_curriculum().curators.add(curator)  # the seed's curriculum is theirs

    learner_context = browser.new_context()
    try:
        learner_page = sign_in(learner_context.new_page(), learner)
        learner_page.goto(base + "/topics/how-to-study-the-degrees/")
        expect(learner_page.locator("#resource-keras")).to_contain_text("Completed")
        expect(learner_page.locator("#topic-progress-how-to-study-the-degrees")).to_contain_text(
            "2 of 2 done"
        )

        page.goto(base + "/admin/")
        page.get_by_label("Username").fill("curator")
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("administration")

        page.goto(base + "/admin/catalog/resource/?q=keras")
        admin_action(page, "Keras", "unpublish")
        expect(page.locator(".messagelist")).to_contain_text("1")

        learner_page.reload()
        expect(learner_page.locator("#resource-keras")).to_have_count(0)
        expect(learner_page.locator("#resource-xgboost")).to_contain_text("Completed")
        expect(learner_page.locator("#topic-progress-how-to-study-the-degrees")).to_contain_text(
            "1 of 1 done"
        )
        learner_page.goto(base + "/search/?q=keras")
        expect(learner_page.locator("#results #resource-keras")).to_have_count(0)
        learner_page.goto(base + "/progress/")
        expect(learner_page.get_by_role("list", name="Overall progress")).to_contain_text(
            "1 of 13 resources completed"
        )
        expect(learner_page.locator("#degree-practitioner")).to_contain_text(
            "Keras is not available right now"
        )

        page.goto(base + "/admin/progress/evidence/")
        admin_action(page, "Use Keras and XGBoost in a Kaggle competition", "mark_rejected")
        page.get_by_label("Note to the learner").fill(NOTE)
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Reject with this note").click()
        expect(page.locator(".messagelist")).to_be_visible()

        learner_page.reload()
        milestone = learner_page.locator("#milestone-kaggle-keras-xgboost")
        expect(milestone).to_contain_text("Rejected by a curator: it no longer counts")
        expect(milestone).to_contain_text(f"Curator’s note: {NOTE}")
        expect(learner_page.locator("#degree-practitioner")).to_contain_text(
            re.compile("Rests on rejected evidence")
        )
    finally:
        learner_context.close()
