"""/verify/ with credentials that carry a Data Integrity proof: pasted or uploaded as JSON,
checked offline (this site's did:web from its key ring, did:key from the DID, nothing fetched)."""

import json
import socket

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from badges.dataintegrity import sign_document
from badges.did import rotate_did_key_file
from badges.multikey import did_key, did_key_verification_method
from tests.badges.test_verify_page import checks, verdict_text
from tests.html import by_id, text

VERIFY = "/verify/"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def credential_json(client, award):
    response = client.get(reverse("badges:credential_json", args=[award.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def heading(response):
    return text(by_id(response, "verdict-heading"))


def test_a_pasted_credential_of_this_site_is_valid(client, shared_award):
    response = client.post(
        VERIFY, {"badge": credential_json(client, shared_award), "email": "ada@example.org"}
    )

    assert response.status_code == 200
    assert heading(response) == "✓ Valid: a badge issued by this site"
    assert checks(response) == {
        "Checked": "A signed credential (JSON-LD, Data Integrity)",
        "Issued by this site": "Yes",
        "Signature": "Valid",
        "Revocation": "Not revoked",
        "Recipient": "Awarded to this email address",
        "Degree": "Practitioner",
        "Awarded": checks(response)["Awarded"],
    }


def test_an_uploaded_credential_file_is_checked_the_same_way(client, shared_award):
    upload = SimpleUploadedFile(
        "credential.json", credential_json(client, shared_award).encode(), "application/json"
    )

    response = client.post(VERIFY, {"image": upload, "email": "someone@example.org"})

    assert checks(response)["Checked"] == "An uploaded credential (JSON-LD, Data Integrity)"
    assert checks(response)["Signature"] == "Valid"
    assert checks(response)["Recipient"] == "Not awarded to this email address"
    assert heading(response) == "✗ Not valid"


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"]["achievement"].update(name="Researcher"),
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
        lambda c: c["issuer"].update(name="Another school"),
        lambda c: c["proof"][0].update(created="2020-01-01T00:00:00Z"),
        lambda c: c["credentialSubject"]["identifier"][0].update(salt="0" * 32),
    ],
)
def test_a_tampered_credential_is_refused_with_a_clear_reason(client, shared_award, change):
    credential = json.loads(credential_json(client, shared_award))
    change(credential)

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert heading(response) == "✗ Not valid"
    assert "The signature does not match" in verdict_text(response)
    assert checks(response)["Signature"] == "Not valid"


def test_a_revoked_credential_is_reported_revoked(client, shared_award):
    credential = credential_json(client, shared_award)
    shared_award.revoke(reason="Evidence was copied")

    response = client.post(VERIFY, {"badge": credential})

    assert heading(response) == "✗ Not valid"
    assert checks(response)["Signature"] == "Valid"
    assert checks(response)["Revocation"] == "Revoked by the issuer. No longer valid."
    assert "copied" not in verdict_text(response)


def test_a_credential_signed_before_a_key_rotation_still_verifies(
    client, shared_award, settings, tmp_path
):
    key_file = tmp_path / "did-keys.pem"
    rotate_did_key_file(key_file)
    settings.BADGES_DID_KEY_FILE = str(key_file)
    old = credential_json(client, shared_award)
    rotate_did_key_file(key_file)

    response = client.post(VERIFY, {"badge": old})

    assert heading(response) == "✓ Valid: a badge issued by this site"


def did_key_credential(**changes):
    key = Ed25519PrivateKey.generate()
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:3f1f0c8e-2d4b-4c9b-9f34-1c2b3d4e5f60",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did_key(key.public_key()), "type": ["Profile"], "name": "A school"},
        "validFrom": "2025-05-01T10:00:00Z",
        "name": "Knitting",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:0f1f0c8e-2d4b-4c9b-9f34-1c2b3d4e5f60",
                "type": ["Achievement"],
                "name": "Knitting",
                "criteria": {"narrative": "Knit a scarf."},
            },
        },
        **changes,
    }
    return sign_document(
        credential, key, did_key_verification_method(key.public_key()), "2025-05-01T10:00:00Z"
    )


def test_a_did_key_issuer_is_verified_offline_and_told_apart_from_this_site(client, db):
    credential = did_key_credential()

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert heading(response) == "✓ Signature valid: issued by someone else"
    assert checks(response)["Signed by"] == credential["issuer"]["id"]
    assert checks(response)["Issued by this site"] == "No"
    assert checks(response)["Signature"] == "Valid"
    assert checks(response)["Revocation"] == "Not checked"
    assert checks(response)["Degree"] == "Knitting"
    assert "cannot tell whether it was revoked" in verdict_text(response)


