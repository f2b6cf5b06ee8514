"""Journey 7: keyboard only. Tab reaches every control in reading order, focus is always visible,
and Enter or Space works the control."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import earn_seed_practitioner, make_learner

pytestmark = pytest.mark.browser

FOCUSABLE = (
    "a[href]:not([tabindex='-1']), button:not([disabled]), input:not([type=hidden]), "
    "select, textarea, summary"
)
# The focused element, its place in document order and whether a focus ring shows.
FOCUSED = """() => {
  const element = document.activeElement;
  const all = [...document.querySelectorAll('*')];
  const style = getComputedStyle(element);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  return {order: all.indexOf(element), ring, text: (element.innerText || element.value
    || element.getAttribute('aria-label') || element.tagName).trim().slice(0, 60)};
}"""


def tab_through(page, *, limit=400):
    """Press Tab until focus leaves the page; return what received focus, in order."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["order"] < 0 or (visited and focused["order"] <= visited[0]["order"]):
            break
        visited.append(focused)
    return visited


def visible_controls(page):
    return page.locator(FOCUSABLE).evaluate_all(
        # checkVisibility: not hidden by CSS nor inside a closed <details>.
        "elements => elements.filter(e => e.checkVisibility() && !e.closest('[inert]')).length"
    )


@pytest.mark.parametrize("path", ["/", "/topics/linear-algebra/", "/degrees/", "/search/?q=edx"])
def test_tab_reaches_every_control_in_order_with_a_visible_focus_ring(
    page, seeded_live_server, console_errors, path
):
    page.goto(seeded_live_server.url + path)

    visited = tab_through(page)

    assert visited[0]["text"] == "Skip to content"
    orders = [item["order"] for item in visited]
    assert orders == sorted(orders), "Tab order must follow the reading order"
    assert [item["text"] for item in visited if not item["ring"]] == []
    # Everything a mouse can use, the keyboard reaches (the skip link is hidden until focused).
    assert len(visited) >= visible_controls(page)


def test_enter_follows_links_and_the_skip_link_moves_focus_to_the_content(
    page, seeded_live_server, console_errors
):
    page.goto(seeded_live_server.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    topic_link = page.get_by_role("link", name="Linear Algebra", exact=True).first
    topic_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/topics/linear-algebra/$"))


def test_the_search_form_works_from_the_keyboard(page, seeded_live_server, console_errors):
    page.goto(seeded_live_server.url + "/")
    page.get_by_role("searchbox", name="Search resources").focus()
    page.keyboard.type("fourier")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=fourier"))
    expect(page.locator("#results")).to_contain_text("edx Discrete Time Signal Processing")
    page.get_by_label("Level").focus()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"level=introductory"))


def test_status_buttons_toggle_with_enter_and_space_and_keep_the_focus(
    page, seeded_live_server, sign_in, console_errors
):
    sign_in(page, make_learner("ada"))
    page.goto(seeded_live_server.url + "/topics/calculus/")
    page.evaluate("window.sameDocument = true")
    card = page.locator("#resource-khan-academy-calculus")

    card.get_by_role("button", name="Start Khan Academy Calculus").focus()
    page.keyboard.press("Enter")
    expect(card).to_contain_text("In progress")
    # The pressed button is gone; focus lands on the first control that replaced it.
    mark = card.get_by_role("button", name="Mark Khan Academy Calculus as completed")
    expect(mark).to_be_focused()
    page.keyboard.press("Space")
    expect(card).to_contain_text("Completed")
    undo = card.get_by_role("button", name="Undo Khan Academy Calculus")
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")
    expect(card).to_contain_text("Not started")
    expect(card.get_by_role("button", name="Start Khan Academy Calculus")).to_be_focused()
    assert page.evaluate("window.sameDocument === true")


def test_the_dashboard_works_from_the_keyboard(page, seeded_live_server, sign_in, console_errors):
    learner = make_learner("ada")
    earn_seed_practitioner(learner)
    sign_in(page, learner)
    page.goto(seeded_live_server.url + "/progress/")

    visited = tab_through(page)
    orders = [item["order"] for item in visited]
    assert orders == sorted(orders), "Tab order must follow the reading order"
    assert [item["text"] for item in visited if not item["ring"]] == []
    assert len(visited) >= visible_controls(page)

    milestone = page.locator("#milestone-mlp-from-scratch")
    milestone.locator("summary").focus()
    page.keyboard.press("Space")
    expect(milestone.get_by_label("Link to your evidence")).to_be_visible()
    page.keyboard.press("Tab")
    expect(milestone.get_by_label("Link to your evidence")).to_be_focused()

    share = page.get_by_role("button", name="Make shareable your Practitioner badge")
    share.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Make private your Practitioner badge")).to_be_focused()
