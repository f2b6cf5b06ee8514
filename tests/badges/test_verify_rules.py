"""The checks behind /verify/, as plain functions: what a submission is, and a VC-JWT's verdict."""

import base64
import json

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from badges.ob3 import build_credential, sign_credential
from badges.signing import key_id, parse_key_ring
from badges.verify import (
    VerificationProblem,
    read_submission,
    verdict_for_claims,
    verify_credential_jwt,
)
from tests.badges.keys import private_key_pem
from tests.factories import BADGE_ORIGIN, make_credential_facts

KEY_PREFIX = f"{BADGE_ORIGIN}/badges/keys/"
ISSUER = make_credential_facts().issuer_id


def signed(ring, **changes):
    kid = f"{KEY_PREFIX}{key_id(ring.signing_key)}.json"
    return sign_credential(
        build_credential(make_credential_facts(**changes)), ring.signing_key, kid
    )


def our_key_id(kid):
    """This site's keys live under KEY_PREFIX, like badges.ob3.key_id_for_kid says of the site."""
    if not kid or not kid.startswith(KEY_PREFIX):
        return None
    return kid.removeprefix(KEY_PREFIX).removesuffix(".json")


def check(token, ring):
    return verify_credential_jwt(token, key_ring=ring, key_id_for_kid=our_key_id, issuer_id=ISSUER)


def test_a_pasted_token_split_over_lines_is_read_as_a_jwt():
    assert read_submission("  aaa.bbb\n.ccc  ").kind == "jwt"
    assert read_submission("https://mlmath.example.org/badges/x/ ").value == (
        "https://mlmath.example.org/badges/x/"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Paste a badge link"), ("hello there", "neither a link"), ("ftp://x/y", "neither")],
)
def test_text_that_is_neither_link_nor_jwt_is_explained(text, message):
    with pytest.raises(VerificationProblem, match=message):
        read_submission(text)


def test_a_credential_signed_here_verifies(key_ring):
    claims = check(signed(key_ring), key_ring)

    assert claims["iss"] == ISSUER
    assert claims["credentialSubject"]["achievement"]["name"] == "Practitioner"


def test_a_credential_signed_with_a_retired_key_still_verifies(key_ring):
    old_token = signed(key_ring)
    rotated = parse_key_ring(
        key_ring.signing_key.as_pem().decode() + private_key_pem(2)
    )  # the old key is now only published

    assert rotated.signing_key_id != key_ring.signing_key_id
    assert check(old_token, rotated)["jti"] == make_credential_facts().credential_id


def test_a_tampered_payload_is_reported_as_a_bad_signature(key_ring):
    header, payload, signature = signed(key_ring).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Researcher"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")

    with pytest.raises(VerificationProblem, match="signature does not match"):
        check(f"{header}.{forged}.{signature}", key_ring)


def test_a_credential_from_another_site_is_not_ours(key_ring):
    other_ring = parse_key_ring(private_key_pem(2))
    token = sign_credential(
        build_credential(make_credential_facts(issuer_id="https://elsewhere.example/issuer")),
        other_ring.signing_key,
        "https://elsewhere.example/keys/1",
    )

    with pytest.raises(VerificationProblem, match="not issued by this site") as problem:
        check(token, key_ring)
    assert not problem.value.issued_here


def test_our_key_url_with_a_key_we_never_published_is_refused(key_ring):
    other_ring = parse_key_ring(private_key_pem(2))
    kid = f"{KEY_PREFIX}{key_id(other_ring.signing_key)}.json"
    token = sign_credential(build_credential(make_credential_facts()), other_ring.signing_key, kid)

    with pytest.raises(VerificationProblem, match="never published"):
        check(token, key_ring)


def test_a_symmetric_signature_pretending_to_be_ours_is_refused(key_ring):
    kid = f"{KEY_PREFIX}{key_ring.signing_key_id}.json"
    token = jwt.encode(
        {"alg": "HS256", "kid": kid},
        {"iss": ISSUER},
        OctKey.generate_key(256),
        algorithms=["HS256"],
    )

    with pytest.raises(VerificationProblem, match="signs with RS256"):
        check(token, key_ring)


def test_another_issuer_id_under_our_signature_is_refused(key_ring):
    with pytest.raises(VerificationProblem, match="issued by 'https://elsewhere"):
        check(signed(key_ring, issuer_id="https://elsewhere.example/issuer"), key_ring)


def test_garbage_with_dots_is_not_a_readable_jwt(key_ring):
    with pytest.raises(VerificationProblem, match="header cannot be decoded"):
        check("not.a.jwt", key_ring)


@pytest.mark.parametrize(
    ("email", "recipient"),
    [("", "not checked"), ("ADA@example.org", "matches"), ("bob@example.org", "does not match")],
)
def test_the_verdict_checks_the_recipient_only_when_an_email_is_given(key_ring, email, recipient):
    claims = check(signed(key_ring), key_ring)

    verdict = verdict_for_claims(claims, source="VC-JWT", revoked=False, email=email)

    assert verdict.recipient == recipient
    assert verdict.is_valid is (recipient != "does not match")
    assert verdict.degree_name == "Practitioner"


def test_a_revoked_credential_is_never_valid(key_ring):
    claims = check(signed(key_ring), key_ring)

    verdict = verdict_for_claims(claims, source="VC-JWT", revoked=True)

    assert not verdict.is_valid
    assert verdict.revoked is True
