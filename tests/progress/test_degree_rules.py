"""The degree rule on its own: plain data in, plain results out."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from progress.degrees import (
    DegreeSpec,
    RequirementSpec,
    Standing,
    award_standing,
    cumulative_requirements,
    evaluate_degrees,
    highest_met,
    next_degree,
    percent_done,
    resources_to_meet,
)
from progress.models import Evidence

STATS = frozenset({10, 11, 12})
CALCULUS = frozenset({20})

PRACTITIONER = DegreeSpec(
    "practitioner",
    "Practitioner",
    1,
    (
        RequirementSpec("keras", "Complete Keras", resource_id=1, resource_title="Keras"),
        RequirementSpec("xgboost", "Complete XGboost", resource_id=2, resource_title="XGboost"),
    ),
)
DEVELOPER = DegreeSpec(
    "developer",
    "Developer",
    2,
    (
        RequirementSpec(
            "calculus", topic_id=2, topic_title="Calculus", topic_resource_ids=CALCULUS
        ),
        RequirementSpec(
            "stats", topic_id=1, topic_title="Statistics", min_count=2, topic_resource_ids=STATS
        ),
    ),
)
RESEARCHER = DegreeSpec(
    "researcher",
    "Researcher",
    3,
    (
        RequirementSpec(
            "book", "Complete Random Processes", resource_id=12, resource_title="Random Processes"
        ),
    ),
)
DEGREES = [RESEARCHER, PRACTITIONER, DEVELOPER]  # any order in, rank order out


def by_slug(results):
    return {result.degree.slug: result for result in results}


def test_nothing_completed_meets_no_degree_and_says_what_remains():
    results = by_slug(evaluate_degrees(set(), DEGREES))
    assert not any(result.met for result in results.values())
    assert results["practitioner"].remaining == ["Complete Keras", "Complete XGboost"]
    assert results["developer"].remaining == [
        "Complete Keras",
        "Complete XGboost",
        "Complete 1 more Calculus resource",
        "Complete 2 more Statistics resources",
    ]


def test_results_come_in_rank_order():
    assert [r.degree.slug for r in evaluate_degrees(set(), DEGREES)] == [
        "practitioner",
        "developer",
        "researcher",
    ]


def test_developer_needs_everything_practitioner_needs():
    results = by_slug(evaluate_degrees({20, 10, 11}, DEGREES))
    assert not results["developer"].met
    assert results["developer"].remaining == ["Complete Keras", "Complete XGboost"]


def test_meeting_every_requirement_earns_the_degree_and_those_below():
    results = evaluate_degrees({1, 2, 20, 10, 11}, DEGREES)
    assert highest_met(results).degree.slug == "developer"
    assert by_slug(results)["practitioner"].met


def test_the_next_degree_is_the_lowest_one_neither_held_nor_met():
    results = evaluate_degrees(set(), DEGREES)
    assert next_degree(results, []).degree.slug == "practitioner"
    assert next_degree(results, ["practitioner"]).degree.slug == "developer"
    assert next_degree(results, ["practitioner", "developer"]).degree.slug == "researcher"
    assert next_degree(results, ["developer", "researcher", "practitioner"]) is None
    # Met but not held yet (its award comes with the learner's next write): not one to work on.
    assert next_degree(evaluate_degrees({1, 2}, DEGREES), []).degree.slug == "developer"


def test_a_degree_held_though_its_rules_changed_is_not_next_again():
    """An award stays when its degree is tightened: the next degree is the one above it."""
    results = evaluate_degrees(set(), DEGREES)
    assert not by_slug(results)["practitioner"].met
    assert next_degree(results, ["practitioner"]).degree.slug == "developer"


def test_topic_requirement_counts_only_that_topics_resources():
    results = by_slug(evaluate_degrees({1, 2, 20, 10, 99}, DEGREES))
    assert results["developer"].remaining == ["Complete 1 more Statistics resource"]


def test_all_of_a_topic_means_every_published_resource():
    spec = DegreeSpec(
        "d",
        "D",
        1,
        (RequirementSpec("t", topic_id=1, topic_title="Statistics", topic_resource_ids=STATS),),
    )
    assert evaluate_degrees({10, 11}, [spec])[0].remaining == [
        "Complete 1 more Statistics resource"
    ]
    assert evaluate_degrees(STATS, [spec])[0].met


def test_unpublished_required_resource_counts_for_nothing():
    spec = DegreeSpec(
        "d",
        "D",
        1,
        (RequirementSpec("r", resource_id=5, resource_title="Gone", resource_published=False),),
    )
    result = evaluate_degrees({5}, [spec])[0]
    assert not result.met
    assert result.remaining == ["Gone is not available right now"]


def test_a_milestone_without_evidence_remains_as_its_requirement_reads():
    mlp = RequirementSpec("mlp", "Show evidence: MLP", milestone_id=1, milestone_title="MLP")
    spec = DegreeSpec("d", "D", 1, (mlp,))
    assert evaluate_degrees(set(), [spec])[0].remaining == ["Show evidence: MLP"]
    assert evaluate_degrees(set(), [spec], evidenced_milestone_ids={1})[0].met


RESOURCE_IDS = [1, 2, 10, 11, 12, 20]


@given(
    completed=st.sets(st.sampled_from(RESOURCE_IDS)),
    one_more=st.sampled_from(RESOURCE_IDS),
)
def test_completing_one_more_resource_never_lowers_any_degrees_progress(completed, one_more):
    before = by_slug(evaluate_degrees(completed, DEGREES))
    after = by_slug(evaluate_degrees(completed | {one_more}, DEGREES))
    for slug, result in before.items():
        assert after[slug].done >= result.done
        assert after[slug].met or not result.met


@given(completed=st.sets(st.sampled_from(RESOURCE_IDS)))
def test_awards_follow_rank_order(completed):
    met = [result.met for result in evaluate_degrees(completed, DEGREES)]
    # Once a degree is not met, no higher degree is met.
    assert met == sorted(met, reverse=True)


def test_a_degree_asks_what_every_lower_degree_asks_then_its_own():
    assert [r.key for r in cumulative_requirements(DEGREES, 1)] == ["keras", "xgboost"]
    assert [r.key for r in cumulative_requirements(DEGREES, 3)] == [
        "keras",
        "xgboost",
        "calculus",
        "stats",
        "book",
    ]
    researcher = by_slug(evaluate_degrees(set(), DEGREES))["researcher"]
    assert [r.spec for r in researcher.requirements] == list(cumulative_requirements(DEGREES, 3))
    assert [r.spec.key for r in researcher.own_requirements] == ["book"]


SUBMITTED, VERIFIED, REJECTED = (
    Evidence.State.SUBMITTED,
    Evidence.State.VERIFIED,
    Evidence.State.REJECTED,
)


@pytest.mark.parametrize(
    ("evidence_states", "standing"),
    [
        ([VERIFIED, VERIFIED], Standing.VERIFIED),
        ([], Standing.VERIFIED),  # a degree without milestones rests on no evidence
        ([VERIFIED, SUBMITTED], Standing.SELF_ATTESTED),
        ([VERIFIED, None], Standing.INCOMPLETE),
        ([SUBMITTED, ""], Standing.INCOMPLETE),  # "": the share page's "no evidence"
        ([None, REJECTED], Standing.REJECTED),  # rejected evidence outweighs missing evidence
        ([VERIFIED, REJECTED], Standing.REJECTED),
    ],
)
def test_an_awards_standing_follows_its_weakest_milestone_evidence(evidence_states, standing):
    assert award_standing(evidence_states) == standing
    assert award_standing(iter(evidence_states)) == standing


@pytest.mark.parametrize(
    ("done", "total", "percent"),
    [(0, 0, 0), (0, 3, 0), (1, 3, 33), (2, 3, 67), (3, 3, 100), (1, 8, 12), (3, 8, 38)],
)
def test_a_percent_is_rounded_half_to_even_and_zero_when_there_is_nothing_to_do(
    done, total, percent
):
    assert percent_done(done, total) == percent


def test_a_degree_that_asks_nothing_is_all_done_and_others_round_like_every_bar():
    empty = DegreeSpec("empty", "Empty", 1)
    assert evaluate_degrees(set(), [empty])[0].percent == 100
    stats = DegreeSpec("stats", "Stats", 1, DEVELOPER.requirements[1:])  # at least 2 of 3
    assert evaluate_degrees({10}, [stats])[0].percent == percent_done(1, 2) == 50


def test_known_resources_count_like_completed_ones_and_are_told_apart():
    """Calculus known, two statistics resources: one completed, one known."""
    results = by_slug(
        evaluate_degrees({1, 2, 20, 10, 11}, DEGREES, known_resource_ids={20, 11, 99})
    )
    developer = {r.spec.key: r for r in results["developer"].requirements}
    assert results["developer"].met
    assert (developer["calculus"].done, developer["calculus"].known) == (1, 1)
    # Completions count first: of the two statistics resources needed, one was known.
    assert (developer["stats"].done, developer["stats"].known) == (2, 1)
    assert (developer["keras"].done, developer["keras"].known) == (1, 0)


def test_known_resources_beyond_what_a_topic_needs_are_not_shown_as_used():
    results = by_slug(evaluate_degrees({10, 11, 12}, DEGREES, known_resource_ids={12}))
    stats = next(r for r in results["developer"].requirements if r.spec.key == "stats")
    assert (stats.done, stats.known) == (2, 0)


def test_the_next_degree_is_the_lowest_neither_met_nor_held():
    assert next_degree(evaluate_degrees(set(), DEGREES)).degree.slug == "practitioner"
    assert next_degree(evaluate_degrees({1, 2}, DEGREES)).degree.slug == "developer"
    assert next_degree(evaluate_degrees({1, 2, 20, 10, 12}, DEGREES)) is None
    # A degree held although no longer met (tightened since) is not the one to work toward.
    assert next_degree(evaluate_degrees(set(), DEGREES), ["practitioner"]).degree.slug == (
        "developer"
    )


def test_resources_to_meet_a_degree_are_those_named_and_what_each_topic_lacks_in_order():
    """Researcher names Random Processes (12), a Statistics resource: it counts for Statistics
    too, which then lacks one more, the first open in the order given."""
    researcher = by_slug(evaluate_degrees({1}, DEGREES))["researcher"]
    assert resources_to_meet(researcher, [2, 20, 10, 11, 12]) == [2, 20, 10, 12]
    # Started work put first by the caller is chosen first.
    assert resources_to_meet(researcher, [11, 2, 20, 10, 12]) == [11, 2, 20, 12]


def test_resources_to_meet_leave_out_what_is_done_or_not_open():
    developer = by_slug(evaluate_degrees({1, 10}, DEGREES))["developer"]
    # XGboost (2) is not open (say, unpublished); Statistics has 10 done and lacks one more.
    assert resources_to_meet(developer, [20, 11, 12]) == [20, 11]
    met = by_slug(evaluate_degrees({1, 2}, DEGREES))["practitioner"]
    assert resources_to_meet(met, [20, 11, 12]) == []
