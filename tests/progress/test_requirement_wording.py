"""How a requirement reads is decided once (`Requirement.describe()`): the degree rules' plain
data, the dashboard's "what remains" and the badge's criteria all say the same sentence."""

import pytest

from badges.awards import degree_criteria_narrative
from progress.degrees import load_degree_specs
from tests.factories import (
    make_degree,
    make_milestone,
    make_requirement,
    make_resource,
    make_resources,
    make_topic,
)
from tests.html import by_id, parsed, text


@pytest.fixture
def degree(db):
    """A degree asking for a resource, a milestone and two resources of a topic."""
    degree = make_degree(slug="starter", title="Starter", rank=1)
    make_requirement(degree, position=1, resource=make_resource(title="Keras"))
    make_requirement(degree, position=2, milestone=make_milestone(title="An MLP from scratch"))
    calculus = make_topic(title="Calculus")
    make_resources(calculus, 3)
    make_requirement(degree, position=3, topic=calculus, min_count=2)
    return degree


def test_the_degree_rules_read_each_requirement_as_the_model_words_it(degree):
    (spec,) = load_degree_specs()
    assert [r.description for r in spec.requirements] == [
        r.describe() for r in degree.requirements.order_by("position")
    ]
    assert [r.description for r in spec.requirements] == [
        "Complete Keras",
        "Show evidence: An MLP from scratch",
        "Complete at least 2 Calculus resources",
    ]


def test_the_badge_criteria_state_each_requirement_as_the_model_words_it(degree):
    narrative = degree_criteria_narrative(degree)
    for requirement in degree.requirements.all():
        assert f"- {requirement.describe()}\n" in narrative


def test_what_remains_on_the_dashboard_is_the_requirement_itself_or_a_count(degree, learner_client):
    section = text(by_id(parsed(learner_client.get("/progress/")), "degree-starter"))
    assert "Complete Keras" in section
    assert "Show evidence: An MLP from scratch" in section
    assert "Complete 2 more Calculus resources" in section
