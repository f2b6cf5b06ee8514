"""Pages run a fixed number of queries whatever the catalog's and the learner's size."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
from mlmath import versions
from mlmath.cache import UpsertDatabaseCache
from mlmath.invalidation import bump_catalog_version, bump_learner
from progress.models import Activity, DegreeAward, Evidence, Following, ResourceProgress, Status
from tests.factories import at
from tests.html import elements, result_titles, text

# The clock stopped ten seconds before midnight (UTC): what a page reads can follow the date
# (streaks, the calendar, a learner's page kept per quarter hour), and a suite that crossed
# midnight during one of these tests failed its pin.
pytestmark = pytest.mark.frozen_at(at("2026-12-31T23:59:50"))

PAGES = [
    "/",
    "/topics/calculus/",
    "/degrees/",
    "/degrees/developer/",
    "/search/?q=course",
    "/progress/",
]


def grow(resource_count):
    """Add `resource_count` published resources, 20 per new topic of the seed's curriculum."""
    curriculum = Curriculum.objects.get(slug="ml-math")
    topics = Topic.objects.bulk_create(
        Topic(curriculum=curriculum, slug=f"bulk-{i}", title=f"Bulk topic {i}", position=100 + i)
        for i in range(resource_count // 20)
    )
    resources = Resource.objects.bulk_create(
        Resource(slug=f"bulk-{i}", title=f"Bulk course {i}", url=f"https://example.org/{i}")
        for i in range(resource_count)
    )
    Listing.objects.bulk_create(
        Listing(resource=resource, topic=topics[i % len(topics)], position=i)
        for i, resource in enumerate(resources)
    )
    bump_catalog_version()  # bulk writes send no signals


def add_milestones_with_evidence(learner, count):
    """`count` more Developer milestones, each with the learner's evidence."""
    developer = Degree.objects.get(slug="developer")
    milestones = Milestone.objects.bulk_create(
        Milestone(
            curriculum=developer.curriculum,
            slug=f"bulk-{i}",
            title=f"Bulk milestone {i}",
            description="Show it.",
        )
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
    bump_catalog_version()  # bulk writes send no signals
    bump_learner(learner.pk)


def complete_many(learner, count):
    now = timezone.now()
    ResourceProgress.objects.bulk_create(
        ResourceProgress(learner=learner, resource=r, status=Status.COMPLETED, completed_at=now)
        for r in Resource.objects.order_by("pk")[:count]
    )
    bump_learner(learner.pk)  # a bulk write sends no signals


def query_counts(client, urls=PAGES):
    """Queries per page rendered for the learner, not served from their page cache: the
    catalog's fragments are cached (every request but the first after a catalog change), the
    learner's whole page is not (every first view after a write of theirs)."""
    counts = {}
    for url in urls:
        assert client.get(url).status_code == 200
        caches["learner_pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[url] = len(queries)
    return counts


# Per page rendered without its page cache, on the SQLite default (fewer with Redis, where the
# versions are no query): session, user, the versions, then the page's own: the learner's
# rows in one query (statuses, cards, topic bars), degree credit, ... The catalog's rows a
# page shows (a topic, a page of topics or resources, the degrees and their requirements) are
# read once per catalog version, and the header's badge once per version of the learner's
# awards. Search reads its page of results and their number in one query (a window count). A
# degree page shows where the learner stands on each requirement: the list from their credit
# (one query), a degree's page from their rows (its cards' one query) and the evidence it
# already read for its milestones. The dashboard reads which curricula the learner follows (one
# query, however many).
RENDERED_PAGE_QUERIES = {
    "/": 4,
    "/topics/calculus/": 4,
    "/degrees/": 4,
    "/degrees/developer/": 5,
    "/search/?q=course": 6,
    "/progress/": 16,
}


# The first request for each page after a catalog change, its catalog rows read afresh (at the
# large size, on the SQLite default). The first of them, `/`, also reads where each resource is
# (`resource_placements`, once per catalog version and process), which the pages after it count
# the learner's statuses by. The dashboard also draws streaks, the calendar and the study plan.
# The degree list, first here to show a learner's standing, reads the degree rules (three
# queries, once per catalog version and process); a degree's page then reads the resources its
# requirements count (one query, as often).
FIRST_AFTER_A_CATALOG_CHANGE_QUERIES = {
    "/": 10,
    "/topics/calculus/": 9,
    "/degrees/": 9,
    "/degrees/developer/": 6,
    "/search/?q=course": 7,
    "/progress/": 15,
}


def test_query_counts_stay_flat_as_catalog_and_history_grow(
    seed_catalog, learner_client, learner, django_assert_max_num_queries
):
    small = query_counts(learner_client)
    grow(1000)
    complete_many(learner, 500)
    add_milestones_with_evidence(learner, 50)
    large = query_counts(learner_client)
    for url, limit in RENDERED_PAGE_QUERIES.items():
        assert small[url] <= limit, (url, small[url])
    # Never more; the dashboard's study plan skips its query when nothing is left to plan.
    assert {url: min(count, small[url]) for url, count in large.items()} == large
    Topic.objects.filter(slug="calculus").update(summary="Edited")
    bump_catalog_version()  # the cache goes stale
    for url, limit in FIRST_AFTER_A_CATALOG_CHANGE_QUERIES.items():
        with django_assert_max_num_queries(limit, info=url):
            assert learner_client.get(url).status_code == 200


def add_curricula(count, learner):
    """`count` more curricula, each with 5 topics, 20 resources of its own and the seed's
    listed too (the same works, shared), a degree, and the learner's progress on all of it."""
    seed_resources = list(Resource.objects.order_by("pk"))
    for number in range(count):
        curriculum = Curriculum.objects.create(
            slug=f"curriculum-{number}", title=f"Curriculum {number}", is_published=True
        )
        topics = Topic.objects.bulk_create(
            Topic(curriculum=curriculum, slug=f"topic-{i}", title=f"Topic {i}", position=i)
            for i in range(5)
        )
        own = Resource.objects.bulk_create(
            Resource(
                slug=f"c{number}-{i}",
                title=f"Course {number}.{i}",
                url=f"https://c{number}.org/{i}",
            )
            for i in range(20)
        )
        Listing.objects.bulk_create(
            Listing(resource=resource, topic=topics[i % len(topics)], position=i)
            for i, resource in enumerate(own + seed_resources)
        )
        degree = Degree.objects.create(curriculum=curriculum, slug="practitioner", rank=1)
        Requirement.objects.create(degree=degree, slug="topic", topic=topics[0])
    complete_many(learner, Resource.objects.count())
    bump_catalog_version()  # bulk writes send no signals


def test_query_counts_stay_flat_as_curricula_are_added(seed_catalog, learner_client, learner):
    """The pages show the default curriculum: other curricula, listing the same works, and the
    learner's progress in them cost no query more."""
    before = query_counts(learner_client)
    add_curricula(3, learner)
    after = query_counts(learner_client)
    # Never more; the dashboard's study plan skips its query when nothing is left to plan.
    assert {url: min(count, before[url]) for url, count in after.items()} == after
    assert after["/topics/calculus/"] == before["/topics/calculus/"]


# One HTMX status change, once its process has read the resource and the degree rules (once
# per catalog version): 12 queries on the SQLite default before, 10 now, and 8 on PostgreSQL
# with Redis (production). PostgreSQL with the database cache also locks the learner in a query
# of its own (`lock_learner`; SQLite's transaction takes its lock at BEGIN).
STATUS_CHANGE_QUERIES = 10
EVIDENCE_SUBMISSION_QUERIES = 10


def with_the_learners_lock(queries):
    locks_in_a_query = connection.vendor == "postgresql"
    database_cache = not hasattr(caches["default"], "set_and_announce")
    return queries + (locks_in_a_query and database_cache)


def status_change_queries():
    return with_the_learners_lock(STATUS_CHANGE_QUERIES)


@pytest.fixture
def no_culling(monkeypatch):
    """The database cache culls its table on one `set` in a hundred, at random (Django's own
    `set`, four queries more): counts here are of every other request."""
    monkeypatch.setattr(UpsertDatabaseCache, "CULL_CHECK_EVERY", 10**12)


def post_status(client, url, status, capture_on_commit):
    """An HTMX status change, with what runs when its transaction commits (the test's own
    transaction never does)."""
    with capture_on_commit(execute=True):
        response = client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response


def test_marking_runs_a_fixed_number_of_queries(
    seed_catalog,
    learner_client,
    learner,
    no_culling,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """The first completion after a catalog change, whatever the catalog's and the learner's
    size (7 queries on the SQLite default, 6 on PostgreSQL with Redis)."""
    grow(1000)
    complete_many(learner, 500)
    url = "/progress/resources/keras/status/"
    with django_assert_max_num_queries(7):
        post_status(learner_client, url, "completed", django_capture_on_commit_callbacks)


def untouched_resource_url(learner, action="status"):
    """A published resource the learner has no row for (after `complete_many`)."""
    resource = Resource.objects.published().exclude(learner_progress__learner=learner).last()
    return f"/progress/resources/{resource.slug}/{action}/"


def test_one_htmx_status_change_runs_at_most_ten_queries(
    seed_catalog,
    learner_client,
    learner,
    no_culling,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """A status change renders the row it wrote (21 queries at first); a completion counts its
    topic's bar from the credit the award check read, and the learner's version is written once,
    in the transaction, when the shared cache is the database."""
    grow(1000)
    complete_many(learner, 500)
    url = untouched_resource_url(learner)
    assert learner_client.get("/progress/").status_code == 200  # reads the degree rules
    learner_version = versions.current(versions.learner_key(learner.pk))
    for status, shown in [
        ("in_progress", "In progress"),
        ("completed", "Completed"),
        ("in_progress", "In progress"),  # no longer completed: the bar is counted again
        ("known", "Already known"),  # counts again: the credit read for awards counts the bar
    ]:
        with django_assert_max_num_queries(status_change_queries()):
            response = post_status(learner_client, url, status, django_capture_on_commit_callbacks)
        (card,) = elements(response, "li", class_=f"resource--{status}")
        assert shown in text(card)
        new_version = versions.current(versions.learner_key(learner.pk))
        assert new_version != learner_version  # the learner's cached pages are stale
        learner_version = new_version
    assert list(
        Activity.objects.filter(learner=learner, resource__slug=url.split("/")[3])
        .order_by("pk")
        .values_list("status", flat=True)
    ) == ["in_progress", "completed", "in_progress", "known"]


def test_one_htmx_evidence_submission_runs_a_fixed_number_of_queries(
    seed_catalog,
    learner_client,
    learner,
    no_culling,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """19 queries before evidence submissions passed their row on, 14 then, 11 on the SQLite
    default once its process has read the degree rules (once per catalog version), the
    learner's version written once, at commit; 10 since the header badge (the learner's awards)
    comes only with a submission that earned a degree."""
    grow(1000)
    complete_many(learner, 500)
    add_milestones_with_evidence(learner, 50)
    assert learner_client.get("/progress/").status_code == 200  # reads the degree rules
    with (
        django_assert_max_num_queries(with_the_learners_lock(EVIDENCE_SUBMISSION_QUERIES)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = learner_client.post(
            "/progress/milestones/mlp-from-scratch/evidence/",
            {"url": "https://example.org/mlp", "description": "My perceptron."},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert elements(response, "a", href="https://example.org/mlp")


def test_the_dashboard_costs_the_same_following_1_or_5_curricula(
    seed_catalog, learner_client, learner
):
    add_curricula(5, learner)
    curricula = list(Curriculum.objects.filter(slug__startswith="curriculum-"))
    Following.objects.create(learner=learner, curriculum=curricula[0])
    one = query_counts(learner_client)["/progress/"]

    Following.objects.bulk_create(Following(learner=learner, curriculum=c) for c in curricula[1:])
    bump_learner(learner.pk)  # a bulk write sends no signals
    page = learner_client.get("/progress/")
    assert len(elements(page, "section", class_="curriculum-section")) == 5
    assert query_counts(learner_client)["/progress/"] == one


def test_pages_cost_the_same_with_one_award_and_with_three(seed_catalog, learner_client, learner):
    """The header's badge and the dashboard read the learner's awards with their degrees, in one
    query however many they hold."""
    degrees = list(Degree.objects.filter(curriculum__slug="ml-math").order_by("rank"))
    DegreeAward.objects.create(learner=learner, degree=degrees[0], awarded_at=timezone.now())
    one = query_counts(learner_client)
    for degree in degrees[1:]:
        DegreeAward.objects.create(learner=learner, degree=degree, awarded_at=timezone.now())
    page = learner_client.get("/progress/")
    assert len(elements(page, "div", class_="badge-card")) == 3
    three = query_counts(learner_client)
    # Never more; the dashboard's study plan skips its query when nothing is left to plan.
    assert {url: min(count, one[url]) for url, count in three.items()} == three


def add_listed_resources(topic, count, start):
    resources = Resource.objects.bulk_create(
        Resource(slug=f"listed-{i}", title=f"Listed course {i}", url=f"https://example.org/l/{i}")
        for i in range(start, start + count)
    )
    Listing.objects.bulk_create(
        Listing(resource=resource, topic=topic, position=start + i)
        for i, resource in enumerate(resources)
    )
    bump_catalog_version()  # bulk writes send no signals


def first_view_queries(client, url):
    """Queries of the page's first view after a catalog change (its catalog rows read afresh)."""
    bump_catalog_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_a_degree_page_reads_its_cards_in_a_fixed_number_of_queries(seed_catalog, learner_client):
    """A requirement not met shows a card per resource it counts: read with their listings."""
    curriculum = Curriculum.objects.get(slug="ml-math")
    topic = Topic.objects.create(curriculum=curriculum, slug="many", title="Many", position=99)
    degree = Degree.objects.create(curriculum=curriculum, slug="many", title="Many", rank=9)
    Requirement.objects.create(degree=degree, slug="many", topic=topic)
    add_listed_resources(topic, 3, start=0)
    learner_client.get("/degrees/many/")  # the degree rules, read once per catalog version
    few, page = first_view_queries(learner_client, "/degrees/many/")
    assert len(result_titles(page)) == 3
    add_listed_resources(topic, 30, start=3)
    learner_client.get("/degrees/many/")
    many, page = first_view_queries(learner_client, "/degrees/many/")
    assert len(result_titles(page)) == 33
    assert many == few


def add_activity(learner, resources):
    Activity.objects.bulk_create(
        Activity(
            learner=learner,
            resource=resource,
            status=Status.IN_PROGRESS,
            created_at=timezone.now(),
        )
        for resource in resources
    )
    bump_learner(learner.pk)  # a bulk write sends no signals


def test_the_dashboard_costs_the_same_with_one_recent_activity_and_with_eight(
    seed_catalog, learner_client, learner
):
    """Recent activity names each resource: read with the rows."""
    resources = list(Resource.objects.order_by("pk")[:10])
    add_activity(learner, resources[:1])
    one = query_counts(learner_client, ["/progress/"])
    add_activity(learner, resources[1:])
    page = learner_client.get("/progress/")
    (recent,) = [
        section
        for section in elements(page, "section", class_="panel")
        if text(section).startswith("Recent activity")
    ]
    assert len(elements(recent, "li")) == 8
    assert query_counts(learner_client, ["/progress/"]) == one


# A completion that earns a degree, on the SQLite default: 17 queries before awards were recorded
# with their status list index, 21 since: the list it goes to (one query) and its INSERT, in a
# savepoint of its own so that an index another award took meanwhile is drawn again (SAVEPOINT,
# INSERT, RELEASE: three statements, one row). The first index of a list also replaces the status
# lists' version (one more, once per list).
AWARD_EARNING_MARK_QUERIES = 21


def test_a_mark_that_earns_a_degree_runs_a_fixed_number_of_queries(
    seed_catalog,
    learner_client,
    learner,
    no_culling,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    from badges.models import StatusListEntry
    from tests.factories import complete, earn_seed_practitioner, give_evidence, make_learner

    earn_seed_practitioner(make_learner("grace"))  # list 1 has its first index already
    grow(1000)
    complete_many(learner, 500)
    ResourceProgress.objects.filter(learner=learner, resource__slug="xgboost").delete()
    give_evidence(learner, Milestone.objects.get(slug="kaggle-keras-xgboost"))
    complete(learner, Resource.objects.get(slug="keras"))
    assert learner_client.get("/progress/").status_code == 200  # reads the degree rules
    with django_assert_max_num_queries(with_the_learners_lock(AWARD_EARNING_MARK_QUERIES)):
        post_status(
            learner_client,
            "/progress/resources/xgboost/status/",
            "completed",
            django_capture_on_commit_callbacks,
        )
    assert StatusListEntry.objects.filter(award__learner=learner).count() == 1
