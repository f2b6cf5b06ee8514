"""The migration that makes awards remember their first sharing, tested from the schema before
it with real rows: which older awards count as once shared (their revocation is published)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.migrations import migrate, migrate_to_latest

CATALOG = ("catalog", "0006_search_index")
BEFORE = [CATALOG, ("progress", "0005_learner_facing_help_texts")]
AFTER = [CATALOG, ("progress", "0006_award_first_shared_at")]
EARNED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
REVOKED = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_older_awards_shared_or_revoked_count_as_shared_since_earned():
    old_apps = migrate(BEFORE)
    User = old_apps.get_model("auth", "User")
    Degree = old_apps.get_model("catalog", "Degree")
    DegreeAward = old_apps.get_model("progress", "DegreeAward")
    degree = Degree.objects.create(slug="practitioner", title="Practitioner", rank=1)

    def award(name, **fields):
        learner = User.objects.create(username=name, email=f"{name}@example.com")
        return DegreeAward.objects.create(
            learner=learner, degree=degree, awarded_at=EARNED, **fields
        ).public_id

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
