"""The migration that adds sharing and revocation gives existing rows their own random ids."""

import datetime

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("catalog", "0004_requirement_help_text"), ("progress", "0002_evidence")]
AFTER = [("catalog", "0005_degree_public_id"), ("progress", "0003_award_sharing_and_revocation")]


@pytest.mark.django_db(transaction=True)
def test_existing_awards_get_distinct_salts_and_degrees_their_seed_ids():
    old_apps = migrate(BEFORE)
    User = old_apps.get_model("auth", "User")
    Degree = old_apps.get_model("catalog", "Degree")
    DegreeAward = old_apps.get_model("progress", "DegreeAward")
    practitioner = Degree.objects.create(slug="practitioner", title="Practitioner", rank=1)
    Degree.objects.create(slug="curator-made", title="Curator made", rank=2)
    when = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for name in ("ada", "bob", "cy"):
        learner = User.objects.create(username=name, email=f"{name}@example.com")
        DegreeAward.objects.create(learner=learner, degree=practitioner, awarded_at=when)
    try:
        new_apps = migrate(AFTER)
        awards = new_apps.get_model("progress", "DegreeAward").objects.all()
        salts = [award.recipient_salt for award in awards]
        assert len(salts) == 3
        assert len(set(salts)) == 3
        assert all(len(salt) == 32 for salt in salts)
        assert not awards.filter(is_shared=True).exists()
        assert not awards.filter(revoked_at__isnull=False).exists()
        ids = dict(new_apps.get_model("catalog", "Degree").objects.values_list("slug", "public_id"))
        # The seed fixture carries the same id, so re-loading it changes nothing.
        assert str(ids["practitioner"]) == "dfc2ae7a-0a06-57b6-906a-e862cd90048b"
        assert ids["curator-made"] not in (None, ids["practitioner"])
    finally:
        migrate_to_latest()
