"""A curriculum other than the default lives under /<curriculum>/; the default stays at the root."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    complete,
    default_curriculum,
    list_resource,
    make_curriculum,
    make_degree,
    make_milestone,
    make_resource,
    make_topic,
)
from tests.html import by_id, elements, main_text, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def physics():
    physics = make_curriculum(slug="physics", title="Physics for ML", summary="Mechanics first.")
    mechanics = make_topic(curriculum=physics, slug="mechanics", title="Mechanics")
    make_resource(mechanics, slug="feynman", title="Feynman lectures")
    make_degree(curriculum=physics, slug="student", title="Physics student", rank=1)
    return physics


def test_a_second_curriculum_has_its_own_pages_under_its_slug(client, physics):
    make_topic(slug="mechanics", title="Calculus of the default")  # same slug, other curriculum

    home = main_text(client.get("/physics/"))
    assert "Physics for ML" in home
    assert "Mechanics first." in home
    assert "Mechanics" in home
    assert "Calculus of the default" not in home

    topic_page = client.get("/physics/topics/mechanics/")
    assert "Feynman lectures" in main_text(topic_page)
    [crumb] = elements(by_id(topic_page, "main"), "nav", **{"aria-label": "Breadcrumb"})
    assert elements(crumb, "a")[0].attributes[0] == ("href", "/physics/")

    assert "Physics student" in main_text(client.get("/physics/degrees/"))
    assert "Physics student" in main_text(client.get("/physics/degrees/student/"))


def test_a_curriculums_rows_link_to_its_own_pages(physics):
    topic = physics.topics.get()
    degree = physics.degrees.get()
    milestone = make_milestone(curriculum=physics, slug="pendulum")
    assert physics.get_absolute_url() == "/physics/"
    assert topic.get_absolute_url() == "/physics/topics/mechanics/"
    assert degree.get_absolute_url() == "/physics/degrees/student/"
    assert milestone.get_absolute_url() == "/physics/degrees/#milestone-pendulum"
    assert default_curriculum().get_absolute_url() == "/"
    assert make_topic(slug="calculus").get_absolute_url() == "/topics/calculus/"
    assert make_degree(slug="developer").get_absolute_url() == "/degrees/developer/"


@pytest.mark.parametrize(
    ("prefixed", "unprefixed"),
    [
        ("/ml-math/", "/"),
        ("/ml-math/topics/calculus/", "/topics/calculus/"),
        ("/ml-math/topics/calculus/?page=2", "/topics/calculus/?page=2"),
        ("/ml-math/degrees/", "/degrees/"),
        ("/ml-math/degrees/developer/", "/degrees/developer/"),
    ],
)
def test_the_default_curriculum_under_its_slug_moves_to_the_root(client, prefixed, unprefixed):
    default_curriculum()
    response = client.get(prefixed)
    assert response.status_code == 301
    assert response["Location"] == unprefixed


@pytest.mark.parametrize(
    "path",
    ["/physics/", "/physics/topics/mechanics/", "/physics/degrees/", "/physics/degrees/student/"],
)
def test_an_unpublished_curriculum_is_not_found_by_anyone(client, curator, physics, path):
    assert client.get(path).status_code == 200
    physics.is_published = False
    physics.save()

    assert client.get(path).status_code == 404
    client.force_login(curator)  # curators preview a curriculum in the admin, not here
    assert client.get(path).status_code == 404


def test_an_unknown_curriculum_is_not_found(client):
    assert client.get("/no-such-list/").status_code == 404
    assert client.get("/no-such-list/topics/x/").status_code == 404


def test_a_topic_of_another_curriculum_is_not_found_under_this_one(client, physics):
    make_topic(slug="calculus")
    make_resource(default_curriculum().topics.get(slug="calculus"))
    assert client.get("/physics/topics/calculus/").status_code == 404
    assert client.get("/topics/mechanics/").status_code == 404


def test_curricula_lists_the_published_ones_with_their_size(client, physics):
    make_curriculum(slug="draft", title="Draft list", is_published=False)
    physics.source_url, physics.licence = "https://github.com/x/awesome-physics", "CC0-1.0"
    physics.save()

    response = client.get("/curricula/")
    page = main_text(response)
    assert "Physics for ML" in page
    assert "Draft list" not in page
    card = text(by_id(response, "curriculum-physics"))
    assert "1 topic, 1 resource" in card
    assert "Licence: CC0-1.0" in card
    assert "Source list" in card
    assert next(a.attributes for a in elements(by_id(response, "curriculum-physics"), "a")) == [
        ("href", "/physics/")
    ]
    assert "Curricula" in text(elements(response, "nav", **{"aria-label": "Main"})[0])


def test_a_resource_in_two_curricula_finished_once_is_finished_in_both(
    learner_client, learner, physics
):
    calculus = make_topic(slug="calculus", title="Calculus")
    feynman = physics.topics.get().listings.get().resource
    list_resource(feynman, calculus)
    complete(learner, feynman)

    for path in ("/topics/calculus/", "/physics/topics/mechanics/"):
        card = by_id(learner_client.get(path), "resource-feynman")
        assert "Completed" in text(card), path


def test_curriculum_pages_run_as_many_queries_with_1_or_5_curricula(learner_client, learner):
    def counts():
        found = {}
        for path in ("/curricula/", "/physics-0/", "/physics-0/topics/t-0/", "/physics-0/degrees/"):
            with CaptureQueriesContext(connection) as queries:
                assert learner_client.get(path).status_code == 200
            # Not the shared cache's reads and writes of version tokens (a database table here).
            found[path] = [q["sql"] for q in queries if "mlmath_cache" not in q["sql"]]
            found[path] = len(found[path])
        return found

    def add_curriculum(i):
        curriculum = make_curriculum(slug=f"physics-{i}", title=f"Physics {i}")
        topic = make_topic(curriculum=curriculum, slug=f"t-{i}")
        complete(learner, make_resource(topic))
        make_degree(curriculum=curriculum, rank=1)

    learner_client.get("/curricula/")  # the learner's first page reads what later ones keep
    add_curriculum(0)
    one = counts()
    for i in range(1, 5):
        add_curriculum(i)
    assert counts() == one


def test_a_second_curriculums_badge_names_its_own_degree_page_and_keeps_its_id(client, physics):
    student = physics.degrees.get()
    document = client.get(reverse("badges:badge_class", args=[student.public_id])).json()
    assert document["criteria"]["id"] == "http://testserver/physics/degrees/student/"
    assert document["id"] == f"http://testserver/badges/degrees/{student.public_id}.json"
