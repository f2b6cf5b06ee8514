"""The catalog's admin fits a 1,280-pixel window: a topic's page with its resources, and the
resource list, with nothing cut off and nothing to scroll sideways (a topic's page was 2,223
pixels wide)."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from catalog.models import Resource, Topic
from tests.factories import default_curriculum, make_learner

pytestmark = pytest.mark.browser

WINDOW = {"width": 1280, "height": 900}
LONG_URL = "https://example.org/" + "a-very-long-path-segment-without-spaces-" * 4


@pytest.fixture
def curator_page(page, sign_in):
    # The Curators group comes from a data migration, which the live server's flush removes.
    curator = make_learner("curator", is_staff=True)
    curator.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalog"))
    default_curriculum().curators.add(curator)
    page.set_viewport_size(WINDOW)
    return sign_in(page, curator)


def widths(page, selector):
    return page.evaluate(
        """selector => {
          const box = document.querySelector(selector);
          return {
            page: document.documentElement.scrollWidth,
            box: box ? box.scrollWidth : 0,
            shown: box ? box.clientWidth : 0,
          };
        }""",
        selector,
    )


def test_a_topics_page_with_its_resources_fits_the_window(
    curator_page, seeded_live_server, console_errors
):
    topic = Topic.objects.get(slug="statistics-and-probability")

    curator_page.goto(f"{seeded_live_server.url}/admin/catalog/topic/{topic.pk}/change/")

    measured = widths(curator_page, ".inline-group .tabular table")
    assert measured["page"] <= WINDOW["width"]
    assert measured["box"] <= measured["shown"]
    # Every column of the resources is there to use.
    for column in ("position", "resource", "published"):
        assert curator_page.locator(f".inline-group td.field-{column}").first.is_visible()


def test_the_resource_list_fits_the_window_with_long_urls(
    curator_page, seeded_live_server, console_errors
):
    Resource.objects.filter(slug="keras").update(
        link_checked_at=datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC),
        link_status_code=200,
        link_redirect_url=LONG_URL,
    )

    curator_page.goto(f"{seeded_live_server.url}/admin/catalog/resource/")

    measured = widths(curator_page, "#changelist-form .results")
    assert measured["page"] <= WINDOW["width"]
    assert measured["box"] <= measured["shown"]  # no column cut off behind a scroll bar
