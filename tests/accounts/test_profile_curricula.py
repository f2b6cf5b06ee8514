"""The public profile across curricula: a section of topic bars per curriculum the learner
follows or has done something in, and badges from every curriculum (issue 19)."""

import pytest
from django.utils import timezone

from accounts.models import Profile
from progress.models import DegreeAward, Following
from tests.factories import (
    at,
    complete,
    list_resource,
    make_curriculum,
    make_degree,
    make_learner,
    make_resource,
    make_topic,
)
from tests.html import by_id, elements, labelled_by, text

pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(at("2026-12-31T12:00"))]


def make_public(learner):
    Profile.objects.filter(user=learner).update(is_public=True)


def add_curriculum(slug, title, *, position, published=True):
    """A curriculum of two topics of two resources each; return it and its resources."""
    curriculum = make_curriculum(slug=slug, title=title, position=position, is_published=published)
    resources = []
    for number in range(2):
        topic = make_topic(curriculum=curriculum, slug=f"t{number}", title=f"{title} {number}")
        resources += [make_resource(topic), make_resource(topic)]
    return curriculum, resources


def test_the_profile_has_a_section_per_curriculum_begun_or_followed(client, learner):
    calculus = make_topic(slug="calculus", title="Calculus")
    shared = make_resource(calculus, title="Strang")
    make_resource(calculus)
    _, physics_resources = add_curriculum("physics", "Physics", position=2)
    chemistry, _ = add_curriculum("chemistry", "Chemistry", position=1)
    add_curriculum("biology", "Biology", position=3)  # neither begun nor followed
    _, draft_resources = add_curriculum("draft", "Draft", position=0, published=False)
    list_resource(shared, physics_resources[0].listings.get().topic)
    complete(learner, shared, draft_resources[0])  # shared: counts in the default and physics
    Following.objects.create(learner=learner, curriculum=chemistry)
    make_public(learner)

    response = client.get("/u/ada/")
    assert text(labelled_by(response, "topics-heading")).startswith("Progress per topic")
    sections = elements(response, "section", class_="curriculum-progress")
    assert [dict(s.attributes)["id"] for s in sections] == [
        "progress-chemistry",
        "progress-physics",
    ]
    physics_section = by_id(response, "progress-physics")
    assert elements(physics_section, "a", href="/physics/")
    rows = [text(row) for row in elements(physics_section, "tr")][1:]
    assert rows == ["Physics 0 1 / 3", "Physics 1 0 / 2"]
    assert [text(row) for row in elements(by_id(response, "progress-chemistry"), "tr")][1:] == [
        "Chemistry 0 0 / 2",
        "Chemistry 1 0 / 2",
    ]
    assert "Draft" not in text(response.content.decode())
    assert "Biology" not in text(response.content.decode())

    Profile.objects.filter(user=learner).update(show_topic_progress=False)
    response = client.get("/u/ada/")
    assert not elements(response, "section", class_="curriculum-progress")


def test_the_profile_shows_shared_badges_of_every_curriculum(client, learner):
    physics, _ = add_curriculum("physics", "Physics", position=1)
    degrees = [
        make_degree(title="Practitioner", rank=1),
        make_degree(curriculum=physics, title="Physics student", rank=1),
    ]
    for degree in degrees:
        DegreeAward.objects.create(
            learner=learner, degree=degree, awarded_at=timezone.now(), is_shared=True
        )
    make_public(learner)
    badges = labelled_by(client.get("/u/ada/"), "badges-heading")
    assert {text(link) for link in elements(badges, "a")} == {
        "★ Practitioner",
        "★ Physics student",
    }


def test_the_profile_costs_the_same_queries_with_one_curriculum_begun_or_five(
    client, learner, django_assert_max_num_queries
):
    make_resource(make_topic(title="Calculus"))
    make_public(learner)
    for number in range(5):
        curriculum, resources = add_curriculum(f"c{number}", f"C{number}", position=number)
        complete(learner, resources[0])
        if number == 0:
            assert client.get("/u/ada/").status_code == 200
            with django_assert_max_num_queries(6) as one:
                client.get("/u/ada/")
            one_curriculum = len(one.captured_queries)
    Following.objects.create(learner=make_learner("grace"), curriculum=curriculum)
    assert client.get("/u/ada/").status_code == 200
    with django_assert_max_num_queries(one_curriculum):
        response = client.get("/u/ada/")
    assert len(elements(response, "section", class_="curriculum-progress")) == 5
