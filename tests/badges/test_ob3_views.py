"""Open Badges 3.0 over HTTP: the credential, the JWKS, each key, the revocation list, rotation.

Every signature check here uses PyJWT, a library independent of the one that signs, and only
the keys the site publishes, fetched through the test client.
"""

import json

import jwt as pyjwt
import pytest
from django.urls import reverse

from accounts.services import delete_account
from badges.signing import rotate_key_file
from tests.badges.credentials import fetch_credential, published_key, verified_claims
from tests.badges.schema import schema_errors

ORIGIN = "http://testserver"


def test_a_shared_award_is_a_signed_credential_that_verifies_with_the_published_keys(
    client, shared_award
):
    token = fetch_credential(client, shared_award)

    claims = verified_claims(client, token)

    assert pyjwt.get_unverified_header(token)["typ"] == "JWT"
    assert (
        claims["jti"]
        == claims["id"]
        == (f"{ORIGIN}/badges/{shared_award.public_id}/credential.jwt")
    )
    assert claims["iss"] == claims["issuer"]["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"]
    achievement = claims["credentialSubject"]["achievement"]
    degree_id = shared_award.degree.public_id
    assert achievement["name"] == "Practitioner"
    assert achievement["id"] == f"{ORIGIN}/badges/degrees/{degree_id}.json"  # the BadgeClass
    assert achievement["image"]["id"] == f"{ORIGIN}/badges/degrees/{degree_id}.png"
    assert achievement["criteria"]["narrative"].startswith("To earn the Practitioner degree")
    assert claims["issuer"] == {
        "id": f"{ORIGIN}/badges/issuer.json",
        "type": ["Profile"],
        "name": "mlmath",
        "url": f"{ORIGIN}/",
    }
    assert claims["credentialStatus"] == {
        "id": f"{ORIGIN}/badges/revocations.json",
        "type": "1EdTechRevocationList",
    }
    assert (
        schema_errors({k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "sub")})
        == []
    )


def test_the_credential_carries_the_salted_email_hash_not_the_email(client, shared_award):
    token = fetch_credential(client, shared_award)

    identity = verified_claims(client, token)["credentialSubject"]["identifier"][0]

    assert "ada@example.org" not in token.lower()
    assert identity["salt"] == shared_award.recipient_salt
    assert identity["identityHash"].startswith("sha256$")


def test_the_kid_url_answers_the_bare_public_jwk(client, shared_award):
    kid = pyjwt.get_unverified_header(fetch_credential(client, shared_award))["kid"]

    response = client.get(kid.removeprefix(ORIGIN))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk+json"
    jwk = json.loads(response.content)
    assert jwk["kid"] == kid
    assert jwk["kty"] == "RSA"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)


def test_an_unknown_key_id_is_not_found(client, db):
    assert client.get(reverse("badges:signing_key", args=["A" * 43])).status_code == 404


@pytest.mark.parametrize("is_shared", [False])
def test_a_private_award_has_no_credential(client, make_award, is_shared):
    award = make_award(is_shared=is_shared)

    assert client.get(reverse("badges:credential_jwt", args=[award.public_id])).status_code == 404


def test_an_unknown_award_has_no_credential(client, db):
    url = reverse("badges:credential_jwt", args=["0b5e1c1e-0000-4000-8000-000000000000"])

    assert client.get(url).status_code == 404


def test_a_tampered_credential_fails_against_the_published_keys(client, shared_award):
    token = fetch_credential(client, shared_award)
    header, payload, signature = token.split(".")
    claims = json.loads(pyjwt.utils.base64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] = "Researcher"
    forged = pyjwt.utils.base64url_encode(json.dumps(claims).encode()).decode()

    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(
            f"{header}.{forged}.{signature}", published_key(client, token), algorithms=["RS256"]
        )


def test_after_rotation_old_credentials_still_verify_and_new_ones_use_the_new_key(
    client, shared_award, settings, tmp_path
):
    key_file = tmp_path / "keys.pem"
    rotate_key_file(key_file)  # creates the first key
    settings.BADGES_SIGNING_KEY_FILE = str(key_file)
    old_token = fetch_credential(client, shared_award)

    rotate_key_file(key_file)
    new_token = fetch_credential(client, shared_award)

    old_kid = pyjwt.get_unverified_header(old_token)["kid"]
    new_kid = pyjwt.get_unverified_header(new_token)["kid"]
    assert old_kid != new_kid
    assert verified_claims(client, old_token)["jti"] == verified_claims(client, new_token)["jti"]
    published = json.loads(client.get(reverse("badges:jwks")).content)["keys"]
    assert [key["kid"] for key in published] == [new_kid, old_kid]


def test_the_revocation_list_names_only_badges_ever_shared_and_never_the_curators_reason(
    client, make_award, make_learner
):
    shared = make_award()
    shared.revoke(reason="Evidence was copied")
    shared_then_private = make_award().set_shared(False)
    shared_then_private.revoke(reason="Plagiarised from Grace Hopper")
    never_shared = make_award(is_shared=False)
    never_shared.revoke(reason="Revoked before anyone saw it")
    make_award()  # earned again: a new, valid award that the list leaves out
    # Deleting an account revokes its awards: a badge it had shared is listed, the rest not.
    grace, bob = make_learner("grace"), make_learner("bob")
    graces = make_award(learner=grace)
    bobs = make_award(learner=bob, is_shared=False)
    delete_account(user=grace)
    delete_account(user=bob)

    response = client.get(reverse("badges:revocation_list"))

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["id"] == f"{ORIGIN}/badges/revocations.json"
    assert document["revokedCredentials"] == [
        {
            "id": f"{ORIGIN}/badges/{award.public_id}/credential.jwt",
            "revocationReason": "Revoked by the issuer.",
        }
        for award in (shared, shared_then_private, graces)
    ]
    for hidden in (never_shared, bobs):
        assert str(hidden.public_id) not in response.text
    for private_words in ("copied", "Grace Hopper", "before anyone", "deleted"):
        assert private_words not in response.text


def test_the_revocation_list_is_one_query_however_many_are_revoked(
    client, make_award, django_assert_num_queries
):
    for _ in range(5):
        make_award().revoke(reason="Test")

    with django_assert_num_queries(1):
        response = client.get(reverse("badges:revocation_list"))

    assert len(json.loads(response.content)["revokedCredentials"]) == 5


def test_the_credential_costs_a_fixed_number_of_queries(
    client, shared_award, django_assert_max_num_queries
):
    # The award with its degree and learner, then the degree requirements (two queries, once
    # per catalog version), the learner's resources that count (completed and known, for the
    # narrative) and where each resource is (once per catalog version), and the catalog version
    # when the shared cache is the database.
    with django_assert_max_num_queries(6):
        fetch_credential(client, shared_award)


def test_the_keys_cost_no_query(client, shared_award, django_assert_num_queries):
    kid = pyjwt.get_unverified_header(fetch_credential(client, shared_award))["kid"]

    with django_assert_num_queries(0):
        assert client.get(reverse("badges:jwks")).status_code == 200
        assert client.get(kid.removeprefix(ORIGIN)).status_code == 200
