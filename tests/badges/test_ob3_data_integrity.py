"""The Open Badges 3.0 credential with a Data Integrity proof, at badges/<id>/credential.json.

Every check here verifies the proof the way an outsider would: with the key found in the DID
document the site publishes (fetched through the test client), never the key ring itself.
"""

import copy
import json

import jwt as pyjwt
import pytest
from django.urls import reverse

from accounts.services import delete_account
from badges.dataintegrity import SignatureMismatch, UnresolvableKey, verify_document
from badges.did import rotate_did_key_file
from badges.multikey import decode_public_key_multibase
from tests.badges.credentials import fetch_credential
from tests.badges.schema import schema_errors
from tests.factories import at
from tests.html import elements

ORIGIN = "http://testserver"
DID = "did:web:testserver"
AWARDED = "2026-03-14T15:09:26Z"

pytestmark = pytest.mark.frozen_at(at("2026-06-01T12:00"))


def credential_path(award):
    return reverse("badges:credential_json", args=[award.public_id])


def fetch_data_integrity(client, award):
    response = client.get(credential_path(award))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"]
    return json.loads(response.content)


def published_resolver(client):
    """`resolve_key` from the published DID document only, as a wallet's verifier does."""
    document = json.loads(client.get("/.well-known/did.json").content)

    def resolve_key(verification_method):
        controller = verification_method.partition("#")[0]
        if controller != document["id"] or verification_method not in document["assertionMethod"]:
            raise UnresolvableKey(f"{verification_method} is not in the DID document")
        [method] = [m for m in document["verificationMethod"] if m["id"] == verification_method]
        return decode_public_key_multibase(method["publicKeyMultibase"])

    return resolve_key


@pytest.fixture
def award(make_award):
    return make_award(awarded_at=at("2026-03-14T15:09:26"))


def test_a_shared_award_is_a_credential_issued_by_the_did_web_that_verifies(client, award):
    credential = fetch_data_integrity(client, award)

    proof = verify_document(credential, published_resolver(client))

    assert proof == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": AWARDED,
        "verificationMethod": proof["verificationMethod"],
        "proofPurpose": "assertionMethod",
        "proofValue": proof["proofValue"],
    }
    assert credential["proof"] == [proof]  # a set of one, as the OB 3.0 schema wants
    assert proof["verificationMethod"].startswith(f"{DID}#z6Mk")
    assert credential["issuer"] == {
        "id": DID,
        "type": ["Profile"],
        "name": "mlmath",
        "url": f"{ORIGIN}/",
    }
    assert credential["validFrom"] == AWARDED
    assert schema_errors(credential) == []


def test_both_forms_are_the_same_credential_with_the_same_ids(client, award):
    credential = fetch_data_integrity(client, award)
    claims = pyjwt.decode(fetch_credential(client, award), options={"verify_signature": False})

    jwt_form = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "sub")}
    di_form = {k: v for k, v in credential.items() if k != "proof"}
    # Their types are defined by no JSON-LD context: a proof could not cover them.
    without = {
        k: v for k, v in jwt_form.items() if k not in ("credentialSchema", "credentialStatus")
    }
    # The revocation status is told instead by a Bitstring Status List entry (VC 2.0 terms).
    status = di_form.pop("credentialStatus")
    assert status["type"] == "BitstringStatusListEntry"
    assert di_form == {**without, "issuer": {**jwt_form["issuer"], "id": DID}}
    assert credential["id"] == f"{ORIGIN}/badges/{award.public_id}/credential.jwt"
    degree_id = award.degree.public_id
    assert credential["credentialSubject"]["achievement"]["id"] == (
        f"{ORIGIN}/badges/degrees/{degree_id}.json"
    )
    assert jwt_form["issuer"]["id"] == f"{ORIGIN}/badges/issuer.json"  # the VC-JWT's unchanged


def test_the_same_award_gives_the_same_bytes_until_the_key_rotates(client, award, time_machine):
    first = client.get(credential_path(award)).content
    time_machine.move_to(at("2026-07-01T12:00"), tick=False)

    assert client.get(credential_path(award)).content == first


