from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.services import ACCOUNT_DELETED_REASON
from catalog.models import Degree, Milestone, Resource
from progress.models import Activity, DegreeAward, Evidence, ResourceProgress
from tests.factories import PASSWORD, complete, give_evidence
from tests.html import by_id, elements, text


def sign_in(client, username="ada"):
    response = client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def give_history(learner):
    complete(learner, Resource.objects.get(slug="keras"))
    complete(learner, Resource.objects.get(slug="xgboost"), status="in_progress")
    ResourceProgress.objects.filter(learner=learner).update(note="private thoughts")
    give_evidence(learner, Milestone.objects.get(slug="kaggle-keras-xgboost"))
    Profile.objects.filter(user=learner).update(is_public=True)
    return DegreeAward.objects.create(
        learner=learner,
        degree=Degree.objects.get(slug="researcher"),
        awarded_at=timezone.now(),
        is_shared=True,
    )


def test_the_delete_page_is_linked_from_settings_and_asks_for_the_password(learner_client):
    assert elements(learner_client.get("/account/"), "a", href="/account/delete/")
    page = learner_client.get("/account/delete/")
    [password] = elements(page, "input", type="password")
    assert dict(password.attributes)["autocomplete"] == "current-password"


def test_a_wrong_password_deletes_nothing(seed_catalog, client, learner, hx):
    sign_in(client)
    give_history(learner)
    for extra in [{}, hx()]:
        response = client.post("/account/delete/", {"password": "not it"}, **extra)
        assert response.status_code == 422
        assert "That is not your password. Nothing was deleted." in text(response)
    assert get_user_model().objects.filter(pk=learner.pk).exists()
    assert ResourceProgress.objects.for_learner(learner).count() == 2
    assert client.get("/account/").status_code == 200  # still signed in


def test_deleting_leaves_nothing_of_theirs_readable(seed_catalog, client, learner, make_learner):
    other_device = sign_in(type(client)())
    sign_in(client)
    grace = make_learner("grace")
    complete(grace, Resource.objects.get(slug="keras"))
    award = give_history(learner)
    earned = list(DegreeAward.objects.filter(learner=learner).values_list("public_id", flat=True))
    user_id = learner.pk
    assert UserSession.objects.filter(user_id=user_id).count() == 2

    response = client.post("/account/delete/", {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    [message] = elements(response, "ul", class_="messages")
    assert "The account “ada” and everything in it" in text(message)
    assert "signed out everywhere" in text(message)
    assert len(earned) == 1
    assert "Your badge now shows as revoked to anyone who checks it." in text(message)
    sign_in_links = [
        link for link in elements(response, "a") if text(link) == "Sign in"
    ]  # signed out
    assert sign_in_links
    assert not get_user_model().objects.filter(pk=user_id).exists()
    for model in (ResourceProgress, Activity, Evidence, Profile, UserSession, EmailAddress):
        assert not model.objects.filter(**{model_user_field(model): user_id}).exists(), model
    assert not any(
        session.get_decoded().get("_auth_user_id") == str(user_id)
        for session in Session.objects.all()
    )
    # The other device is signed out too.
    assert other_device.get("/account/").status_code == 302
    # Awards stay only as revoked stubs without a learner.
    stubs = DegreeAward.objects.filter(public_id__in=earned)
    assert stubs.count() == len(earned)
    assert all(s.learner_id is None and s.revoked_at is not None for s in stubs)
    assert {s.revocation_reason for s in stubs} == {"The learner deleted their account."}
    assert award.public_id in {s.public_id for s in stubs}
    # Nothing public remains: the profile is gone, the shared badge says revoked.
    assert client.get("/u/ada/").status_code == 404
    share_page = client.get(f"/badges/{award.public_id}/")
    assert share_page.status_code == 200
    assert "Revoked by the issuer" in text(share_page)
    assert "deleted" not in text(share_page)  # the reason stays in the admin
    assert "ada@example.com" not in share_page.content.decode()  # nor in any attribute
    assertion = client.get(f"/badges/{award.public_id}/assertion.json")
    assert assertion.status_code == 410
    assert assertion.json()["revoked"] is True
    assert "ada@example.com" not in assertion.text
    # Another learner is untouched.
    assert ResourceProgress.objects.for_learner(grace).count() == 1


def model_user_field(model):
    return "user_id" if model in (Profile, UserSession, EmailAddress) else "learner_id"


def test_htmx_deletion_redirects_the_browser(seed_catalog, learner_client, learner, hx):
    response = learner_client.post("/account/delete/", {"password": PASSWORD}, **hx())
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/"
    assert not get_user_model().objects.filter(pk=learner.pk).exists()


def test_deleting_needs_a_post_with_csrf(learner, client):
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post("/account/delete/", {"password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(pk=learner.pk).exists()


def test_a_wrong_password_is_marked_and_described_by_the_alert_and_the_help(learner_client):
    page = learner_client.post("/account/delete/", {"password": "not it"})
    (field,) = elements(page, "input", name="password")
    attributes = dict(field.attributes)
    assert attributes["aria-invalid"] == "true"
    described_by = attributes["aria-describedby"].split()
    assert [text(by_id(page, element_id)) for element_id in described_by] == [
        "To be sure it is you.",
        "That is not your password. Nothing was deleted.",
    ]


def test_an_account_deleted_in_the_admin_revokes_its_badges_like_deleting_it_oneself(
    seed_catalog, admin_client, learner
):
    award = give_history(learner)
    credential = admin_client.get(reverse("badges:credential_jwt", args=[award.public_id]))
    assert credential.status_code == 200
    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[learner.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=learner.pk).exists()

    award.refresh_from_db()
    assert (award.learner, award.revocation_reason) == (None, ACCOUNT_DELETED_REASON)
    share_page = admin_client.get(reverse("badges:share", args=[award.public_id]))
    assert share_page.status_code == 200
    (verdict,) = elements(share_page, "p", class_="verdict")
    assert text(verdict) == "Revoked by the issuer. This badge does not count any more."
    revocations = admin_client.get(reverse("badges:revocation_list")).json()
    assert [entry["revocationReason"] for entry in revocations["revokedCredentials"]] == [
        "Revoked by the issuer."
    ]
    # A credential downloaded before the account was deleted no longer verifies.
    checked = admin_client.post(reverse("badges:verify"), {"badge": credential.text})
    assert checked.status_code == 200
    assert text(by_id(checked, "verdict-heading")) == "✗ Not valid"
