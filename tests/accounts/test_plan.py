import datetime

from accounts.plan import PlanResource, plan_next_degree
from catalog.models import Resource
from progress.degrees import DegreeResult, DegreeSpec, RequirementResult, RequirementSpec
from tests.factories import complete
from tests.html import text

TODAY = datetime.date(2026, 3, 12)


def resource_req(rid, done=0):
    return RequirementResult(RequirementSpec(key=f"r{rid}", resource_id=rid), done, 1)


def topic_req(ids, needed, done=0):
    spec = RequirementSpec(key="t", topic_id=1, topic_title="Calculus", topic_resource_ids=ids)
    return RequirementResult(spec, done, needed)


def milestone_req():
    return RequirementResult(RequirementSpec(key="m", milestone_id=1, milestone_title="MLP"), 0, 1)


def degree(title, rank, *requirements):
    return DegreeResult(DegreeSpec(slug=title.lower(), title=title, rank=rank), requirements)


def resources(*rows):
    return {rid: PlanResource(rid, hours, done) for rid, hours, done in rows}


def test_plan_names_the_next_degree_its_hours_and_the_date():
    results = [
        degree("Developer", 2, resource_req(1, done=1), resource_req(2)),
        degree("Practitioner", 1, resource_req(1, done=1)),
    ]
    plan = plan_next_degree(results, resources((1, 4, True), (2, 34, False)), 5, TODAY)
    assert plan.sentence == (
        "About 34 hours left for Developer: at 5 hours a week, around 29 April 2026."
    )
    assert plan.caveats == []


def test_topic_requirements_take_the_first_open_resources_and_reuse_named_ones():
    results = [degree("Practitioner", 1, topic_req(frozenset({1, 2, 3, 4}), 3, 1), resource_req(3))]
    plan = plan_next_degree(
        results, resources((1, 9, True), (2, 2, False), (3, 10, False), (4, 100, False)), 10, TODAY
    )
    # Resource 3 is named and counts toward the topic too; one more (2) fills the topic.
    assert (plan.resources_left, plan.hours_left) == (2, 12)


def test_missing_estimates_and_milestones_are_said_honestly():
    results = [degree("Developer", 2, resource_req(1), resource_req(2), milestone_req())]
    plan = plan_next_degree(results, resources((1, None, False), (2, 3, False)), 4, TODAY)
    assert plan.hours_left == 3 + 5
    assert plan.caveats == [
        "Some of it is a guess: 1 of the 2 resources left has no estimate yet, so it counts "
        "as 5 hours.",
        "Not counted: 1 milestone to show with evidence, which takes as long as the project "
        "you choose.",
    ]


def test_counted_words_agree_with_their_numbers():
    one = [degree("Developer", 2, resource_req(1), resource_req(2, done=1))]
    plan = plan_next_degree(one, resources((1, None, False)), 1, TODAY, default_hours=1)
    assert (
        plan.sentence == "About 1 hour left for Developer: at 1 hour a week, around 19 March 2026."
    )
    assert plan.caveats == [
        "All of it is a guess: the resource left has no estimate yet, so it counts as 1 hour."
    ]
    many = [
        degree(
            "Developer",
            2,
            *(resource_req(rid) for rid in (1, 2, 3, 4)),
            milestone_req(),
            milestone_req(),
        )
    ]
    plan = plan_next_degree(
        many, resources((1, None, False), (2, None, False), (3, None, False)), 5, TODAY
    )
    assert plan.caveats == [
        "All of it is a guess: the 3 resources left have no estimate yet, so each counts as 5 "
        "hours.",
        "Not counted: 2 milestones to show with evidence, which take as long as the projects "
        "you choose.",
        "1 required resource is not available right now.",
    ]
    plan = plan_next_degree(
        many, resources((1, None, False), (2, None, False), (3, 4, False)), 5, TODAY
    )
    assert plan.caveats[0] == (
        "Some of it is a guess: 2 of the 3 resources left have no estimate yet, so each counts "
        "as 5 hours."
    )


def test_plan_when_everything_is_met():
    plan = plan_next_degree([degree("Practitioner", 1, resource_req(1, done=1))], {}, 5, TODAY)
    assert plan.all_met
    assert plan.sentence == "You have met every degree's requirements."


def test_dashboard_plan_updates_as_the_learner_marks_progress(
    seed_catalog, learner_client, learner
):
    Resource.objects.update(estimated_hours=10)
    before = text(learner_client.get("/progress/"))
    assert "hours left for Practitioner: at 5 hours a week" in before
    hours_before = int(before.split("About ")[1].split(" hours")[0])
    complete(learner, Resource.objects.get(slug="keras"))
    after = text(learner_client.get("/progress/"))
    assert f"About {hours_before - 10} hours left for Practitioner" in after


def test_resources_already_known_are_not_planned(seed_catalog, learner_client, learner):
    Resource.objects.update(estimated_hours=10)
    before = text(learner_client.get("/progress/"))
    hours_before = int(before.split("About ")[1].split(" hours")[0])
    complete(learner, Resource.objects.get(slug="keras"), status="known")
    after = text(learner_client.get("/progress/"))
    assert f"About {hours_before - 10} hours left for Practitioner" in after


def test_dashboard_plan_uses_the_weekly_goal(seed_catalog, learner_client, learner):
    learner.profile.weekly_goal_hours = 20
    learner.profile.save()
    assert "at 20 hours a week" in text(learner_client.get("/progress/"))


def test_dashboard_plan_says_when_estimates_are_missing(seed_catalog, learner_client):
    Resource.objects.update(estimated_hours=None)
    words = text(learner_client.get("/progress/"))
    assert "All of it is a guess" in words
