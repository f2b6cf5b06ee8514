"""OpenBadgeCredential documents, VC-JWT signing and the revocation list, as plain functions."""

import json
from datetime import UTC, datetime

import jwt as pyjwt
import pytest

from badges.ob3 import (
    CREDENTIAL_CONTEXT,
    build_credential,
    recipient_identity_hash,
    recipient_matches,
    revocation_list,
    sign_credential,
)
from badges.signing import parse_key_ring, public_jwk
from tests.badges.keys import private_key_pem
from tests.badges.schema import FULL_EXAMPLE, schema_errors
from tests.factories import BADGE_ORIGIN, make_credential_facts

KID = f"{BADGE_ORIGIN}/badges/keys/abc.json"


def jwks_for(ring):
    return {"keys": [public_jwk(key, KID) for key in ring.public_keys]}


def test_the_schema_copy_accepts_the_specifications_own_example():
    assert schema_errors(FULL_EXAMPLE) == []


def test_the_credential_satisfies_the_achievement_credential_schema():
    credential = build_credential(make_credential_facts())

    assert schema_errors(credential) == []
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["validFrom"] == "2026-03-04T05:06:07Z"
    assert credential["credentialStatus"]["type"] == "1EdTechRevocationList"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["criteria"] == {"narrative": "Complete every Calculus resource."}
    assert subject["identifier"][0]["type"] == "IdentityObject"


def test_the_schema_check_catches_a_broken_credential():
    credential = build_credential(make_credential_facts())
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["@context"] = list(reversed(CREDENTIAL_CONTEXT))

    errors = schema_errors(credential)

    assert any("criteria" in error for error in errors)
    assert any(error.startswith("@context") for error in errors)


def test_the_recipient_hash_ignores_case_and_surrounding_spaces_of_the_email():
    identity = recipient_identity_hash("  ADA@example.org", "pepper")

    assert identity.startswith("sha256$")
    assert recipient_matches("ada@EXAMPLE.org", identity, "pepper")
    assert not recipient_matches("bob@example.org", identity, "pepper")
    assert not recipient_matches("ada@example.org", identity, "salt")


# PyJWT refuses a credential before its "nbf" (when it was awarded, 4 March 2026): the check
# runs on a clock after it, whatever the real one says.
@pytest.mark.frozen_at(datetime(2026, 3, 5, tzinfo=UTC))
def test_an_independent_library_verifies_the_vc_jwt_with_the_public_keys_only(key_ring):
    credential = build_credential(make_credential_facts())

    token = sign_credential(credential, key_ring.signing_key, KID)

    header = pyjwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": KID}
    public_key = pyjwt.PyJWKSet.from_dict(jwks_for(key_ring))[KID].key
    claims = pyjwt.decode(token, public_key, algorithms=["RS256"], options={"verify_aud": False})
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC).timestamp())
    assert {key: claims[key] for key in credential} == credential
    assert schema_errors(claims) == []


def test_a_tampered_payload_fails_verification(key_ring):
    token = sign_credential(build_credential(make_credential_facts()), key_ring.signing_key, KID)
    header, payload, signature = token.split(".")
    claims = json.loads(pyjwt.utils.base64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] = "Researcher"
    forged_payload = pyjwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    public_key = pyjwt.PyJWKSet.from_dict(jwks_for(key_ring))[KID].key

    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(f"{header}.{forged_payload}.{signature}", public_key, algorithms=["RS256"])


def test_a_credential_signed_with_another_key_fails_verification(key_ring):
    other_ring = parse_key_ring(private_key_pem(2))
    token = sign_credential(build_credential(make_credential_facts()), other_ring.signing_key, KID)
    public_key = pyjwt.PyJWKSet.from_dict(jwks_for(key_ring))[KID].key

    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(token, public_key, algorithms=["RS256"])


def test_the_revocation_list_names_each_revoked_credential_with_the_public_reason():
    document = revocation_list(
        list_url=f"{BADGE_ORIGIN}/badges/revocations",
        issuer_id=f"{BADGE_ORIGIN}/badges/issuer",
        revoked_credential_ids=[f"{BADGE_ORIGIN}/badges/1/credential.jwt"],
    )

    assert document == {
        "id": f"{BADGE_ORIGIN}/badges/revocations",
        "issuer": f"{BADGE_ORIGIN}/badges/issuer",
        "revokedCredentials": [
            {
                "id": f"{BADGE_ORIGIN}/badges/1/credential.jwt",
                "revocationReason": "Revoked by the issuer.",
            }
        ],
    }
