"""Pages run a fixed number of queries whatever the catalog's and the learner's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Resource, Topic
from progress.models import ResourceProgress, Status

PAGES = ["/", "/topics/calculus/", "/degrees/", "/search/?q=course", "/progress/"]


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


def complete_many(learner, count):
    now = timezone.now()
    ResourceProgress.objects.bulk_create(
        ResourceProgress(learner=learner, resource=r, status=Status.COMPLETED, completed_at=now)
        for r in Resource.objects.order_by("pk")[:count]
    )


def query_counts(client):
    counts = {}
    for url in PAGES:
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
    large = query_counts(learner_client)
    assert large == small
    for url in PAGES:
        with django_assert_max_num_queries(15):
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
