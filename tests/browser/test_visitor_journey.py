"""Journey 1: a visitor browses, searches as they type, filters, and goes Back."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def result_titles(page):
    links = page.locator("#results .resource__title a").all_inner_texts()
    return [text.replace("(opens in a new tab)", "").strip() for text in links]


def test_visitor_browses_searches_filters_and_goes_back(page, seeded_live_server, console_errors):
    base = seeded_live_server.url
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The math you need for machine learning"
    )
    page.get_by_role("link", name="Linear Algebra", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/topics/linear-algebra/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Linear Algebra")

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search/$"))
    search_box = page.get_by_role("searchbox", name="Search")
    # A full page load would forget this; htmx swaps keep it.
    page.evaluate("window.sameDocument = true")

    search_box.fill("eigen")
    expect(page).to_have_url(re.compile(r"q=eigen"))
    expect(page.locator("#results")).to_contain_text("Khan Academy Linear Algebra")
    expect(page.locator("#results mark").first).to_have_text(re.compile("eigen", re.I))

    search_box.fill("edx")
    expect(page).to_have_url(re.compile(r"q=edx"))
    expect(page.locator("#results")).to_contain_text("edx Signals and Systems, part 1")

    search_box.fill("fourier")
    expect(page).to_have_url(re.compile(r"q=fourier"))
    expect(page.locator("#results")).to_contain_text("edx Discrete Time Signal Processing")
    fourier_results = result_titles(page)

    page.get_by_label("Level").select_option("advanced")
    expect(page).to_have_url(re.compile(r"level=advanced"))
    expect(page.locator("#results-heading")).not_to_have_text(
        f"{len(fourier_results)} resources found"
    )
    filtered = result_titles(page)
    assert set(filtered) < set(fourier_results)

    assert page.evaluate("window.sameDocument === true"), "htmx search must not load a page"
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"level=advanced"))
    expect(page).to_have_url(re.compile(r"q=fourier"))
    expect(page.locator("#results .resource__title a")).to_have_count(len(fourier_results))


def test_a_search_address_can_be_shared_and_reloaded(page, seeded_live_server, console_errors):
    page.goto(seeded_live_server.url + "/search/?q=eigenvalues&level=introductory")

    expect(page.get_by_role("searchbox", name="Search")).to_have_value("eigenvalues")
    expect(page.get_by_label("Level")).to_have_value("introductory")
    assert "Khan Academy Linear Algebra" in result_titles(page)
