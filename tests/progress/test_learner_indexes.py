"""Each learner table finds a learner's rows through one composite index that starts with the
learner, and has no other index on the learner: every index is one more write for each mark.
Migration 0011 drops the redundant ones, tested from the schema before it with real rows."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from progress.models import Activity, Evidence, Following, ResourceProgress
from tests.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.usefixtures("study_catalog")

OTHERS = [
    ("catalog", "0014_resource_canonical_url_unique"),
    ("badges", "0004_status_list_indexes_for_every_award"),
]
BEFORE = [*OTHERS, ("progress", "0010_following")]
AFTER = [*OTHERS, ("progress", "0011_learner_rows_found_by_their_composite_indexes")]
DONE = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
LEARNER_TABLES = [ResourceProgress, Activity, Evidence, Following]


def indexes(table):
    """{name: columns} of every index and unique constraint on `table`, as the database has it."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: tuple(details["columns"])
        for name, details in found.items()
        if details["index"] or details["unique"]
    }


def learner_indexes(table):
    return sorted(columns for columns in indexes(table).values() if columns[0] == "learner_id")


@pytest.mark.django_db
@pytest.mark.parametrize("model", LEARNER_TABLES, ids=lambda model: model.__name__)
def test_each_learner_table_has_one_index_on_the_learner_and_it_is_composite(model):
    (only,) = learner_indexes(model._meta.db_table)
    assert len(only) > 1


@pytest.mark.django_db
def test_no_index_holds_a_status_so_a_status_change_writes_no_index_entry():
    for table in (ResourceProgress._meta.db_table,):
        assert not [columns for columns in indexes(table).values() if "status" in columns]


@pytest.mark.postgres
@pytest.mark.django_db
def test_marking_on_postgresql_updates_the_row_in_place(learner_client, learner):
    """A heap-only update: PostgreSQL adds no entry to any index for a status change."""
    url = reverse("progress:set_status", args=["khan-academy-calculus"])
    learner_client.post(url, {"status": "in_progress"})

    def updates():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                [ResourceProgress._meta.db_table],
            )
            return cursor.fetchone() or (0, 0)

    before = updates()
    learner_client.post(url, {"status": "completed"})
    after = updates()

    assert ResourceProgress.objects.get(learner=learner).status == "completed"
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)


def rows_in(apps):
    """In the schema of `apps`: two learners, each with progress, activity, evidence and a
    curriculum they follow; returns what each table holds."""
    User = apps.get_model("auth", "User")
    curriculum = apps.get_model("catalog", "Curriculum").objects.create(
        slug="statistics", title="Statistics", is_published=True
    )
    topic = apps.get_model("catalog", "Topic").objects.create(
        curriculum=curriculum, slug="probability", title="Probability"
    )
    resource = apps.get_model("catalog", "Resource").objects.create(
        slug="seeing-theory",
        title="Seeing Theory",
        url="https://seeing-theory.brown.edu/",
        canonical_url="https://seeing-theory.brown.edu/",
    )
    apps.get_model("catalog", "Listing").objects.create(topic=topic, resource=resource)
    milestone = apps.get_model("catalog", "Milestone").objects.create(
        curriculum=curriculum, slug="project", title="A project", description="Show it."
    )
    for name, status in (("ada", "completed"), ("bob", "in_progress")):
        learner = User.objects.create(username=name, email=f"{name}@example.com")
        apps.get_model("progress", "ResourceProgress").objects.create(
            learner=learner,
            resource=resource,
            status=status,
            note=f"{name}'s note",
            started_at=DONE,
            completed_at=DONE if status == "completed" else None,
        )
        apps.get_model("progress", "Activity").objects.create(
            learner=learner, resource=resource, status=status, created_at=DONE
        )
        apps.get_model("progress", "Evidence").objects.create(
            learner=learner,
            milestone=milestone,
            url=f"https://example.org/{name}",
            description="My project.",
            submitted_at=DONE,
        )
        apps.get_model("progress", "Following").objects.create(
            learner=learner, curriculum=curriculum, followed_at=DONE
        )
    return contents(apps)


def contents(apps):
    return {
        name: sorted(
            apps.get_model("progress", name).objects.values_list("learner__username", *fields)
        )
        for name, fields in {
            "ResourceProgress": ("resource__slug", "status", "note", "completed_at"),
            "Activity": ("resource__slug", "status", "created_at"),
            "Evidence": ("milestone__slug", "url", "submitted_at"),
            "Following": ("curriculum__slug", "followed_at"),
        }.items()
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_the_redundant_indexes_and_keeps_every_row():
    table = ResourceProgress._meta.db_table
    held = rows_in(migrate(BEFORE))
    assert ("learner_id", "status") in indexes(table).values()
    assert ("learner_id",) in learner_indexes(table)
    try:
        after = migrate(AFTER)
        assert contents(after) == held
        for model in LEARNER_TABLES:
            assert ("learner_id",) not in learner_indexes(model._meta.db_table)
        assert ("learner_id", "status") not in indexes(table).values()

        back = migrate(BEFORE)
        assert contents(back) == held
        assert ("learner_id", "status") in indexes(table).values()
        assert ("learner_id",) in learner_indexes(Activity._meta.db_table)

        assert contents(migrate(AFTER)) == held
    finally:
        migrate_to_latest()
