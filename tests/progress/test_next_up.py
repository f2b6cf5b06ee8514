"""Next up on its own: the curriculum and the degree results in, the steps to take out.

The catalog here is shaped like the seed: Practitioner asks for Keras, XGBoost and the Kaggle
milestone; Developer for Calculus, all of Linear Algebra, two of Statistics and three
milestones; Researcher for the Random Processes book and one milestone.
"""

from progress.curriculum import CurriculumItem, NextStep, next_up
from progress.degrees import DegreeSpec, RequirementSpec, evaluate_degrees

CALCULUS, ALGEBRA, STATISTICS, SIGNALS, OTHER_LISTS, DEGREES_TOPIC = 1, 2, 3, 4, 6, 7
KHAN_CALCULUS, KHAN_ALGEBRA, MIT_ALGEBRA = 11, 21, 22
INTRO_STATISTICS, PROBABILITY, RANDOM_PROCESSES, INFORMATION_THEORY = 31, 32, 33, 34
SIGNALS_PART_1 = 41
DEEP_LEARNING_PROJECTS = 61
KERAS, XGBOOST = 71, 72
KAGGLE, PERCEPTRON, KERAS_LAYER, PAPER, NEW_FIELD = 101, 102, 103, 104, 105

CURRICULUM = [
    CurriculumItem(KHAN_CALCULUS, CALCULUS),
    CurriculumItem(KHAN_ALGEBRA, ALGEBRA),
    CurriculumItem(MIT_ALGEBRA, ALGEBRA),
    CurriculumItem(INTRO_STATISTICS, STATISTICS),
    CurriculumItem(PROBABILITY, STATISTICS),
    CurriculumItem(RANDOM_PROCESSES, STATISTICS),
    CurriculumItem(INFORMATION_THEORY, STATISTICS),
    CurriculumItem(SIGNALS_PART_1, SIGNALS),
    CurriculumItem(DEEP_LEARNING_PROJECTS, OTHER_LISTS),
    CurriculumItem(KERAS, DEGREES_TOPIC),
    CurriculumItem(XGBOOST, DEGREES_TOPIC),
]
PREREQUISITES = {SIGNALS: {ALGEBRA}}


def resource(slug, resource_id):
    return RequirementSpec(slug, resource_id=resource_id, resource_title=slug)


def topic(slug, topic_id, resource_ids, min_count=None):
    return RequirementSpec(
        slug, topic_id=topic_id, min_count=min_count, topic_resource_ids=frozenset(resource_ids)
    )


def milestone(slug, milestone_id):
    return RequirementSpec(slug, milestone_id=milestone_id, milestone_slug=slug)


PRACTITIONER = DegreeSpec(
    "practitioner",
    "Practitioner",
    1,
    (resource("keras", KERAS), resource("xgboost", XGBOOST), milestone("kaggle", KAGGLE)),
)
DEVELOPER = DegreeSpec(
    "developer",
    "Developer",
    2,
    (
        topic("calculus", CALCULUS, {KHAN_CALCULUS}),
        topic("linear-algebra", ALGEBRA, {KHAN_ALGEBRA, MIT_ALGEBRA}),
        topic(
            "statistics",
            STATISTICS,
            {INTRO_STATISTICS, PROBABILITY, RANDOM_PROCESSES, INFORMATION_THEORY},
            min_count=2,
        ),
        milestone("perceptron", PERCEPTRON),
        milestone("keras-layer", KERAS_LAYER),
        milestone("paper", PAPER),
    ),
)
RESEARCHER = DegreeSpec(
    "researcher",
    "Researcher",
    3,
    (resource("random-processes", RANDOM_PROCESSES), milestone("new-field", NEW_FIELD)),
)
DEGREES = [PRACTITIONER, DEVELOPER, RESEARCHER]
PRACTITIONER_MET = {"done": {KERAS, XGBOOST}, "evidenced": {KAGGLE}}


def steps_for(
    done=frozenset(),
    evidenced=frozenset(),
    in_progress=frozenset(),
    degrees=DEGREES,
    curriculum=CURRICULUM,
    prerequisites=PREREQUISITES,
    limit=5,
):
    return next_up(
        curriculum,
        prerequisites,
        done_ids=frozenset(done),
        in_progress_ids=frozenset(in_progress),
        degree_results=evaluate_degrees(done, degrees, evidenced),
        limit=limit,
    )


def for_degree(title, *resource_ids, milestones=()):
    return [NextStep(resource_id=rid, degree_title=title) for rid in resource_ids] + [
        NextStep(milestone_id=mid, degree_title=title) for mid in milestones
    ]


def test_a_new_learners_next_up_starts_with_what_practitioner_needs():
    """Issue 23: not Calculus and Linear Algebra first, but Keras, XGBoost and the Kaggle
    milestone, each for Practitioner; then the curriculum, each for the degree that asks."""
    assert steps_for() == [
        *for_degree("Practitioner", KERAS, XGBOOST, milestones=[KAGGLE]),
        *for_degree("Developer", KHAN_CALCULUS, KHAN_ALGEBRA),
    ]


