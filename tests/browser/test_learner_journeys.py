"""Journeys 2 to 4, and journey 6: the same journeys with JavaScript disabled.

2. A learner signs up through the form and marks resources in progress and completed: each
   click updates the resource, the topic's progress bar and the live region in place, and a
   reload shows the same state.
3. The learner submits evidence for the Practitioner milestone and completes its resources: the
   header badge turns into Practitioner and a panel says so, with the share control and what
   Developer needs; the dashboard says what remains for Developer. The panel's one control
   shares the badge and opens its page. Next up leads a new learner to Practitioner first, and
   a degree's page marks its resources.
4. The learner makes the badge shareable and the profile public; a signed-out visitor opens
   both; the learner downloads the JSON export and the baked badge.

Every journey runs twice: with JavaScript (HTMX swaps, no page load) and without it (plain
forms and redirects back to what was pressed, with a message), which is journey 6.
"""

import json
import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Milestone, Resource
from progress.models import DegreeAward
from tests.browser.conftest import axe_violations
from tests.factories import (
    PASSWORD,
    complete,
    earn_seed_practitioner,
    give_evidence,
    make_learner,
)

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Journey:
    """One learner's browser, with or without JavaScript, and the checks that differ."""

    page: Page
    base: str
    js: bool
    errors: list = field(default_factory=list)

    def open(self, path):
        response = self.page.goto(self.base + path)
        assert response.status == 200, path
        if self.js:
            # A full page load forgets this; an HTMX swap keeps it.
            self.page.evaluate("window.sameDocument = true")

    def press(self, control):
        """Use a control: in place with JavaScript, through a form post and redirect without."""
        if self.js:
            control.click()
        else:
            with self.page.expect_navigation(wait_until="load"):
                control.click()

    def assert_no_page_load(self):
        if self.js:
            assert self.page.evaluate("window.sameDocument === true"), "a page load happened"

    def announced(self, message):
        if self.js:
            expect(self.page.locator("#live-announcement")).to_have_text(message)


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def journey(request, browser, seeded_live_server):
    context = browser.new_context(java_script_enabled=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    result = Journey(page=page, base=seeded_live_server.url, js=request.param)
    page.on("console", lambda message: message.type == "error" and result.errors.append(message))
    page.on("pageerror", lambda error: result.errors.append(str(error)))
    yield result
    context.close()
    assert result.errors == [], f"console errors: {result.errors}"


def card(page, slug):
    return page.locator(f"#resource-{slug}")


def topic_bar(page, topic_title):
    return page.get_by_role("progressbar", name=re.compile(f"^{topic_title}:"))


def test_journey_2_sign_up_and_mark_resources(journey):
    page = journey.page
    journey.open("/accounts/signup/")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Username").fill("grace")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("grace")

    journey.open("/topics/linear-algebra/")
    khan = card(page, "khan-academy-linear-algebra")
    bar = topic_bar(page, "Linear Algebra")
    expect(bar).to_have_attribute("value", "0")
    expect(bar).to_have_attribute("max", "2")

    journey.press(khan.get_by_role("button", name="Start Khan Academy Linear Algebra"))
    expect(khan).to_contain_text("In progress")
    journey.announced("Khan Academy Linear Algebra: in progress.")

    journey.press(khan.get_by_role("button", name="Mark Khan Academy Linear Algebra as completed"))
    expect(khan).to_contain_text("Completed")
    expect(bar).to_have_attribute("value", "1")
    expect(page.locator("#topic-progress-linear-algebra")).to_contain_text("1 of 2 done")
    journey.announced("Khan Academy Linear Algebra: completed. Linear Algebra: 1 of 2 done.")

    mit = card(page, "mit-linear-algebra")
    journey.press(mit.get_by_role("button", name="Start Linear Algebra MIT"))
    expect(mit).to_contain_text("In progress")
    expect(bar).to_have_attribute("value", "1")
    journey.assert_no_page_load()
    if journey.js:
        # The pressed button was replaced: focus moves to the first control of its replacement.
        expect(
            mit.get_by_role("button", name="Mark Linear Algebra MIT as completed")
        ).to_be_focused()

    page.reload()
    expect(khan).to_contain_text("Completed")
    expect(mit).to_contain_text("In progress")
    expect(bar).to_have_attribute("value", "1")
    expect(page.locator("#header-badge")).to_have_text("No degree yet")


def test_journey_2b_a_resource_already_known_counts_at_once(journey, sign_in):
    page = journey.page
    sign_in(page, make_learner("grace"))
    journey.open("/topics/calculus/")
    khan = card(page, "khan-academy-calculus")
    journey.press(khan.get_by_role("button", name="Mark Khan Academy Calculus as known"))
    expect(khan).to_contain_text("Already known")
    expect(topic_bar(page, "Calculus")).to_have_attribute("value", "1")
    journey.announced("Khan Academy Calculus: already known. Calculus: 1 of 1 done.")
    journey.open("/progress/")
    expect(page.locator("#degree-developer")).to_contain_text(
        "1 of 1 Calculus resource done (1 already known)"
    )


def test_journey_3_evidence_and_resources_earn_the_practitioner_badge(journey, sign_in):
    page = journey.page
    sign_in(page, make_learner("grace"))
    journey.open("/progress/")
    milestone = page.locator("#milestone-kaggle-keras-xgboost")
    url_field = milestone.get_by_label("Link to your evidence")
    expect(url_field).to_be_hidden()  # the form stays closed until the learner opens it
    milestone.locator("summary").click()
    url_field.fill("https://www.kaggle.com/code/grace/titanic")
    milestone.get_by_label("What it shows").fill("Keras and XGBoost, top 10%.")
    journey.press(milestone.get_by_role("button", name=re.compile("^Submit evidence")))
    expect(milestone).to_contain_text("Self-attested: counts now")
    expect(url_field).to_be_hidden()
    journey.announced(
        "Evidence for Use Keras and XGBoost in a Kaggle competition saved. It counts right away."
    )

    journey.open("/topics/how-to-study-the-degrees/")
    header_badge = page.locator("#header-badge")
    expect(header_badge).to_have_text("No degree yet")
    journey.press(card(page, "keras").get_by_role("button", name="Mark Keras as completed"))
    expect(card(page, "keras")).to_contain_text("Completed")
    expect(header_badge).to_have_text("No degree yet")
    journey.press(card(page, "xgboost").get_by_role("button", name="Mark XGboost as completed"))
    expect(header_badge).to_contain_text("Practitioner")
    journey.announced(re.compile(r"You earned the Practitioner degree\.$"))
    journey.assert_no_page_load()

    # The panel that says so, in view, the share control the next Tab: with JavaScript focus
    # moves to the panel; without, the page opens at it (#earned), where Tab starts from.
    earned = page.get_by_role("region", name="You earned Practitioner")
    expect(earned).to_be_in_viewport()
    if journey.js:
        expect(earned).to_be_focused()
    expect(earned.locator("img")).to_have_attribute("src", re.compile(r"^/badges/degrees/.+\.svg$"))
    expect(earned).to_contain_text("Next: Developer")
    expect(earned).to_contain_text("Complete 1 more Calculus resource")
    if not journey.js:
        assert page.url.endswith("/topics/how-to-study-the-degrees/#earned")
        expect(page.get_by_role("status").locator(".message")).to_have_text("XGboost: completed.")
    page.keyboard.press("Tab")
    expect(earned.get_by_role("button", name="Share your Practitioner badge")).to_be_focused()
    if journey.js:  # axe needs JavaScript: tests/browser/test_accessibility.py checks the other
        assert axe_violations(page) == []

    journey.open("/progress/")
    expect(page.locator("#earned")).to_be_empty()  # shown once
    expect(page.locator("#your-badge")).to_contain_text("Practitioner")
    expect(page.locator("#degree-practitioner")).to_contain_text("Earned")
    developer = page.locator("#degree-developer")
    expect(developer).to_contain_text("Complete 1 more Calculus resource")
    expect(developer).to_contain_text("Complete 2 more Linear Algebra resources")
    expect(developer).to_contain_text("Show evidence: Write a multilayer perceptron from scratch")


def test_journey_3b_next_up_for_a_new_learner_starts_with_practitioners_needs(journey, sign_in):
    page = journey.page
    sign_in(page, make_learner("grace"))
    journey.open("/progress/")
    next_up = page.get_by_role("region", name="Next up").get_by_role("listitem")
    expect(next_up).to_have_text(
        [
            'Keras How to study, the "degrees" for Practitioner',
            'XGboost How to study, the "degrees" for Practitioner',
            "Show evidence: Use Keras and XGBoost in a Kaggle competition for Practitioner",
            "Khan Academy Calculus Calculus for Developer",
            "Khan Academy Linear Algebra Linear Algebra for Developer",
        ]
    )
    with page.expect_navigation(wait_until="load"):
        next_up.first.get_by_role("link", name="Keras").click()
    expect(card(page, "keras")).to_be_in_viewport()


def test_journey_3c_mark_a_resource_from_a_degree_page(journey, sign_in):
    page = journey.page
    sign_in(page, make_learner("grace"))
    journey.open("/degrees/practitioner/")
    standing = page.locator(".degree-standing")
    expect(standing).to_contain_text("0% done You meet 0 of 3 requirements.")
    keras_requirement = page.locator(".requirement--unmet", has=card(page, "keras"))
    expect(keras_requirement).to_contain_text("Not met: Complete Keras")

    journey.press(card(page, "keras").get_by_role("button", name="Mark Keras as completed"))
    if journey.js:
        # In place: the card says so and the live region reads it out; the topic's bar, which
        # this page does not show, is left out of the swap without an error.
        expect(card(page, "keras")).to_contain_text("Completed")
        journey.announced('Keras: completed. How to study, the "degrees": 1 of 2 done.')
        journey.assert_no_page_load()
        page.reload()
    # Back on the degree page (without JavaScript, at the resource pressed): the requirement
    # is met, so its card is no longer listed.
    expect(page).to_have_url(
        journey.base + "/degrees/practitioner/" + ("" if journey.js else "#resource-keras")
    )
    expect(page.locator(".requirement--met")).to_have_text(["Met: Completed Keras"])
    expect(card(page, "keras")).to_have_count(0)
    expect(standing).to_contain_text("You meet 1 of 3 requirements.")
    expect(card(page, "xgboost")).to_contain_text("Not started")


def test_journey_4_share_the_badge_and_profile_and_download_them(journey, sign_in, browser):
    page = journey.page
    learner = make_learner("grace")
    earn_seed_practitioner(learner)
    sign_in(page, learner)

    journey.open("/progress/")
    your_badge = page.get_by_role("region", name="Your badge")
    journey.press(your_badge.get_by_role("button", name="Make shareable your Practitioner badge"))
    expect(your_badge).to_contain_text("Shared.")
    share_link = your_badge.get_by_role("link", name="your Practitioner badge page")
    share_path = share_link.get_attribute("href")

    journey.open("/account/")
    page.get_by_label("Public profile").check()
    journey.press(page.get_by_role("button", name="Save settings"))
    expect(page.locator("#settings-form a[href='/u/grace/']")).to_contain_text("/u/grace/")

    journey.open("/account/export/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download JSON").click()
    document = json.loads(download_info.value.path().read_text())
    assert document["account"]["username"] == "grace"
    (award,) = document["awards"]
    assert (award["degree"]["slug"], award["shared"]) == ("practitioner", True)
    assert award["verification_url"].endswith(share_path)
    assert document["settings"]["profile_public"] is True

    journey.open(share_path)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the badge (PNG, baked)").click()
    baked = download_info.value.path().read_bytes()
    assert baked.startswith(PNG_SIGNATURE)
    assert b"openbadges" in baked

    visitor = browser.new_context(java_script_enabled=journey.js)
    try:
        visitor_page = visitor.new_page()
        visitor_page.goto(journey.base + "/u/grace/")
        expect(visitor_page.get_by_role("heading", level=1)).to_contain_text("grace")
        expect(visitor_page.locator("main")).to_contain_text("Practitioner")
        visitor_page.goto(journey.base + share_path)
        expect(visitor_page.get_by_role("heading", level=1)).to_have_text("Practitioner degree")
        expect(visitor_page.locator("main")).to_contain_text("Earned by grace")
        expect(visitor_page.get_by_role("link", name="Sign in")).to_be_visible()
    finally:
        visitor.close()


def test_journey_3b_the_earned_panel_shares_the_badge_and_opens_its_page(journey, sign_in):
    page = journey.page
    learner = make_learner("grace")
    give_evidence(learner, Milestone.objects.get(slug="kaggle-keras-xgboost"))
    complete(learner, Resource.objects.get(slug="keras"))
    sign_in(page, learner)
    journey.open("/topics/how-to-study-the-degrees/")
    journey.press(card(page, "xgboost").get_by_role("button", name="Mark XGboost as completed"))
    earned = page.get_by_role("region", name="You earned Practitioner")

    # A plain form, with or without JavaScript: it goes on to the share page.
    with page.expect_navigation(wait_until="load"):
        earned.get_by_role("button", name="Share your Practitioner badge").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Practitioner degree")
    expect(page.get_by_role("status").locator(".message")).to_have_text(
        "Your Practitioner badge is now shareable."
    )
    assert DegreeAward.objects.get(learner=learner).is_shared
    assert page.url.endswith(f"/badges/{DegreeAward.objects.get(learner=learner).public_id}/")


def test_journey_6b_without_javascript_a_press_comes_back_to_the_resource(
    browser, seeded_live_server, sign_in
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 800, "height": 600})
    try:
        page = sign_in(context.new_page(), make_learner("grace"))
        page.set_default_timeout(10_000)
        page.goto(seeded_live_server.url + "/")
        xgboost = card(page, "xgboost")
        with page.expect_navigation(wait_until="load"):
            xgboost.get_by_role("button", name="Start XGboost").click()

        assert page.url == seeded_live_server.url + "/#resource-xgboost"
        expect(page.locator(".site-header")).not_to_be_in_viewport()  # not back at the top
        message = page.get_by_role("status").locator(".message")
        expect(message).to_have_text("XGboost: in progress.")
        expect(message).to_be_in_viewport()
        expect(xgboost).to_be_in_viewport()
        expect(xgboost).to_contain_text("In progress")
        # The sticky message does not cover the resource it confirms.
        message_box, card_box = message.bounding_box(), xgboost.bounding_box()
        assert card_box["y"] >= message_box["y"] + message_box["height"]

        note = xgboost.get_by_label("Private note on XGboost")
        xgboost.locator("summary").click()
        note.fill("Gradient boosting, then the Kaggle notebook.")
        with page.expect_navigation(wait_until="load"):
            xgboost.get_by_role("button", name="Save note on XGboost").click()
        assert page.url == seeded_live_server.url + "/#resource-xgboost"
        expect(message).to_have_text("Your note on XGboost is saved.")
        expect(xgboost).to_be_in_viewport()

        page.reload()
        expect(page.get_by_role("status").locator(".message")).to_have_count(0)  # once
    finally:
        context.close()
