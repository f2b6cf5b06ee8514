"""Open Badges 2.0 hosted verification: issuer, BadgeClass, Assertion, revocation, baked images."""

import hashlib
import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from badges.baking import unbake_png, unbake_svg
from catalog.models import Degree
from progress.models import Evidence
from tests.factories import earn_seed_practitioner, review_all_evidence

CONTEXT = "https://w3id.org/openbadges/v2"
ORIGIN = "http://testserver"


def absolute(path):
    return ORIGIN + path


def get_json(client, url, **headers):
    response = client.get(url, **headers)
    return response, json.loads(response.content)


def assertion_path(award):
    return reverse("badges:assertion", args=[award.public_id])


def test_the_issuer_profile_names_the_site(client, settings, db):
    settings.BADGES_ISSUER_NAME = "mlmath (test)"
    settings.BADGES_ISSUER_EMAIL = "badges@mlmath.example.org"
    response, issuer = get_json(client, reverse("badges:issuer"))
    assert response["Content-Type"] == "application/ld+json"
    assert issuer == {
        "@context": CONTEXT,
        "id": absolute("/badges/issuer.json"),
        "type": "Issuer",
        "name": "mlmath (test)",
        "url": absolute("/"),
        "email": "badges@mlmath.example.org",
    }


def test_the_issuer_fields_default_sensibly(client, settings, db):
    settings.BADGES_ISSUER_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "mlmath <no-reply@mlmath.example.org>"
    _, issuer = get_json(client, reverse("badges:issuer"))
    assert (issuer["name"], issuer["email"]) == ("mlmath", "no-reply@mlmath.example.org")


def test_a_badge_class_per_degree_with_a_criteria_narrative(client, seed_catalog):
    degree = Degree.objects.get(slug="developer")
    path = reverse("badges:badge_class", args=[degree.public_id])
    response, badge_class = get_json(client, path)
    assert response.status_code == 200
    assert badge_class["@context"] == CONTEXT
    assert badge_class["id"] == absolute(path)
    assert badge_class["type"] == "BadgeClass"
    assert badge_class["name"] == "Developer"
    assert badge_class["description"] == degree.summary
    assert badge_class["issuer"] == absolute("/badges/issuer.json")
    assert badge_class["image"] == absolute(f"/badges/degrees/{degree.public_id}.png")
    assert badge_class["criteria"]["id"] == absolute("/degrees/developer/")
    narrative = badge_class["criteria"]["narrative"]
    assert narrative.startswith("To earn the Developer degree, a learner must:")
    # Degrees are cumulative: the Practitioner's requirements are part of the Developer's.
    assert "- Complete Keras" in narrative
    assert "- Show evidence: Write a multilayer perceptron from scratch" in narrative
    image = client.get(badge_class["image"])
    assert image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (512, 512)


def test_badge_class_ids_survive_a_slug_change(client, seed_catalog):
    degree = Degree.objects.get(slug="developer")
    path = reverse("badges:badge_class", args=[degree.public_id])
    Degree.objects.filter(pk=degree.pk).update(slug="software-developer")
    assert client.get(path).status_code == 200