def test_once_practitioner_is_met_next_up_moves_on_to_developer():
    """Everything Developer still needs, even past the limit: Calculus, both Linear Algebra
    resources, the first two of Statistics (it asks for two), then its three milestones."""
    assert steps_for(**PRACTITIONER_MET) == for_degree(
        "Developer",
        KHAN_CALCULUS,
        KHAN_ALGEBRA,
        MIT_ALGEBRA,
        INTRO_STATISTICS,
        PROBABILITY,
        milestones=[PERCEPTRON, KERAS_LAYER, PAPER],
    )


def test_what_a_degree_still_needs_leaves_out_what_is_done_or_evidenced():
    steps = steps_for(done={KERAS, KHAN_CALCULUS, PROBABILITY}, evidenced={KAGGLE})
    assert steps == [
        NextStep(resource_id=XGBOOST, degree_title="Practitioner"),
        *for_degree("Developer", KHAN_ALGEBRA, MIT_ALGEBRA, INTRO_STATISTICS),
        NextStep(resource_id=RANDOM_PROCESSES, degree_title="Researcher"),
    ]


def test_then_the_rest_of_the_curriculum_says_which_degree_asks_for_each_if_any():
    done = {KERAS, XGBOOST, KHAN_CALCULUS, KHAN_ALGEBRA, MIT_ALGEBRA, INTRO_STATISTICS}
    steps = steps_for(done=done, evidenced={KAGGLE, PERCEPTRON, KERAS_LAYER, PAPER}, limit=4)
    assert steps == [
        NextStep(resource_id=PROBABILITY, degree_title="Developer"),
        # Researcher names Random Processes, a Statistics resource: it counts twice for it.
        NextStep(resource_id=RANDOM_PROCESSES, degree_title="Researcher"),
        NextStep(resource_id=INFORMATION_THEORY),  # no degree asks for it
        NextStep(resource_id=SIGNALS_PART_1),
    ]


def test_started_work_comes_first_within_what_the_degree_needs_and_in_the_rest():
    started = {INFORMATION_THEORY, DEEP_LEARNING_PROJECTS}
    steps = steps_for(**PRACTITIONER_MET, in_progress=started, limit=9)
    developer = [step for step in steps if step.degree_title == "Developer"]
    # Statistics asks for two: the one already started, then the first in the curator's order.
    assert [step.resource_id for step in developer if step.resource_id] == [
        INFORMATION_THEORY,
        KHAN_CALCULUS,
        KHAN_ALGEBRA,
        MIT_ALGEBRA,
        INTRO_STATISTICS,
    ]
    assert developer[0].in_progress
    assert steps[len(developer)] == NextStep(resource_id=DEEP_LEARNING_PROJECTS, in_progress=True)


def test_a_degree_needs_its_resources_in_the_curriculums_prerequisite_order():
    """A topic placed first that builds on another still comes after it."""
    curriculum = [
        CurriculumItem(SIGNALS_PART_1, SIGNALS),
        CurriculumItem(KHAN_ALGEBRA, ALGEBRA),
        CurriculumItem(KERAS, DEGREES_TOPIC),
    ]
    signals_first = DegreeSpec(
        "practitioner",
        "Practitioner",
        1,
        (topic("signals", SIGNALS, {SIGNALS_PART_1}), topic("algebra", ALGEBRA, {KHAN_ALGEBRA})),
    )
    assert steps_for(degrees=[signals_first], curriculum=curriculum) == [
        *for_degree("Practitioner", KHAN_ALGEBRA, SIGNALS_PART_1),
        NextStep(resource_id=KERAS),
    ]


def test_with_every_degree_met_next_up_follows_the_curriculum():
    done = {KERAS, XGBOOST, KHAN_CALCULUS, KHAN_ALGEBRA, MIT_ALGEBRA, INTRO_STATISTICS}
    evidenced = {KAGGLE, PERCEPTRON, KERAS_LAYER, PAPER, NEW_FIELD}
    steps = steps_for(done={*done, PROBABILITY, RANDOM_PROCESSES}, evidenced=evidenced, limit=3)
    assert steps == [
        NextStep(resource_id=INFORMATION_THEORY),
        NextStep(resource_id=SIGNALS_PART_1),
        NextStep(resource_id=DEEP_LEARNING_PROJECTS),
    ]


def test_a_required_resource_that_is_not_published_is_not_next_up():
    """The curriculum holds published resources only; the degree's milestone is still next."""
    unpublished_keras = [item for item in CURRICULUM if item.resource_id != KERAS]
    practitioner = DegreeSpec(
        "practitioner",
        "Practitioner",
        1,
        (
            RequirementSpec("keras", resource_id=KERAS, resource_published=False),
            milestone("kaggle", KAGGLE),
        ),
    )
    steps = steps_for(degrees=[practitioner], curriculum=unpublished_keras, limit=2)
    assert steps == [
        NextStep(milestone_id=KAGGLE, degree_title="Practitioner"),
        NextStep(resource_id=KHAN_CALCULUS),
    ]
    assert KERAS not in {step.resource_id for step in steps_for(curriculum=unpublished_keras)}


def test_nothing_left_is_nothing_next():
    done = {item.resource_id for item in CURRICULUM}
    evidenced = {KAGGLE, PERCEPTRON, KERAS_LAYER, PAPER, NEW_FIELD}
    assert steps_for(done=done, evidenced=evidenced) == []
