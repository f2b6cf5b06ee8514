"""The migration that makes awards remember their first sharing, tested from the schema before
it with real rows: which older awards count as once shared (their revocation is published)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.migrations import migrate, migrate_to_latest, practitioner_awards

CATALOG = ("catalog", "0006_search_index")
BEFORE = [CATALOG, ("progress", "0005_learner_facing_help_texts")]
AFTER = [CATALOG, ("progress", "0006_award_first_shared_at")]
EARNED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
REVOKED = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_older_awards_shared_or_revoked_count_as_shared_since_earned():
    old_apps = migrate(BEFORE)
    DegreeAward = old_apps.get_model("progress", "DegreeAward")
    award = practitioner_awards(old_apps, awarded_at=EARNED)

    shared = award("ada", is_shared=True)
    private = award("bob")
    revoked_private = award("cy", revoked_at=REVOKED, revocation_reason="Copied.")
    revoked_shared = award("di", is_shared=True, revoked_at=REVOKED, revocation_reason="Copied.")
    deleted = award("ed", revoked_at=REVOKED, revocation_reason="Deleted their account.")
    DegreeAward.objects.filter(public_id=deleted).update(learner=None)
    try:
        new_apps = migrate(AFTER)
        awards = new_apps.get_model("progress", "DegreeAward").objects
        first_shared = dict(awards.values_list("public_id", "first_shared_at"))
        assert first_shared == {
            shared: EARNED,
            private: None,
            # The list published these before: none may leave it.
            revoked_private: EARNED,
            revoked_shared: EARNED,
            deleted: EARNED,
        }
        # From now on the database holds the rule: a shared award says since when.
        with pytest.raises(IntegrityError), transaction.atomic():
            awards.filter(public_id=private).update(is_shared=True)
    finally:
        migrate_to_latest()
