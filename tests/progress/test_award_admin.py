"""Curators revoke awards in the admin, with a required reason; the badge then stops verifying."""

import pytest
from django.urls import reverse

from progress.models import DegreeAward
from tests.factories import earn_seed_practitioner
from tests.html import elements, text

pytestmark = pytest.mark.usefixtures("study_catalog")

CHANGELIST = "/admin/progress/degreeaward/"


def revoke(client, award, **fields):
    return client.post(CHANGELIST, {"action": "revoke", "_selected_action": [award.pk], **fields})


def test_curators_see_awards_but_cannot_add_change_or_delete_them(curator_client, learner):
    award = earn_seed_practitioner(learner)
    listing = curator_client.get(CHANGELIST)
    assert listing.status_code == 200
    assert "Revoke selected awards, with a reason…" in text(listing)
    assert curator_client.get(f"{CHANGELIST}add/").status_code == 403
    change_url = f"{CHANGELIST}{award.pk}/change/"
    assert curator_client.post(change_url, {"is_shared": "on"}).status_code == 403
    assert (
        curator_client.post(f"{CHANGELIST}{award.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    award.refresh_from_db()
    assert not award.is_shared
    assert DegreeAward.objects.filter(pk=award.pk).exists()


def test_revoking_asks_for_a_reason_and_revokes_nothing_without_one(curator_client, learner):
    award = earn_seed_practitioner(learner)
    confirm = revoke(curator_client, award)
    assert confirm.status_code == 200
    assert elements(confirm, "input", type="submit", value="Revoke with this reason")
    no_reason = revoke(curator_client, award, apply="1", reason="  ")
    assert "This field is required." in text(no_reason)
    award.refresh_from_db()
    assert award.is_valid


def test_a_revoked_badge_says_so_and_its_assertion_is_gone_the_reason_stays_in_the_admin(
    client, curator_client, learner
):
    award = earn_seed_practitioner(learner).set_shared(True)
    response = revoke(curator_client, award, apply="1", reason="The notebook is not theirs.")
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.is_revoked
    assert award.revocation_reason == "The notebook is not theirs."
    assert "Revoked 1 award." in text(curator_client.get(CHANGELIST))

    change_page = curator_client.get(reverse("admin:progress_degreeaward_change", args=[award.pk]))
    assert change_page.status_code == 200
    assert "The notebook is not theirs." in text(change_page)

    page = client.get(reverse("badges:share", args=[award.public_id]))
    assert page.status_code == 200
    assert "Revoked by the issuer" in text(page)
    assert "notebook" not in text(page)
    assertion = client.get(reverse("badges:assertion", args=[award.public_id]))
    assert assertion.status_code == 410
    assert assertion.json()["revocationReason"] == "Revoked by the issuer."


def test_revoking_again_keeps_the_first_reason(curator_client, learner):
    award = earn_seed_practitioner(learner)
    revoke(curator_client, award, apply="1", reason="First.")
    revoke(curator_client, award, apply="1", reason="Second.")
    award.refresh_from_db()
    assert award.revocation_reason == "First."
    assert "1 award already revoked keeps its first reason." in text(curator_client.get(CHANGELIST))


def test_staff_without_the_permission_cannot_revoke(client, django_user_model, learner):
    award = earn_seed_practitioner(learner)
    staff = django_user_model.objects.create_user(username="staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403
    revoke(client, award, apply="1", reason="No right to.")
    award.refresh_from_db()
    assert award.is_valid


def test_the_list_filters_valid_and_revoked_awards(curator_client, make_learner):
    ada_award = earn_seed_practitioner(make_learner("ada"))
    bob_award = earn_seed_practitioner(make_learner("bob"))
    bob_award.revoke(reason="Revoked.")
    revoked = curator_client.get(f"{CHANGELIST}?revoked=yes").context["cl"].result_list
    valid = curator_client.get(f"{CHANGELIST}?revoked=no").context["cl"].result_list
    assert list(revoked) == [bob_award]
    assert list(valid) == [ada_award]