def test_an_unknown_degree_is_a_404(client, db):
    path = reverse("badges:badge_class", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(path).status_code == 404


def test_the_assertion_of_a_shared_award(client, ada_shared_award):
    path = assertion_path(ada_shared_award)
    response, assertion = get_json(client, path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    salt = ada_shared_award.recipient_salt
    expected_hash = hashlib.sha256(("ada@example.com" + salt).encode()).hexdigest()
    degree_id = ada_shared_award.degree.public_id
    assert assertion == {
        "@context": CONTEXT,
        "id": absolute(path),
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": f"sha256${expected_hash}",
        },
        "badge": absolute(f"/badges/degrees/{degree_id}.json"),
        "image": absolute(f"/badges/{ada_shared_award.public_id}/badge.png"),
        "verification": {"type": "hosted"},
        "issuedOn": ada_shared_award.awarded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "evidence": [
            {
                "id": "https://example.org/ada/kaggle-keras-xgboost",
                "name": "Use Keras and XGBoost in a Kaggle competition",
                "narrative": "Self-attested. My work for kaggle-keras-xgboost.",
            }
        ],
        "narrative": "Behind this badge: 2 resources completed on mlmath (none marked already "
        "known).",
    }


def test_the_identity_hashes_the_trimmed_lower_cased_email(client, ada_shared_award, learner):
    learner.email = "  Ada@Example.COM "
    learner.save()
    _, assertion = get_json(client, assertion_path(ada_shared_award))
    salt = ada_shared_award.recipient_salt
    expected = hashlib.sha256(("ada@example.com" + salt).encode()).hexdigest()
    assert assertion["recipient"]["identity"] == f"sha256${expected}"


def test_rejected_evidence_is_left_out_of_the_assertion(client, ada_shared_award):
    review_all_evidence(Evidence.State.REJECTED, note="No.")
    _, assertion = get_json(client, assertion_path(ada_shared_award))
    assert "evidence" not in assertion


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/json"),
        ("application/ld+json, application/json", "application/ld+json"),
        ("*/*", "application/ld+json"),
        ("text/html", "application/ld+json"),
    ],
)
def test_json_ld_unless_the_client_accepts_only_json(
    client, ada_shared_award, accept, content_type
):
    response = client.get(assertion_path(ada_shared_award), HTTP_ACCEPT=accept)
    assert response["Content-Type"] == content_type
    assert "Accept" in response["Vary"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_ids_use_site_url_when_set(client, ada_shared_award, settings):
    settings.SITE_URL = "https://mlmath.example.org"
    _, assertion = get_json(client, assertion_path(ada_shared_award))
    assert assertion["id"] == f"https://mlmath.example.org{assertion_path(ada_shared_award)}"
    assert assertion["badge"].startswith("https://mlmath.example.org/badges/degrees/")


def test_a_revoked_assertion_answers_410_gone_with_the_public_reason_only(client, ada_shared_award):
    ada_shared_award.revoke(reason="Evidence was plagiarised.")
    path = assertion_path(ada_shared_award)
    response, document = get_json(client, path)
    assert response.status_code == 410
    assert document == {
        "@context": CONTEXT,
        "id": absolute(path),
        "type": "Assertion",
        "revoked": True,
        "revocationReason": "Revoked by the issuer.",  # the curator's reason stays in the admin
    }


def test_a_private_or_unknown_assertion_is_a_404(client, ada_award):
    assert client.get(assertion_path(ada_award)).status_code == 404
    ada_award.revoke(reason="Revoked while private.")
    assert client.get(assertion_path(ada_award)).status_code == 404


def test_baked_images_carry_the_assertion_url(client, ada_shared_award):
    assertion_url = absolute(assertion_path(ada_shared_award))
    png = client.get(reverse("badges:baked_png", args=[ada_shared_award.public_id]))
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == 'attachment; filename="mlmath-practitioner-badge.png"'
    assert Image.open(io.BytesIO(png.content)).text["openbadges"] == assertion_url
    assert unbake_png(png.content) == assertion_url
    svg = client.get(reverse("badges:baked_svg", args=[ada_shared_award.public_id]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert unbake_svg(svg.content.decode()) == assertion_url
    # Follow the baked URL as a verifier would.
    _, assertion = get_json(client, unbake_png(png.content))
    assert assertion["id"] == assertion_url


def test_documents_answer_get_only(client, ada_shared_award):
    assert client.post(assertion_path(ada_shared_award)).status_code == 405


@pytest.mark.parametrize("learners", [1, 4])
def test_documents_cost_a_fixed_number_of_queries(
    client, seed_catalog, make_learner, django_assert_max_num_queries, learners
):
    awards = [
        earn_seed_practitioner(make_learner(f"l{n}")).set_shared(True) for n in range(learners)
    ]
    ada_award = awards[-1]
    degree = ada_award.degree
    # The award, its evidence, the learner's resources that count (the narrative).
    with django_assert_max_num_queries(4):
        client.get(assertion_path(ada_award))
    with django_assert_max_num_queries(2):
        client.get(reverse("badges:badge_class", args=[degree.public_id]))
    with django_assert_max_num_queries(1):
        client.get(reverse("badges:baked_png", args=[ada_award.public_id]))
    with django_assert_max_num_queries(0):
        client.get(reverse("badges:issuer"))
