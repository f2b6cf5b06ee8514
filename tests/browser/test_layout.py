"""Look and feel: a phone-width header in at most two rows, no sideways scrolling, done cards
tinted edge to edge, controls named and laid out as they read, and the screenshots shown in the
manual (written to docs/screenshots/ by `make screenshots`)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.models import Resource
from tests.browser.conftest import SCREENSHOTS
from tests.factories import complete, earn_seed_practitioner

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ROWS_OF_HEADER = """() => {
  const items = [document.querySelector('.brand'), ...document.querySelectorAll('.nav > li')]
    .filter(item => item.getClientRects().length);  // not those the phone layout hides
  const middles = items.map(item => {
    const box = item.getBoundingClientRect();
    return box.top + box.height / 2;
  }).sort((a, b) => a - b);
  return middles.filter((middle, index) => index === 0 || middle - middles[index - 1] > 12).length;
}"""


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("path", ["/", "/topics/linear-algebra/", "/search/?q=edx", "/progress/"])
def test_phone_width_keeps_the_header_to_two_rows_and_nothing_scrolls_sideways(
    page, seeded_live_server, sign_in, learner, console_errors, path, signed_in
):
    if signed_in:
        sign_in(page, learner)
    page.set_viewport_size(PHONE)
    page.goto(seeded_live_server.url + path)

    assert page.evaluate(ROWS_OF_HEADER) <= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_long_username_with_a_badge_keeps_the_phone_header_to_two_rows(
    page, seeded_live_server, sign_in, make_learner, console_errors
):
    """The account menu shows an icon on phones; the name stays in its accessible name and in
    the menu."""
    learner = make_learner("grace_hopper_of_the_harvard_mark_one")
    earn_seed_practitioner(learner)
    sign_in(page, learner)
    page.set_viewport_size(PHONE)
    page.goto(seeded_live_server.url + "/progress/")

    assert page.evaluate(ROWS_OF_HEADER) == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator("#header-badge")).to_contain_text("Practitioner")
    summary = page.locator(".account-menu summary")
    expect(summary).to_have_accessible_name("Account menu of grace_hopper_of_the_harvard_mark_one")
    summary.click()
    expect(page.locator(".account-menu__items")).to_contain_text(
        "Signed in as grace_hopper_of_the_harvard_mark_one"
    )


CARD_FILL = """card => {
  const style = getComputedStyle(card);
  const box = card.getBoundingClientRect(), list = card.parentElement.getBoundingClientRect();
  return {image: style.backgroundImage, colour: style.backgroundColor,
          left: box.left - list.left, right: list.right - box.right};
}"""
# The page's --good-soft as a computed colour (what getComputedStyle answers for a background).
GOOD_SOFT = """() => {
  const probe = document.createElement("i");
  probe.style.color = getComputedStyle(document.documentElement).getPropertyValue("--good-soft");
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}"""


@pytest.mark.parametrize("size", [PHONE, DESKTOP])
def test_a_done_card_is_tinted_edge_to_edge(
    page, seeded_live_server, sign_in, learner, console_errors, size
):
    complete(learner, Resource.objects.get(slug="keras"))
    complete(learner, Resource.objects.get(slug="xgboost"), status="known")
    sign_in(page, learner)
    page.set_viewport_size(size)
    page.goto(seeded_live_server.url + "/topics/how-to-study-the-degrees/")
    good_soft = page.evaluate(GOOD_SOFT)

    for slug in ("keras", "xgboost"):
        fill = page.locator(f"#resource-{slug}").evaluate(CARD_FILL)
        assert fill["image"] == "none"  # one colour, no gradient fading out part-way
        assert fill["colour"] == good_soft
        # The tint reaches past the list's edges on both sides: nothing of the card is left out.
        assert fill["left"] <= 0
        assert fill["right"] <= 0


def test_every_status_button_is_named_without_stray_spaces(
    page, seeded_live_server, sign_in, learner, console_errors
):
    sign_in(page, learner)
    page.goto(seeded_live_server.url + "/topics/calculus/")
    snapshot = page.locator("#resource-khan-academy-calculus").aria_snapshot()
    names = re.findall(r'button "([^"]*)"', snapshot)
    assert names[:3] == [
        "Start Khan Academy Calculus",
        "Mark Khan Academy Calculus as completed",
        "Mark Khan Academy Calculus as known",
    ]
    assert not [name for name in names if re.search(r"\s[,.;:]|\s\s", name)]


def test_settings_put_checkboxes_beside_their_labels_and_fit_the_weekly_goal(
    page, seeded_live_server, sign_in, learner, console_errors
):
    sign_in(page, learner)
    page.set_viewport_size(PHONE)
    page.goto(seeded_live_server.url + "/account/")

    for label in ("Public profile", "Show badges", "Show progress per topic"):
        box = page.get_by_label(label, exact=True).bounding_box()
        text = page.locator("label", has_text=label).first.bounding_box()
        assert text["x"] > box["x"] + box["width"]  # the label follows the box, on its right
        assert abs((text["y"] + text["height"] / 2) - (box["y"] + box["height"] / 2)) < 12
    goal = page.get_by_label("Weekly study goal (hours)")
    goal.fill("100")
    assert goal.evaluate("input => input.scrollWidth <= input.clientWidth")
    assert goal.bounding_box()["width"] >= 64


def test_screenshots_of_the_main_pages(
    page, seeded_live_server, sign_in, learner, tmp_path, console_errors
):
    folder = SCREENSHOTS if os.environ.get("MLMATH_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    complete(learner, *Resource.objects.filter(listings__topic__slug="calculus"))
    pages = {
        "catalog": "/",
        "topic": "/topics/linear-algebra/",
        "search": "/search/?q=eigen",
        "degrees": "/degrees/",
    }
    signed_in_pages = {"dashboard": "/progress/", "degree": "/degrees/developer/"}
    taken = []

    def shoot_each(named_paths):
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(size)
                for name, path in named_paths.items():
                    taken.append(
                        shoot(page, seeded_live_server.url + path, folder, name, size_name, scheme)
                    )

    shoot_each(pages)
    sign_in(page, learner)
    shoot_each(signed_in_pages)

    assert all(Path(file).stat().st_size > 10_000 for file in taken)


def shoot(page, url, folder, name, size_name, scheme):
    page.goto(url)
    path = folder / f"{name}-{size_name}-{scheme}.png"
    page.screenshot(path=path, full_page=size_name == "desktop")
    return path
