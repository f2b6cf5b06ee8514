"""The migrations that give awards their status list index, tested from the schema before them
with real rows: 0002 gives one to the awards ever shared, 0003 to every other award, at random;
what the list then publishes; and that reading an old award's credential then writes nothing."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("catalog", "0012_curators_keep_the_default_curriculum"), ("progress", "0010_following")]
EARNED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
REVOKED = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)


def before_status_lists():
    """The schema before status lists (no badges table), with its apps."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("badges", None)])
    return migrate(BEFORE)


def awards_in(apps):
    """`award(name, **fields)` in the schema of `apps`: a new learner of that name earns the
    Practitioner degree of the default curriculum; returns the award's id."""
    User = apps.get_model("auth", "User")
    DegreeAward = apps.get_model("progress", "DegreeAward")
    curriculum, _ = apps.get_model("catalog", "Curriculum").objects.get_or_create(
        slug="ml-math", defaults={"title": "ML math", "is_published": True}
    )
    degree = apps.get_model("catalog", "Degree").objects.create(
        curriculum=curriculum, slug="practitioner", title="Practitioner", rank=1
    )

    def award(name, **fields):
        learner = User.objects.create(username=name, email=f"{name}@example.com")
        return DegreeAward.objects.create(
            learner=learner, degree=degree, awarded_at=EARNED, **fields
        ).pk

    return award


@pytest.mark.django_db(transaction=True)
def test_awards_ever_shared_get_a_random_index_and_revoked_ones_their_bit():
    award = awards_in(before_status_lists())
    shared = [award(f"learner{n}", is_shared=True, first_shared_at=EARNED) for n in range(30)]
    private = award("bob")
    made_private = award("cy", first_shared_at=EARNED)
    revoked_shared = award(
        "di", first_shared_at=EARNED, revoked_at=REVOKED, revocation_reason="Copied."
    )
    revoked_never_shared = award("ed", revoked_at=REVOKED, revocation_reason="Copied.")
    try:
        new_apps = migrate([("badges", "0002_status_list_indexes_for_shared_awards")])
        entries = new_apps.get_model("badges", "StatusListEntry").objects
        indexes = dict(entries.values_list("award_id", "index"))

        assert set(indexes) == {*shared, made_private, revoked_shared}
        assert private not in indexes
        assert revoked_never_shared not in indexes
        assert len(set(indexes.values())) == len(indexes)  # one award per bit
        assert all(0 <= index < 131_072 for index in indexes.values())
        in_order_of_awards = [indexes[pk] for pk in sorted(indexes)]
        assert in_order_of_awards != sorted(in_order_of_awards)  # drawn at random
        assert set(entries.values_list("status_list", flat=True)) == {1}
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_every_other_award_gets_its_index_and_keeps_the_one_it_had():
    award = awards_in(before_status_lists())
    shared = [award(f"learner{n}", is_shared=True, first_shared_at=EARNED) for n in range(10)]
    private = [award(f"private{n}") for n in range(20)]
    revoked_never_shared = award("ed", revoked_at=REVOKED, revocation_reason="Copied.")
    try:
        shared_apps = migrate([("badges", "0002_status_list_indexes_for_shared_awards")])
        entries = shared_apps.get_model("badges", "StatusListEntry").objects
        before = dict(entries.values_list("award_id", "index"))
        assert set(before) == set(shared)

        new_apps = migrate([("badges", "0004_status_list_indexes_for_every_award")])
        entries = new_apps.get_model("badges", "StatusListEntry").objects
        indexes = dict(entries.values_list("award_id", "index"))

        assert set(indexes) == {*shared, *private, revoked_never_shared}
        assert {pk: indexes[pk] for pk in shared} == before  # kept
        assert len(set(indexes.values())) == len(indexes)  # one award per bit
        assert all(0 <= index < 131_072 for index in indexes.values())
        in_order_of_awards = [indexes[pk] for pk in private]
        assert in_order_of_awards != sorted(in_order_of_awards)  # drawn at random
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_after_the_migrations_an_old_awards_credential_is_read_without_a_write(client):
    from progress.models import DegreeAward
    from tests.badges.test_ob3_data_integrity import fetch_data_integrity
    from tests.badges.test_status_list import index_of
    from tests.badges.writes import no_writes

    award = awards_in(before_status_lists())
    never_shared = award("ada")
    try:
        migrate_to_latest()
        call_command("createcachetable", verbosity=0)
        old = DegreeAward.objects.get(pk=never_shared)
        old.set_shared(True)  # shared for the first time after the migrations
        with no_writes():
            credential = fetch_data_integrity(client, old)
        assert index_of(credential) == old.status_list_entry.index
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_after_the_migration_the_list_sets_the_bits_of_revoked_shared_awards(client):
    from badges.models import StatusListEntry
    from progress.models import DegreeAward
    from tests.badges.test_status_list import bits_of, fetch_list, set_bits

    award = awards_in(before_status_lists())
    valid = award("ada", is_shared=True, first_shared_at=EARNED)
    revoked = award("di", first_shared_at=EARNED, revoked_at=REVOKED, revocation_reason="Copied.")
    try:
        migrate_to_latest()
        call_command("createcachetable", verbosity=0)
        entries = dict(StatusListEntry.objects.values_list("award_id", "index"))
        assert set(entries) == {valid, revoked}  # and from 0003, any other award

        assert set_bits(bits_of(fetch_list(client))) == {entries[revoked]}
        # Its next credential names the index the migration drew.
        public_id = DegreeAward.objects.get(pk=valid).public_id
        response = client.get(reverse("badges:credential_json", args=[public_id]))
        credential = json.loads(response.content)
        assert credential["credentialStatus"]["statusListIndex"] == str(entries[valid])
    finally:
        migrate_to_latest()
