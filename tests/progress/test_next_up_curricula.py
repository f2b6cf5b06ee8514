"""Next up per curriculum on the dashboard: each followed curriculum's section leads to its own
next degree through its own listings, and a work two curricula list is one (issue 19)."""

import pytest

from tests.factories import (
    complete,
    list_resource,
    make_curriculum,
    make_degree,
    make_requirement,
    make_resource,
    make_topic,
)
from tests.html import by_id, elements, labelled_by, text

pytestmark = pytest.mark.django_db


def next_up(container):
    """(title, topic, reason) of each item of the first next-up list in `container`, and the
    href of its link."""
    [items] = elements(container, "ol", class_="next-up")[:1]
    found = []
    for item in elements(items, "li"):
        link = elements(item, "a")[0]
        found.append(
            (
                text(link),
                text(elements(item, "span", class_="pill")[0]),
                text(elements(item, "span", class_="next-up__reason")[0]),
                dict(link.attributes)["href"],
            )
        )
    return found


@pytest.fixture
def two_curricula(learner_client):
    """The default curriculum's Calculus (Strang, Spivak; Practitioner asks for Spivak) and
    Physics' Mechanics (Feynman, Strang again; Physics student asks for Feynman), followed."""
    calculus = make_topic(slug="calculus", title="Calculus")
    strang = make_resource(calculus, slug="strang", title="Strang")
    spivak = make_resource(calculus, slug="spivak", title="Spivak")
    make_requirement(
        make_degree(slug="practitioner", title="Practitioner", rank=1), resource=spivak
    )
    physics = make_curriculum(slug="physics", title="Physics")
    mechanics = make_topic(curriculum=physics, slug="mechanics", title="Mechanics")
    feynman = make_resource(mechanics, slug="feynman", title="Feynman")
    list_resource(strang, mechanics)
    student = make_degree(curriculum=physics, slug="student", title="Physics student", rank=1)
    make_requirement(student, resource=feynman)
    learner_client.post("/curricula/physics/follow/")
    return strang, feynman


def test_each_section_leads_to_its_own_degree_through_its_own_listings(
    learner_client, two_curricula
):
    page = learner_client.get("/progress/")
    assert next_up(labelled_by(page, "next-heading")) == [
        ("Spivak", "Calculus", "for Practitioner", "/topics/calculus/#resource-spivak"),
        ("Strang", "Calculus", "next in the curriculum", "/topics/calculus/#resource-strang"),
    ]
    assert next_up(by_id(page, "curriculum-physics")) == [
        (
            "Feynman",
            "Mechanics",
            "for Physics student",
            "/physics/topics/mechanics/#resource-feynman",
        ),
        (
            "Strang",
            "Mechanics",
            "next in the curriculum",
            "/physics/topics/mechanics/#resource-strang",
        ),
    ]


def test_a_shared_work_started_or_finished_once_moves_in_both_sections(
    learner_client, learner, two_curricula
):
    strang, _ = two_curricula
    complete(learner, strang, status="in_progress")
    page = learner_client.get("/progress/")
    # What the next degree needs first, then started work before the rest.
    assert next_up(labelled_by(page, "next-heading"))[1][:3] == (
        "Strang",
        "Calculus",
        "in progress",
    )
    assert next_up(by_id(page, "curriculum-physics"))[1][:3] == (
        "Strang",
        "Mechanics",
        "in progress",
    )

    complete(learner, strang)
    page = learner_client.get("/progress/")
    assert [item[0] for item in next_up(labelled_by(page, "next-heading"))] == ["Spivak"]
    assert [item[0] for item in next_up(by_id(page, "curriculum-physics"))] == ["Feynman"]
