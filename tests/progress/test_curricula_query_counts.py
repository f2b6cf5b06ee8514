"""The learner pages run the same number of queries with one curriculum as with five (issue 19)."""

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import (
    Curriculum,
    Degree,
    Listing,
    Milestone,
    Requirement,
    Resource,
    Topic,
)
from mlmath.invalidation import bump_catalog_version, bump_learner
from progress.models import Evidence, ResourceProgress, Status
from tests.factories import at
from tests.progress.test_query_counts import PAGES, query_counts

# As in test_query_counts: a page read across midnight could change what it reads.
pytestmark = pytest.mark.frozen_at(at("2026-12-31T23:59:50"))

ANONYMOUS_PAGES = [url for url in PAGES if url != "/progress/"]


def set_progress(learner, resources, status):
    now = timezone.now()
    ResourceProgress.objects.bulk_create(
        ResourceProgress(
            learner=learner,
            resource=resource,
            status=status,
            started_at=now,
            completed_at=now if status == Status.COMPLETED else None,
        )
        for resource in resources
    )


def add_curriculum(number, learner, shared):
    """A published curriculum of 3 topics and 6 resources of its own, listing `shared` (a
    resource of the default curriculum) too, with a degree asking for a topic and a milestone;
    the learner has completed some of it, started some, shown evidence for the milestone."""
    curriculum = Curriculum.objects.create(
        slug=f"curriculum-{number}", title=f"Curriculum {number}", is_published=True
    )
    topics = Topic.objects.bulk_create(
        Topic(curriculum=curriculum, slug=f"topic-{i}", title=f"Topic {i}", position=i)
        for i in range(3)
    )
    own = Resource.objects.bulk_create(
        Resource(
            slug=f"c{number}-{i}", title=f"Course {number}.{i}", url=f"https://c{number}.org/{i}"
        )
        for i in range(6)
    )
    Listing.objects.bulk_create(
        Listing(resource=resource, topic=topics[i % len(topics)], position=i)
        for i, resource in enumerate([shared, *own])
    )
    milestone = Milestone.objects.create(
        curriculum=curriculum, slug="capstone", title="Capstone", description="Show it."
    )
    degree = Degree.objects.create(curriculum=curriculum, slug="practitioner", title="P", rank=1)
    Requirement.objects.create(degree=degree, slug="topic", topic=topics[0], min_count=1)
    Requirement.objects.create(degree=degree, slug="capstone", milestone=milestone, position=1)
    set_progress(learner, own[:2], Status.COMPLETED)
    set_progress(learner, own[2:3], Status.IN_PROGRESS)
    Evidence.objects.create(
        learner=learner,
        milestone=milestone,
        url=f"https://example.org/evidence/{number}",
        description="Mine.",
        submitted_at=timezone.now(),
    )


def test_learner_pages_run_the_same_queries_with_one_curriculum_and_with_five(
    seed_catalog, learner_client, learner
):
    """Four more curricula, one of the default's resources listed in all of them, and the
    learner's progress and evidence in each, cost the default curriculum's pages no query,
    signed in or not. The learner has work left in every curriculum, so the dashboard plans it
    both times."""
    default_resources = list(Resource.objects.published().order_by("pk"))
    shared = default_resources[0]
    set_progress(learner, [shared, *default_resources[1:3]], Status.COMPLETED)
    set_progress(learner, default_resources[3:4], Status.IN_PROGRESS)
    bump_learner(learner.pk)  # bulk writes send no signals
    anonymous = Client()
    one = query_counts(learner_client, PAGES)
    one_anonymous = query_counts(anonymous, ANONYMOUS_PAGES)

    for number in range(1, 5):
        add_curriculum(number, learner, shared)
    bump_catalog_version()
    bump_learner(learner.pk)
    assert Curriculum.objects.published().count() == 5
    assert Listing.objects.filter(resource=shared).count() == 5

    assert query_counts(learner_client, PAGES) == one
    assert query_counts(anonymous, ANONYMOUS_PAGES) == one_anonymous
