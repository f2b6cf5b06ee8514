"""Awards: revocation with a reason, what counts as valid, and earning a degree again."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from progress.models import DegreeAward
from tests.factories import complete, earn_seed_practitioner
from tests.html import by_id, main_text, text

pytestmark = pytest.mark.usefixtures("study_catalog")


def test_revoking_records_when_and_why_and_the_award_stops_being_valid(learner):
    award = earn_seed_practitioner(learner)
    assert award.is_valid
    assert award.revoke(reason="Evidence copied from someone else.")
    award.refresh_from_db()
    assert award.is_revoked
    assert award.revoked_at is not None
    assert award.revocation_reason == "Evidence copied from someone else."
    assert not DegreeAward.objects.valid().exists()
    assert list(DegreeAward.objects.revoked()) == [award]


def test_revoking_needs_a_reason(learner):
    award = earn_seed_practitioner(learner)
    with pytest.raises(ValueError, match="needs a reason"):
        award.revoke(reason="   ")
    with pytest.raises(ValueError, match="needs a reason"):
        DegreeAward.objects.all().revoke(reason="")
    award.refresh_from_db()
    assert award.is_valid


def test_revoking_twice_keeps_the_first_date_and_reason(learner):
    award = earn_seed_practitioner(learner)
    award.revoke(reason="First reason.")
    first = DegreeAward.objects.get(pk=award.pk).revoked_at
    assert not award.revoke(reason="Second reason.")
    assert DegreeAward.objects.filter(learner=learner).revoke(reason="Third reason.") == 0
    award.refresh_from_db()
    assert (award.revoked_at, award.revocation_reason) == (first, "First reason.")


def test_queryset_revoke_revokes_every_valid_award_and_counts_them(make_learner):
    ada, bob = make_learner("ada"), make_learner("bob")
    earn_seed_practitioner(ada)
    earn_seed_practitioner(bob)
    assert DegreeAward.objects.filter(learner=ada).revoke(reason="Account closed.") == 1
    assert DegreeAward.objects.get(learner=ada).revocation_reason == "Account closed."
    assert DegreeAward.objects.get(learner=bob).is_valid


def test_a_revoked_badge_disappears_from_the_header_and_the_dashboard(learner_client, learner):
    award = earn_seed_practitioner(learner)
    assert text(by_id(learner_client.get("/progress/"), "header-badge")) == (
        "★ Practitioner degree earned"
    )
    award.revoke(reason="Evidence copied.")
    learner.evidence.all().delete()
    page = learner_client.get("/progress/")
    assert text(by_id(page, "header-badge")) == "No degree yet"
    assert "★ Practitioner" not in main_text(page)


def test_earning_the_degree_again_after_revocation_creates_a_new_award(learner, resources):
    award = earn_seed_practitioner(learner)
    award.revoke(reason="Evidence rejected.")
    complete(learner, resources.keras, status="not_started")
    complete(learner, resources.keras)  # meets the degree again

    awards = DegreeAward.objects.filter(learner=learner)
    assert awards.count() == 2
    new = awards.get(revoked_at__isnull=True)
    revoked = awards.get(revoked_at__isnull=False)
    assert revoked.pk == award.pk
    assert revoked.revocation_reason == "Evidence rejected."
    assert new.public_id != award.public_id
    assert new.recipient_salt != award.recipient_salt
    assert new.awarded_at > award.awarded_at


def test_each_award_has_its_own_random_salt(make_learner):
    salts = {earn_seed_practitioner(make_learner(name)).recipient_salt for name in ("ada", "bob")}
    assert len(salts) == 2
    assert all(len(salt) == 32 for salt in salts)


def test_the_database_allows_one_valid_award_per_learner_and_degree(learner):
    award = earn_seed_practitioner(learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        DegreeAward.objects.create(learner=learner, degree=award.degree, awarded_at=timezone.now())
    award.revoke(reason="Revoked.")
    DegreeAward.objects.create(learner=learner, degree=award.degree, awarded_at=timezone.now())
    assert DegreeAward.objects.filter(learner=learner).count() == 2


def test_the_database_refuses_a_revocation_without_a_reason(learner):
    award = earn_seed_practitioner(learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        DegreeAward.objects.filter(pk=award.pk).update(revoked_at=timezone.now())


def test_a_revoked_award_survives_the_deletion_of_its_learner(learner):
    award = earn_seed_practitioner(learner)
    award.revoke(reason="Account deleted.")
    get_user_model().objects.filter(pk=learner.pk).delete()
    award.refresh_from_db()
    assert award.learner is None
    assert award.is_revoked
    assert str(award) == "(deleted account) · Practitioner"