def test_a_tampered_did_key_credential_does_not_match(client, db):
    credential = did_key_credential()
    credential["credentialSubject"]["achievement"]["name"] = "Brain surgery"

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert heading(response) == "✗ Not valid"
    assert "The signature does not match" in verdict_text(response)


def test_a_credential_signed_by_a_key_that_is_not_its_issuers_is_refused(client, db):
    credential = did_key_credential(issuer={"id": "did:web:testserver", "type": ["Profile"]})

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert heading(response) == "✗ Not valid"
    assert "only the issuer's own key can sign" in verdict_text(response)


def test_another_did_web_is_reported_unresolvable_offline_and_never_fetched(client, db):
    credential = did_key_credential()
    other = "did:web:university.example"
    credential["issuer"]["id"] = other
    credential["proof"]["verificationMethod"] = f"{other}#key-1"

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert heading(response) == "✗ Not valid"
    assert "Issuer not resolvable offline" in verdict_text(response)
    assert checks(response)["Issued by this site"] == "No"
    assert checks(response)["Signature"] == "Not checked"


@pytest.mark.parametrize(
    ("submitted", "message"),
    [
        ('{"issuer": ', "not readable JSON"),
        ('{"@context": "https://www.w3.org/ns/credentials/v2"}', "no proof"),
        ('{"a": ' + "[" * 40 + "]" * 40 + "}", "nests deeper than 16 levels"),
        (json.dumps({"a": [{"b": 1}] * 5}), "more than 4 alike objects"),
        (json.dumps({"a": [{"id": "_:b0"}]}), "blank nodes"),
        (json.dumps({"@graph": []}), "uses @graph"),
    ],
)
def test_malformed_or_unbounded_json_gets_a_plain_explanation(client, db, submitted, message):
    response = client.post(VERIFY, {"badge": submitted})

    assert response.status_code == 200
    assert message in verdict_text(response)


def test_an_unknown_context_is_explained_not_fetched(client, db):
    credential = did_key_credential()
    credential["@context"].append("https://contexts.example/badge.jsonld")

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert "'https://contexts.example/badge.jsonld' is not one this site knows" in (
        verdict_text(response)
    )


def test_a_large_json_file_is_refused_before_it_is_read_as_json(client, db):
    big = json.dumps({"padding": "x" * (70 * 1024)}).encode()
    upload = SimpleUploadedFile("credential.json", big, "application/json")

    response = client.post(VERIFY, {"image": upload})

    assert "larger than 64 KB" in verdict_text(response)


def test_checking_a_pasted_credential_costs_a_fixed_number_of_queries(
    client, shared_award, django_assert_max_num_queries
):
    credential = credential_json(client, shared_award)

    # The session, the award's revocation state, and its status list: the version token (with
    # the database cache), then the list's times and revoked indexes until it is cached.
    with django_assert_max_num_queries(5):
        response = client.post(VERIFY, {"badge": credential})
    assert heading(response) == "✓ Valid: a badge issued by this site"
    with django_assert_max_num_queries(3):
        client.post(VERIFY, {"badge": credential})


def test_json_nested_beyond_the_parsers_recursion_limit_is_explained(client, db):
    deep = ('{"a": ' + "[" * 30_000 + "]" * 30_000 + "}").encode()
    upload = SimpleUploadedFile("credential.json", deep, "application/json")

    response = client.post(VERIFY, {"image": upload})

    assert response.status_code == 200
    assert "not readable JSON" in verdict_text(response)


def test_a_key_given_by_url_is_reported_unresolvable_offline(client, db):
    credential = did_key_credential()
    credential["issuer"]["id"] = "https://university.example/issuer"
    credential["proof"]["verificationMethod"] = "https://university.example/keys/1"

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert "Issuer not resolvable offline" in verdict_text(response)


def test_a_claim_the_contexts_do_not_define_is_refused_not_ignored(client, shared_award):
    credential = json.loads(credential_json(client, shared_award))
    credential["credentialSubject"]["grade"] = "A+"

    response = client.post(VERIFY, {"badge": json.dumps(credential)})

    assert heading(response) == "✗ Not valid"
    assert "the property 'grade' is not defined by its contexts" in verdict_text(response)
