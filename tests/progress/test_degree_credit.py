"""What counts toward a degree is decided once: the dashboard promises what gets awarded."""

import pytest
from django.utils import timezone

from catalog.models import Resource, published_resources_by_topic, resource_placements
from progress.degrees import credit_after_completing, degree_credit, load_degree_specs
from progress.learner import LearnerProgress
from progress.models import DegreeAward, Evidence, ResourceProgress, Status
from progress.services import record_new_awards
from tests.factories import make_degree, make_milestone, make_requirement, make_resource
from tests.html import by_id, text

NO_EVIDENCE = None


@pytest.fixture
def small_catalog(db):
    """One degree asking for one resource and one milestone."""
    resource = make_resource()
    milestone = make_milestone()
    degree = make_degree(slug="starter")
    make_requirement(degree, resource=resource)
    make_requirement(degree, milestone=milestone)
    return resource, milestone, degree


def give_work(
    learner, resource, milestone, evidence_state, resource_published=True, status=Status.COMPLETED
):
    """Rows written directly, so that no award is recorded before the test asks."""
    ResourceProgress.objects.create(
        learner=learner,
        resource=resource,
        status=status,
        completed_at=timezone.now() if status == Status.COMPLETED else None,
    )
    if not resource_published:
        Resource.objects.filter(pk=resource.pk).update(is_published=False)
    if evidence_state is not NO_EVIDENCE:
        Evidence.objects.create(
            learner=learner,
            milestone=milestone,
            url="https://example.org/mine",
            description="My notebook.",
            state=evidence_state,
            submitted_at=timezone.now(),
        )


def dashboard_says_met(client):
    return "Requirements met" in text(by_id(client.get("/progress/"), "degree-starter-heading"))


CASES = [
    pytest.param(Evidence.State.SUBMITTED, True, True, id="self-attested"),
    pytest.param(Evidence.State.VERIFIED, True, True, id="verified"),
    pytest.param(Evidence.State.REJECTED, True, False, id="rejected"),
    pytest.param(NO_EVIDENCE, True, False, id="no-evidence"),
    pytest.param(Evidence.State.VERIFIED, False, False, id="resource-unpublished"),
]


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.KNOWN])
@pytest.mark.parametrize(("evidence_state", "resource_published", "counts"), CASES)
def test_dashboard_promises_exactly_what_is_awarded(
    small_catalog, learner, learner_client, evidence_state, resource_published, counts, status
):
    resource, milestone, degree = small_catalog
    give_work(learner, resource, milestone, evidence_state, resource_published, status)

    promised = dashboard_says_met(learner_client)
    record_new_awards(learner=learner)
    awarded = DegreeAward.objects.filter(learner=learner, degree=degree).exists()

    assert promised == awarded == counts


@pytest.mark.parametrize(("evidence_state", "resource_published", "counts"), CASES)
def test_credit_counts_published_completions_and_evidence_not_rejected(
    small_catalog, learner, evidence_state, resource_published, counts
):
    resource, milestone, _ = small_catalog
    give_work(learner, resource, milestone, evidence_state, resource_published)

    credit = degree_credit(learner)

    assert (resource.pk in credit.done_resource_ids) == resource_published
    assert (resource.pk in credit.completed_resource_ids) == resource_published
    assert credit.known_resource_ids == frozenset()
    assert (milestone.pk in credit.evidenced_milestone_ids) == (
        evidence_state in (Evidence.State.SUBMITTED, Evidence.State.VERIFIED)
    )


def test_another_learners_work_gives_no_credit(small_catalog, learner, make_learner):
    resource, milestone, _ = small_catalog
    give_work(make_learner("grace"), resource, milestone, Evidence.State.VERIFIED)

    assert degree_credit(learner).done_resource_ids == frozenset()
    assert degree_credit(learner).evidenced_milestone_ids == frozenset()


@pytest.mark.parametrize(
    ("status", "counts", "known"),
    [
        (Status.KNOWN, True, True),
        (Status.COMPLETED, True, False),
        (Status.IN_PROGRESS, False, False),
        (Status.NOT_STARTED, False, False),
    ],
)
def test_known_resources_count_and_are_told_apart_from_completed_ones(
    small_catalog, learner, status, counts, known
):
    resource, milestone, _ = small_catalog
    give_work(learner, resource, milestone, NO_EVIDENCE, status=status)

    credit = degree_credit(learner)

    assert (resource.pk in credit.done_resource_ids) == counts
    assert (resource.pk in credit.known_resource_ids) == known
    assert (resource.pk in credit.completed_resource_ids) == (counts and not known)
    assert ResourceProgress.objects.for_learner(learner).done().exists() == counts


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.KNOWN, Status.IN_PROGRESS])
@pytest.mark.parametrize(("evidence_state", "resource_published", "counts"), CASES)
def test_a_page_counts_the_same_credit_from_the_rows_it_loaded(
    small_catalog, learner, make_learner, evidence_state, resource_published, counts, status
):
    """A degree page counts the credit from the learner's rows and evidence it loads for its
    cards and milestones (`credit_from_rows`): the same as `degree_credit` reads."""
    resource, milestone, _ = small_catalog
    give_work(learner, resource, milestone, evidence_state, resource_published, status)
    give_work(make_learner("grace"), make_resource(), milestone, Evidence.State.VERIFIED)

    from_rows = LearnerProgress(learner).credit_from_page_rows

    assert from_rows == degree_credit(learner)
    assert (resource.pk in from_rows.done_resource_ids) == (
        resource_published and status != Status.IN_PROGRESS
    )


def test_a_completion_reads_only_what_it_can_change_and_judges_as_the_whole_history(
    seed_catalog, learner
):
    """A completion's credit (`credit_after_completing`) covers only the resources its
    curricula's degrees and its topics count, yet every degree of those curricula and the bar
    of each of its topics come out exactly as from the learner's whole history."""
    resources = list(Resource.objects.order_by("pk"))
    for index, resource in enumerate(resources):
        if index % 3:  # two thirds of the catalog, some of it already known
            known = index % 5 == 0
            ResourceProgress.objects.create(
                learner=learner,
                resource=resource,
                status=Status.KNOWN if known else Status.COMPLETED,
                completed_at=None if known else timezone.now(),
            )
    Resource.objects.filter(pk=resources[1].pk).update(is_published=False)
    whole = degree_credit(learner)
    specs = load_degree_specs()
    placements, by_topic = resource_placements(), published_resources_by_topic()
    counted_less = 0
    for resource in resources:
        placement = placements[resource.pk]
        credit = credit_after_completing(learner, placement)
        counted_less += credit.done_resource_ids < whole.done_resource_ids
        assert credit.done_resource_ids <= whole.done_resource_ids
        mine = [spec for spec in specs if spec.curriculum_id in placement.curriculum_ids]
        assert credit.evaluate(mine) == whole.evaluate(mine)
        for topic_id in placement.topic_ids:
            assert credit.done_among(by_topic[topic_id]) == whole.done_among(by_topic[topic_id])
    assert counted_less  # the seed's degrees do not count every resource: less was read
