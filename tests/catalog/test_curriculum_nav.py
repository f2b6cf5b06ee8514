"""The header's Catalog and Degrees links lead to the curriculum of the page (issue 19)."""

import pytest
from django.test import Client

from tests.factories import (
    default_curriculum,
    make_curriculum,
    make_degree,
    make_resource,
    make_topic,
)
from tests.html import elements, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def physics():
    physics = make_curriculum(slug="physics", title="Physics for ML")
    mechanics = make_topic(curriculum=physics, slug="mechanics", title="Mechanics")
    make_resource(mechanics, slug="feynman", title="Feynman lectures")
    make_degree(curriculum=physics, slug="student", title="Physics student", rank=1)
    return physics


@pytest.fixture
def chemistry():
    chemistry = make_curriculum(slug="chemistry", title="Chemistry")
    bonds = make_topic(curriculum=chemistry, slug="bonds", title="Bonds")
    make_resource(bonds, slug="atkins", title="Atkins")
    return chemistry


def main_nav(response):
    """{link text: (href, whether it is the current page)} of the main navigation."""
    [nav] = elements(response, "nav", class_="site-nav")
    return {
        text(link): (dict(link.attributes)["href"], "aria-current" in dict(link.attributes))
        for link in elements(nav, "a")
    }


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/physics/", "Catalog"),
        ("/physics/topics/mechanics/", None),
        ("/physics/degrees/", "Degrees"),
        ("/physics/degrees/student/", None),
    ],
)
def test_on_a_curriculums_pages_catalog_and_degrees_are_that_curriculums(
    client, physics, url, current
):
    nav = main_nav(client.get(url))
    assert nav["Catalog"][0] == "/physics/"
    assert nav["Degrees"][0] == "/physics/degrees/"
    assert nav["Curricula"][0] == "/curricula/"
    assert [name for name, (_, is_current) in nav.items() if is_current] == (
        [current] if current else []
    )


def test_the_header_is_cached_per_curriculum_and_page(learner_client, physics, chemistry):
    """The navigation is rendered once per process for each page and curriculum: a page of
    one curriculum never shows the links another's page cached."""
    anonymous = Client()
    default_curriculum()
    make_topic(slug="calculus", title="Calculus")
    for _ in range(2):  # the second round is served from the cache
        for browser in (anonymous, learner_client):
            assert main_nav(browser.get("/"))["Catalog"] == ("/", True)
            assert main_nav(browser.get("/physics/"))["Catalog"] == ("/physics/", True)
            assert main_nav(browser.get("/chemistry/"))["Catalog"] == ("/chemistry/", True)
            assert main_nav(browser.get("/degrees/"))["Degrees"] == ("/degrees/", True)
            assert main_nav(browser.get("/chemistry/degrees/"))["Degrees"] == (
                "/chemistry/degrees/",
                True,
            )
            # Pages of no one curriculum lead to the default's.
            nav = main_nav(browser.get("/curricula/"))
            assert nav["Catalog"] == ("/", False)
            assert nav["Degrees"] == ("/degrees/", False)
            assert nav["Curricula"] == ("/curricula/", True)
    assert "My progress" in main_nav(learner_client.get("/physics/"))
    assert "My progress" not in main_nav(anonymous.get("/physics/"))
