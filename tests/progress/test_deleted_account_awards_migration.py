"""The migration that revokes the awards of accounts deleted before every deletion revoked
them, tested from the schema before it with real rows."""

import datetime

import pytest
import time_machine

from tests.migrations import migrate, migrate_to_latest, practitioner_awards

CATALOG = ("catalog", "0006_search_index")
BEFORE = [CATALOG, ("progress", "0006_award_first_shared_at")]
AFTER = [CATALOG, ("progress", "0007_revoke_awards_of_deleted_accounts")]
EARNED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
REVOKED = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
MIGRATED = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_awards_of_accounts_deleted_in_the_admin_are_revoked_and_no_other_changes():
    old_apps = migrate(BEFORE)
    DegreeAward = old_apps.get_model("progress", "DegreeAward")
    award = practitioner_awards(old_apps, awarded_at=EARNED)

    valid = award("ada", is_shared=True, first_shared_at=EARNED)
    revoked = award("bob", revoked_at=REVOKED, revocation_reason="Copied.")
    deleted_in_admin = award("cy", is_shared=True, first_shared_at=EARNED)
    deleted_by_learner = award(
        "di", revoked_at=REVOKED, revocation_reason="The learner deleted their account."
    )
    DegreeAward.objects.filter(public_id__in=[deleted_in_admin, deleted_by_learner]).update(
        learner=None
    )
    try:
        with time_machine.travel(MIGRATED, tick=False):
            new_apps = migrate(AFTER)
        awards = new_apps.get_model("progress", "DegreeAward").objects
        revocations = {
            public_id: (revoked_at, reason)
            for public_id, revoked_at, reason in awards.values_list(
                "public_id", "revoked_at", "revocation_reason"
            )
        }
        assert revocations == {
            valid: (None, ""),
            revoked: (REVOKED, "Copied."),
            deleted_in_admin: (MIGRATED, "The learner deleted their account."),
            # Revoked already: keeps its first date.
            deleted_by_learner: (REVOKED, "The learner deleted their account."),
        }
    finally:
        migrate_to_latest()
