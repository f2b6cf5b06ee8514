"""Pages run a fixed number of queries whatever the catalog's and the learner's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Degree, Milestone, Requirement, Resource, Topic
from progress.models import Evidence, ResourceProgress, Status

PAGES = [
    "/",
    "/topics/calculus/",
    "/degrees/",
    "/degrees/developer/",
    "/search/?q=course",
    "/progress/",
]


def grow(resource_count):
    """Add `resource_count` published resources, 20 per new topic."""
    topics = Topic.objects.bulk_create(
        Topic(slug=f"bulk-{i}", title=f"Bulk topic {i}", position=100 + i)
        for i in range(resource_count // 20)
    )
    Resource.objects.bulk_create(
        Resource(
            slug=f"bulk-{i}",
            topic=topics[i % len(topics)],
            title=f"Bulk course {i}",
            url=f"https://example.org/{i}",
            position=i,
        )
        for i in range(resource_count)
    )


def add_milestones_with_evidence(learner, count):
    """`count` more Developer milestones, each with the learner's evidence."""
    developer = Degree.objects.get(slug="developer")
    milestones = Milestone.objects.bulk_create(
        Milestone(slug=f"bulk-{i}", title=f"Bulk milestone {i}", description="Show it.")
        for i in range(count)
    )
    Requirement.objects.bulk_create(
        Requirement(degree=developer, slug=f"bulk-{i}", milestone=m)
        for i, m in enumerate(milestones)
    )
    Evidence.objects.bulk_create(
        Evidence(
            learner=learner,
            milestone=m,
            url=f"https://example.org/e/{m.slug}",
            description="Mine.",
            submitted_at=timezone.now(),
        )
        for m in milestones
    )


def complete_many(learner, count):
    now = timezone.now()
    ResourceProgress.objects.bulk_create(
        ResourceProgress(learner=learner, resource=r, status=Status.COMPLETED, completed_at=now)
        for r in Resource.objects.order_by("pk")[:count]
    )


def query_counts(client):
    """Queries per page once its catalog fragments are cached (what every request but the first
    after a catalog change costs); the first request is bounded by the caller's maximum."""
    counts = {}
    for url in PAGES:
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def test_query_counts_stay_flat_as_catalog_and_history_grow(
    seed_catalog, learner_client, learner, django_assert_max_num_queries
):
    small = query_counts(learner_client)
    grow(1000)
    complete_many(learner, 500)
    add_milestones_with_evidence(learner, 50)
    large = query_counts(learner_client)
    # Never more; the dashboard's study plan skips its query when nothing is left to plan.
    assert {url: min(count, small[url]) for url, count in large.items()} == large
    Topic.objects.filter(slug="calculus").update(summary="Edited")  # the cache goes stale
    for url in PAGES:
        # The dashboard also draws streaks, the calendar and the study plan (profile + 2 queries).
        with django_assert_max_num_queries(18 if url == "/progress/" else 15):
            learner_client.get(url)


def test_marking_runs_a_fixed_number_of_queries(
    seed_catalog, learner_client, learner, django_assert_max_num_queries
):
    grow(1000)
    complete_many(learner, 500)
    with django_assert_max_num_queries(25):
        response = learner_client.post(
            "/progress/resources/keras/status/", {"status": "completed"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200


def untouched_resource_url(learner, action="status"):
    """A published resource the learner has no row for (after `complete_many`)."""
    resource = Resource.objects.published().exclude(learner_progress__learner=learner).last()
    return f"/progress/resources/{resource.slug}/{action}/"


def test_one_htmx_status_change_reads_no_rows_again(
    seed_catalog, learner_client, learner, django_assert_max_num_queries
):
    """A status change renders the row it wrote: 21 queries before, 9 now."""
    grow(1000)
    complete_many(learner, 500)
    url = untouched_resource_url(learner)
    with django_assert_max_num_queries(10):
        response = learner_client.post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "In progress" in response.content.decode()
    # A completion also looks for new awards (the learner's credit, and the degree rules, read
    # once per catalog version: three queries the first time) and redraws the topic's bar; the
    # header badge only when a degree is earned. With the database cache, reading the versions
    # and replacing the learner's are queries too.
    with django_assert_max_num_queries(15):
        response = learner_client.post(url, {"status": "completed"}, HTTP_HX_REQUEST="true")
    assert 'hx-swap-oob="true"' in response.content.decode()


def test_one_htmx_evidence_submission_runs_a_fixed_number_of_queries(
    seed_catalog, learner_client, learner, django_assert_max_num_queries
):
    """19 queries before evidence submissions passed their row on, 14 now (15 when reading the
    catalog version, which spares reading the degrees, is a query: the database cache)."""
    grow(1000)
    complete_many(learner, 500)
    add_milestones_with_evidence(learner, 50)
    with django_assert_max_num_queries(15):
        response = learner_client.post(
            "/progress/milestones/mlp-from-scratch/evidence/",
            {"url": "https://example.org/mlp", "description": "My perceptron."},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert "https://example.org/mlp" in response.content.decode()
