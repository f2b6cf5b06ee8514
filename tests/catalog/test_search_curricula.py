"""Search across curricula: every published curriculum is searched, a filter narrows to one, each
result names where it is listed, and a work listed in two curricula is one result.

Every test here runs on SQLite (FTS5) and on PostgreSQL (tsvector) alike.
"""

import pytest

from tests.factories import (
    default_curriculum,
    list_resource,
    make_curriculum,
    make_resource,
    make_resources,
    make_topic,
)
from tests.html import elements, parsed, text
from tests.html import result_titles as titles_on

pytestmark = pytest.mark.django_db


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return parsed(response.content.decode())


def places_of(card):
    """The places a result card names: (the link's text, its address)."""
    [places] = elements(card, "span", class_="resource__places")
    return [(text(link), dict(link.attributes)["href"]) for link in elements(places, "a")]


def options(page, name):
    [select] = elements(page, "select", name=name)
    return [
        (dict(option.attributes)["value"], text(option)) for option in elements(select, "option")
    ]


@pytest.fixture
def two_curricula():
    """ML math (the default) and a published Calculus list, both listing Strang's book; a draft
    curriculum listing it too, and a book of its own."""
    ml_math = default_curriculum()
    calculus_list = make_curriculum(slug="calculus-list", title="Calculus list", position=2)
    draft = make_curriculum(slug="draft-list", title="Draft list", is_published=False)
    algebra = make_topic(title="Linear Algebra", slug="linear-algebra")
    limits = make_topic(curriculum=calculus_list, title="Limits", slug="limits")
    drafted = make_topic(curriculum=draft, title="Drafted", slug="drafted")
    strang = make_resource(algebra, title="Strang Linear Algebra book")
    list_resource(strang, limits)
    list_resource(strang, drafted)
    make_resource(limits, title="Spivak Calculus book")
    make_resource(drafted, title="Secret draft book")
    return {"ml-math": ml_math, "algebra": algebra, "limits": limits, "drafted": drafted}


def test_a_work_in_two_curricula_is_one_result_naming_both_places(client, two_curricula):
    page = search(client, q="strang")

    [card] = elements(page, "li", class_="resource")
    assert titles_on(card) == ["Strang Linear Algebra book"]
    # The default curriculum first; never the unpublished one.
    assert places_of(card) == [
        (
            f"Linear Algebra · {two_curricula['ml-math'].title}",
            two_curricula["algebra"].get_absolute_url(),
        ),
        ("Limits · Calculus list", two_curricula["limits"].get_absolute_url()),
    ]
    assert "1 resource found" in text(page)


def test_search_without_a_filter_finds_every_published_curriculum_and_no_draft(
    client, two_curricula
):
    page = search(client, q="book")

    assert titles_on(page) == ["Strang Linear Algebra book", "Spivak Calculus book"]
    assert "Secret draft book" not in text(page)
    assert "Drafted" not in text(page)


def test_the_curriculum_filter_offers_the_published_curricula_and_narrows_to_one(
    client, two_curricula
):
    page = search(client)
    assert options(page, "curriculum") == [
        ("", "All curricula"),
        ("ml-math", two_curricula["ml-math"].title),
        ("calculus-list", "Calculus list"),
    ]

    narrowed = search(client, q="book", curriculum="calculus-list")
    assert titles_on(narrowed) == ["Strang Linear Algebra book", "Spivak Calculus book"]
    in_ml_math = search(client, q="book", curriculum="ml-math")
    assert titles_on(in_ml_math) == ["Strang Linear Algebra book"]


@pytest.mark.parametrize("slug", ["draft-list", "no-such-list"])
def test_an_unpublished_or_unknown_curriculum_is_refused_with_a_message(
    client, two_curricula, slug
):
    page = search(client, q="book", curriculum=slug)

    assert "Please correct the search:" in text(page)
    assert "Select a valid choice." in text(page)
    assert titles_on(page) == []


def test_topics_are_offered_per_curriculum_and_filter_by_slug(client, two_curricula):
    assert [value for value, _ in options(search(client), "topic")] == [
        "",
        "linear-algebra",
        "limits",
    ]
    in_calculus = search(client, curriculum="calculus-list")
    assert [value for value, _ in options(in_calculus, "topic")] == ["", "limits"]

    assert titles_on(search(client, topic="limits")) == [
        "Strang Linear Algebra book",
        "Spivak Calculus book",
    ]
    refused = search(client, curriculum="calculus-list", topic="linear-algebra")
    assert "Topic: Select a valid choice." in text(refused)


def test_a_result_matched_through_one_place_is_found_there_and_names_both(client):
    # The place that matches is the second curriculum's: it is the one the result is found
    # through, while its places still come in the curricula's order.
    algebra = make_topic(title="Linear Algebra")
    other = make_topic(
        curriculum=make_curriculum(title="Other list"),
        title="Misc",
        guidance="Eigenvalues everywhere.",
    )
    book = make_resource(algebra, title="A book")
    list_resource(book, other)

    page = search(client, q="eigenvalues")

    [card] = elements(page, "li", class_="resource")
    [match] = elements(card, "p", class_="resource__match")
    assert text(match) == "Found through its topic: Eigenvalues everywhere."
    assert [name for name, _ in places_of(card)] == [
        f"Linear Algebra · {default_curriculum().title}",
        "Misc · Other list",
    ]


def test_search_queries_stay_flat_in_the_number_of_curricula(client, django_assert_max_num_queries):
    def add_curricula(count):
        curricula = [make_curriculum() for _ in range(count)]
        for curriculum in curricula:
            topic = make_topic(curriculum=curriculum, guidance="eigenvalue decomposition")
            make_resources(topic, 3, note="matrices")
        return curricula

    [first] = add_curricula(1)
    with django_assert_max_num_queries(5) as few:
        search(client, q="eigen matrices")
    add_curricula(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = search(client, q="eigen matrices")
    assert "33 resources found" in text(page)
    # Another search in the same catalog version costs only the version and the page.
    with django_assert_max_num_queries(2):
        page = search(client, q="eigen matrices", curriculum=first.slug)
    assert "3 resources found" in text(page)
