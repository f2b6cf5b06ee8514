"""The study plan per curriculum: each followed curriculum's dashboard section plans its own
next degree, in one query for all of them (issue 19)."""

import pytest

from catalog.models import Curriculum
from mlmath.invalidation import bump_learner
from progress.models import Following
from tests.factories import (
    at,
    complete,
    default_curriculum,
    make_curriculum,
    make_degree,
    make_milestone,
    make_requirement,
    make_resource,
    make_topic,
)
from tests.html import by_id, elements, text
from tests.progress.test_query_counts import query_counts

pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(at("2026-03-12T12:00"))]


def add_curriculum(slug, title, *, hours=(3, 4, None)):
    """A published curriculum with one topic of three resources (estimated at `hours`) and a
    degree, Student, asking for two of them and a milestone."""
    curriculum = make_curriculum(slug=slug, title=title)
    topic = make_topic(curriculum=curriculum, slug="basics", title=f"{title} basics")
    resources = [
        make_resource(topic, slug=f"{slug}-{i}", title=f"{title} {i}", estimated_hours=h)
        for i, h in enumerate(hours)
    ]
    student = make_degree(curriculum=curriculum, slug="student", title=f"{title} student", rank=1)
    make_requirement(student, topic=topic, min_count=2)
    make_requirement(student, milestone=make_milestone(curriculum=curriculum, slug="project"))
    return curriculum, resources


@pytest.fixture
def default_degree():
    """The default curriculum's Practitioner, asking for one resource of 10 hours."""
    default_curriculum()
    keras = make_resource(make_topic(slug="tools", title="Tools"), slug="keras", estimated_hours=10)
    make_requirement(make_degree(slug="practitioner", title="Practitioner", rank=1), resource=keras)
    return keras


def plan_text(page, slug):
    return text(by_id(page, f"study-plan-{slug}"))


def test_each_followed_curriculum_has_its_own_study_plan(learner_client, learner, default_degree):
    _, physics_resources = add_curriculum("physics", "Physics")
    add_curriculum("chemistry", "Chemistry", hours=(None, None, None))
    add_curriculum("biology", "Biology")  # not followed
    for slug in ("physics", "chemistry"):
        learner_client.post(f"/curricula/{slug}/follow/")

    page = learner_client.get("/progress/")
    assert "About 10 hours left for Practitioner: at 5 hours a week, around 26 March 2026." in (
        text(by_id(page, "study-plan"))
    )
    physics = plan_text(page, "physics")
    assert physics.startswith("Study plan About 7 hours left for Physics student: ")
    assert "at 5 hours a week, around 22 March 2026." in physics
    assert "Not counted: 1 milestone to show with evidence" in physics
    assert "change it in your settings" in physics
    chemistry = plan_text(page, "chemistry")
    assert "About 10 hours left for Chemistry student" in chemistry
    assert "All of it is a guess: the 2 resources left have no estimate yet" in chemistry
    assert not elements(page, id="study-plan-biology")

    # Progress in one curriculum moves its plan alone.
    complete(learner, physics_resources[0])
    page = learner_client.get("/progress/")
    assert "About 4 hours left for Physics student" in plan_text(page, "physics")
    assert "About 10 hours left for Chemistry student" in plan_text(page, "chemistry")
    assert "About 10 hours left for Practitioner" in text(by_id(page, "study-plan"))


def test_the_weekly_goal_paces_every_plan(learner_client, learner, default_degree):
    add_curriculum("physics", "Physics")
    learner_client.post("/curricula/physics/follow/")
    learner.profile.weekly_goal_hours = 7
    learner.profile.save()
    page = learner_client.get("/progress/")
    # 10 hours at 7 a week: 10 days; 7 hours: a week.
    assert "at 7 hours a week, around 22 March 2026" in text(by_id(page, "study-plan"))
    assert "at 7 hours a week, around 19 March 2026" in plan_text(page, "physics")


def test_a_curriculum_without_degrees_has_no_plan_and_a_met_one_says_so(
    learner_client, learner, default_degree
):
    plain = make_curriculum(slug="plain", title="Plain")
    make_resource(make_topic(curriculum=plain, slug="only"))
    _, resources = add_curriculum("physics", "Physics")
    for slug in ("plain", "physics"):
        learner_client.post(f"/curricula/{slug}/follow/")
    page = learner_client.get("/progress/")
    assert by_id(page, "curriculum-plain")
    assert not elements(page, id="study-plan-plain")

    complete(learner, *resources[:2])
    learner_client.post(
        "/progress/milestones/project/evidence/",
        {"url": "https://example.org/mine", "description": "Mine.", "next": "/physics/degrees/"},
    )
    page = learner_client.get("/progress/")
    assert plan_text(page, "physics") == "Study plan You have met every degree's requirements."


def test_the_plans_cost_one_query_however_many_curricula_are_followed(
    learner_client, learner, default_degree
):
    for number in range(5):
        add_curriculum(f"c{number}", f"C{number}")
    curricula = list(Curriculum.objects.filter(slug__startswith="c").order_by("slug"))
    Following.objects.create(learner=learner, curriculum=curricula[0])
    one = query_counts(learner_client, ["/progress/"])

    Following.objects.bulk_create(Following(learner=learner, curriculum=c) for c in curricula[1:])
    bump_learner(learner.pk)  # a bulk write sends no signals
    page = learner_client.get("/progress/")
    assert len(elements(page, "div", class_="study-plan")) == 5
    assert query_counts(learner_client, ["/progress/"]) == one
