"""The migration that renames "skipped" to "known", tested from the schema before it with real
rows: the rows and their activity keep everything but the name, and now count."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from progress.degrees import degree_credit
from progress.models import ResourceProgress
from tests.migrations import migrate, migrate_to_latest

CATALOG = ("catalog", "0006_search_index")
BEFORE = [CATALOG, ("progress", "0007_revoke_awards_of_deleted_accounts")]
AFTER = [CATALOG, ("progress", "0008_known_status")]
STARTED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
DONE = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)


def learners_rows(apps):
    """In the schema of `apps`: a learner with one row of each status, each with its activity."""
    User = apps.get_model("auth", "User")
    ResourceProgress = apps.get_model("progress", "ResourceProgress")
    Activity = apps.get_model("progress", "Activity")
    topic = apps.get_model("catalog", "Topic").objects.create(slug="calculus", title="Calculus")
    ada = User.objects.create(username="ada", email="ada@example.com")
    statuses = {
        "khan": ("skipped", None, None),
        "mit": ("completed", STARTED, DONE),
        "edx": ("in_progress", STARTED, None),
        "book": ("not_started", None, None),
    }
    for slug, (status, started_at, completed_at) in statuses.items():
        resource = apps.get_model("catalog", "Resource").objects.create(
            topic=topic, slug=slug, title=slug.title(), url=f"https://example.org/{slug}"
        )
        ResourceProgress.objects.create(
            learner=ada,
            resource=resource,
            status=status,
            note=f"My note on {slug}.",
            started_at=started_at,
            completed_at=completed_at,
        )
        if status != "not_started":
            Activity.objects.create(learner=ada, resource=resource, status=status, created_at=DONE)


def rows(apps):
    return {
        row["resource__slug"]: row
        for row in apps.get_model("progress", "ResourceProgress").objects.values(
            "resource__slug", "status", "note", "started_at", "completed_at"
        )
    }


def activity(apps):
    return dict(
        apps.get_model("progress", "Activity").objects.values_list("resource__slug", "status")
    )


@pytest.mark.django_db(transaction=True)
def test_skipped_rows_and_activity_become_known_and_nothing_else_changes():
    old_apps = migrate(BEFORE)
    learners_rows(old_apps)
    before = rows(old_apps)
    try:
        new_apps = migrate(AFTER)
        after = rows(new_apps)
        assert after["khan"] == {**before["khan"], "status": "known"}
        assert {slug: after[slug] for slug in ("mit", "edx", "book")} == {
            slug: before[slug] for slug in ("mit", "edx", "book")
        }
        assert activity(new_apps) == {"khan": "known", "mit": "completed", "edx": "in_progress"}
        # The database refuses the former name from now on.
        ResourceProgress = new_apps.get_model("progress", "ResourceProgress")
        with pytest.raises(IntegrityError), transaction.atomic():
            ResourceProgress.objects.filter(resource__slug="khan").update(status="skipped")

        # Migrating back names them "skipped" again.
        old_apps = migrate(BEFORE)
        assert rows(old_apps) == before
        assert activity(old_apps)["khan"] == "skipped"
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_a_migrated_row_counts_toward_degrees():
    """What the learner skipped as already known counts once migrated (issue 23)."""
    learners_rows(migrate(BEFORE))
    try:
        migrate_to_latest()
        credit = degree_credit(User.objects.get(username="ada"))
        known = ResourceProgress.objects.get(resource__slug="khan").resource_id
        completed = ResourceProgress.objects.get(resource__slug="mit").resource_id
        assert credit.done_resource_ids == {known, completed}
        assert credit.known_resource_ids == {known}
    finally:
        migrate_to_latest()