def test_a_changed_credential_fails_against_the_published_did_document(client, award):
    credential = fetch_data_integrity(client, award)
    resolve = published_resolver(client)
    for change in (
        lambda c: c["credentialSubject"]["achievement"].update(name="Researcher"),
        lambda c: c["issuer"].update(name="Another school"),
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
        lambda c: c["credentialSubject"]["identifier"][0].update(salt="00"),
        lambda c: c["proof"][0].update(created="2026-03-14T15:09:27Z"),
    ):
        forged = copy.deepcopy(credential)
        change(forged)
        with pytest.raises(SignatureMismatch):
            verify_document(forged, resolve)


def test_after_rotation_old_credentials_still_verify_and_new_ones_use_the_new_key(
    client, award, settings, tmp_path
):
    key_file = tmp_path / "did-keys.pem"
    rotate_did_key_file(key_file)
    settings.BADGES_DID_KEY_FILE = str(key_file)
    old = fetch_data_integrity(client, award)

    rotate_did_key_file(key_file)
    new = fetch_data_integrity(client, award)

    resolve = published_resolver(client)
    old_method = verify_document(old, resolve)["verificationMethod"]
    new_method = verify_document(new, resolve)["verificationMethod"]
    assert old_method != new_method
    document = json.loads(client.get("/.well-known/did.json").content)
    assert document["assertionMethod"] == [new_method, old_method]
    assert document["authentication"] == [new_method]


def test_private_unknown_and_deleted_accounts_awards_have_no_credential(
    client, make_award, make_learner
):
    private = make_award(is_shared=False)
    grace = make_learner("grace")
    graces = make_award(learner=grace)
    delete_account(user=grace)

    for award in (private, graces):
        assert client.get(credential_path(award)).status_code == 404
        assert client.get(reverse("badges:credential_jwt", args=[award.public_id])).status_code == (
            404
        )
    unknown = reverse("badges:credential_json", args=["0b5e1c1e-0000-4000-8000-000000000000"])
    assert client.get(unknown).status_code == 404


def test_a_revoked_award_answers_like_its_vc_jwt_and_the_revocation_list_names_its_id(
    client, award
):
    award.revoke(reason="Evidence was copied")

    credential = fetch_data_integrity(client, award)  # like the VC-JWT: served, listed revoked
    assert client.get(reverse("badges:credential_jwt", args=[award.public_id])).status_code == 200
    revoked = json.loads(client.get(reverse("badges:revocation_list")).content)
    assert [entry["id"] for entry in revoked["revokedCredentials"]] == [credential["id"]]


def test_the_credential_costs_a_fixed_number_of_queries(
    client, award, django_assert_max_num_queries
):
    # The first time, its status list index is drawn: the newest list and its size, then the
    # entry written (in a savepoint, for a retry).
    with django_assert_max_num_queries(10):
        fetch_data_integrity(client, award)
    # Then as the VC-JWT: the award with degree, learner and index, the degree requirements
    # (twice, once per catalog version), the learner's counting resources, their places, the
    # catalog version.
    with django_assert_max_num_queries(6):
        fetch_data_integrity(client, award)


def test_a_learner_with_a_long_history_costs_no_more_queries(
    client, ada_shared_award, django_assert_max_num_queries
):
    fetch_data_integrity(client, ada_shared_award)  # its index drawn
    with django_assert_max_num_queries(6):
        credential = fetch_data_integrity(client, ada_shared_award)
    assert "completed on mlmath" in credential["credentialSubject"]["narrative"]
    assert schema_errors(credential) == []


def test_the_share_page_links_the_credential_for_its_owner_and_the_public(
    client, learner_client, ada_shared_award
):
    url = f"{ORIGIN}{credential_path(ada_shared_award)}"
    page = reverse("badges:share", args=[ada_shared_award.public_id])
    for visitor in (client, learner_client):
        response = visitor.get(page)
        [link] = elements(response, "a", href=url)
        assert dict(link.attributes)["type"] == "application/vc"
        [alternate] = elements(response, "link", href=url)
        assert dict(alternate.attributes)["rel"] == "alternate"
