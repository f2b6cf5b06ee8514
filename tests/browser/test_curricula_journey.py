"""Issue 19's journey: a learner follows two curricula, finishes a resource both list once,
earns a badge in each, and sees both on the public profile; with JavaScript and without."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from progress.models import DegreeAward
from tests.browser.conftest import axe_violations
from tests.factories import (
    list_resource,
    make_curriculum,
    make_degree,
    make_requirement,
    make_resource,
    make_topic,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def two_curricula(seeded_live_server):
    """Physics and Statistics, each with a small degree asking for the same book."""
    book = None
    for slug, title, topic_title in [
        ("physics", "Physics for ML", "Mechanics"),
        ("statistics", "Statistics for ML", "Inference"),
    ]:
        curriculum = make_curriculum(slug=slug, title=title)
        topic = make_topic(curriculum=curriculum, slug="basics", title=topic_title)
        if book is None:
            book = make_resource(topic, slug="shared-book", title="The shared book")
        else:
            list_resource(book, topic)
        degree = make_degree(
            curriculum=curriculum, slug="starter", title=f"{title} starter", rank=1
        )
        make_requirement(degree, resource=book)
    return book


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_follow_two_curricula_finish_a_shared_resource_once_and_earn_two_badges(
    browser, seeded_live_server, sign_in, make_learner, two_curricula, js
):
    ada = make_learner("ada")
    context = browser.new_context(java_script_enabled=js)
    page = sign_in(context.new_page(), ada)
    page.set_default_timeout(10_000)
    base = seeded_live_server.url

    def press(control):
        if js:
            control.click()
        else:
            with page.expect_navigation(wait_until="load"):
                control.click()

    page.goto(base + "/curricula/")
    for title in ("Physics for ML", "Statistics for ML"):
        press(page.get_by_role("button", name=f"Follow {title}"))
        expect(page.get_by_role("button", name=re.compile(f"^Following {title}"))).to_be_visible()

    if js:
        assert axe_violations(page) == []

    page.goto(base + "/physics/topics/basics/")
    card = page.locator("#resource-shared-book")
    press(card.get_by_role("button", name="Mark The shared book as completed"))
    expect(page.locator("#resource-shared-book")).to_contain_text("Completed")

    page.goto(base + "/statistics/topics/basics/")
    expect(page.locator("#resource-shared-book")).to_contain_text("Completed")

    page.goto(base + "/progress/")
    for slug in ("physics", "statistics"):
        expect(page.locator(f"#curriculum-{slug}")).to_contain_text("Earned")
        expect(page.locator(f"#curriculum-{slug}")).to_contain_text("1 of 1 resource done")
    if js:
        assert axe_violations(page) == []

    awards = DegreeAward.objects.filter(learner=ada)
    assert sorted(a.degree.curriculum.slug for a in awards) == ["physics", "statistics"]
    for award in awards:
        award.set_shared(True)
    profile = Profile.objects.get(user=ada)
    profile.is_public = profile.show_badges = True
    profile.save()

    visitor = browser.new_context(java_script_enabled=js).new_page()
    visitor.goto(base + "/u/ada/")
    for title in ("Physics for ML starter", "Statistics for ML starter"):
        expect(visitor.get_by_role("link", name=re.compile(title))).to_be_visible()
    context.close()
