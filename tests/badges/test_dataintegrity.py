"""Data Integrity `eddsa-rdfc-2022`: the W3C test vector byte for byte, tampering, contexts.

The vector is the one published with "Data Integrity EdDSA Cryptosuites v1.0" (copied in
tests/badges/specs/eddsa-rdfc-2022/): its key pair, unsigned document, every intermediate
(canonical N-Quads, hashes, signature) and the signed document.
"""

import copy
import hashlib
import json
import socket
from pathlib import Path

import pytest

from badges.dataintegrity import (
    DataIntegrityError,
    SignatureMismatch,
    UndefinedTerm,
    UnknownContext,
    UnresolvableKey,
    canonicalize,
    hash_data,
    proof_configuration,
    sign_document,
    verify_document,
)
from badges.multikey import (
    MultikeyError,
    decode_private_key_multibase,
    decode_public_key_multibase,
    did_key,
    did_key_public_key,
    did_key_verification_method,
    multibase_decode,
    public_key_multibase,
    raw_public_key,
)
from badges.ob3 import CREDENTIAL_CONTEXT

VECTOR = Path(__file__).parent / "specs" / "eddsa-rdfc-2022"


def read(name):
    return (VECTOR / name).read_text(encoding="utf-8")


KEY_PAIR = json.loads(read("keyPair.json"))
SIGNED = json.loads(read("signedDataInt.json"))
UNSIGNED = {key: value for key, value in SIGNED.items() if key != "proof"}
PRIVATE_KEY = decode_private_key_multibase(KEY_PAIR["privateKeyMultibase"])


def resolve_did_key(verification_method):
    try:
        return did_key_public_key(verification_method)
    except MultikeyError as error:
        raise UnresolvableKey(str(error)) from error


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_key_pair_decodes_to_the_published_public_key():
    public_key = PRIVATE_KEY.public_key()

    assert public_key_multibase(public_key) == KEY_PAIR["publicKeyMultibase"]
    assert raw_public_key(decode_public_key_multibase(KEY_PAIR["publicKeyMultibase"])) == (
        raw_public_key(public_key)
    )
    assert did_key(public_key) == "did:key:" + KEY_PAIR["publicKeyMultibase"]
    assert did_key_verification_method(public_key) == SIGNED["proof"]["verificationMethod"]


def test_the_canonical_document_is_the_published_one_byte_for_byte(no_network):
    assert canonicalize(UNSIGNED) == read("canonDocDataInt.txt")


def test_the_canonical_proof_options_are_the_published_ones_byte_for_byte(no_network):
    proof_options = proof_configuration(SIGNED["proof"], SIGNED["@context"])

    assert proof_options == json.loads(read("proofConfigDataInt.json"))
    assert canonicalize(proof_options) == read("proofCanonDataInt.txt")


def test_the_hashes_and_the_signed_bytes_are_the_published_ones(no_network):
    document_hash = hashlib.sha256(read("canonDocDataInt.txt").encode()).hexdigest()
    proof_hash = hashlib.sha256(read("proofCanonDataInt.txt").encode()).hexdigest()
    data = hash_data(UNSIGNED, json.loads(read("proofConfigDataInt.json")))

    assert document_hash == read("docHashDataInt.txt").strip()
    assert proof_hash == read("proofHashDataInt.txt").strip()
    assert data.hex() == read("combinedHashDataInt.txt").strip() == proof_hash + document_hash


def test_signing_reproduces_the_published_signature_and_signed_document(no_network):
    proof = SIGNED["proof"]

    signed = sign_document(UNSIGNED, PRIVATE_KEY, proof["verificationMethod"], proof["created"])

    signature = multibase_decode(signed["proof"]["proofValue"])
    assert signature.hex() == read("sigHexDataInt.txt").strip()
    assert signed["proof"]["proofValue"] == read("sigBTC58DataInt.txt").strip()
    assert json.dumps(signed, indent=2) == read("signedDataInt.json")
    assert signed == SIGNED


def test_the_published_signed_document_verifies(no_network):
    proof = verify_document(SIGNED, resolve_did_key)

    assert proof == SIGNED["proof"]


def tampered(path, value):
    document = copy.deepcopy(SIGNED)
    *parents, last = path
    target = document
    for name in parents:
        target = target[name]
    target[last] = value
    return document


OTHER_KEY = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["issuer"], "https://vc.example/issuers/1234"),
        (["credentialSubject", "alumniOf"], "The School of Forgeries"),
        (["credentialSubject", "id"], "did:example:someone-else"),
        (["validFrom"], "2020-01-01T00:00:00Z"),
        (["name"], "Alumni Credential (forged)"),
        (["proof", "created"], "2023-02-24T23:36:39Z"),
        (["proof", "verificationMethod"], f"{OTHER_KEY}#{OTHER_KEY.removeprefix('did:key:')}"),
        (
            ["proof", "proofValue"],
            SIGNED["proof"]["proofValue"][:-2] + SIGNED["proof"]["proofValue"][-1:] + "1",
        ),
    ],
    ids=lambda value: "/".join(value) if isinstance(value, list) else "",
)
def test_changing_any_field_breaks_the_signature(path, value, no_network):
    with pytest.raises(SignatureMismatch, match="The signature does not match"):
        verify_document(tampered(path, value), resolve_did_key)


def test_adding_a_claim_breaks_the_signature(no_network):
    document = copy.deepcopy(SIGNED)
    document["credentialSubject"]["degree"] = "Doctor of Forgery"

    with pytest.raises(SignatureMismatch):
        verify_document(document, resolve_did_key)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"proof": None}, "no proof"),
        ({"proof": {**SIGNED["proof"], "cryptosuite": "ecdsa-rdfc-2019"}}, "only DataIntegrity"),
        ({"proof": {**SIGNED["proof"], "proofPurpose": "authentication"}}, "purpose"),
        ({"proof": {**SIGNED["proof"], "created": "yesterday"}}, "not a date-time"),
        ({"proof": [SIGNED["proof"], SIGNED["proof"]]}, "exactly one proof"),
        ({"proof": {**SIGNED["proof"], "proofValue": "not-multibase"}}, "cannot be read"),
    ],
)
def test_malformed_proofs_are_refused_with_a_reason(change, message, no_network):
    document = {**SIGNED, **change}
    if document["proof"] is None:
        del document["proof"]

    with pytest.raises(DataIntegrityError, match=message):
        verify_document(document, resolve_did_key)


def test_a_key_that_cannot_be_resolved_is_reported_as_such():
    def resolve_nothing(verification_method):
        raise UnresolvableKey(f"{verification_method} is not resolvable offline")

    with pytest.raises(UnresolvableKey, match="not resolvable offline"):
        verify_document(SIGNED, resolve_nothing)


def test_an_unknown_context_is_a_clear_error_and_nothing_is_fetched(no_network):
    document = {**UNSIGNED, "@context": [*UNSIGNED["@context"], "https://evil.example/ctx.json"]}

    with pytest.raises(
        UnknownContext, match=r"'https://evil\.example/ctx\.json' is not one"
    ) as error:
        canonicalize(document)
    assert "never fetched" in str(error.value)
    with pytest.raises(UnknownContext):
        verify_document({**SIGNED, "@context": document["@context"]}, resolve_did_key)


def test_the_open_badges_context_follows_the_vc_context_without_a_protected_term_conflict(
    no_network,
):
    """Both contexts are @protected and both define `name` and `description`, with the same
    IRIs: JSON-LD 1.1 accepts that, in the order Open Badges 3.0 requires."""
    document = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "A badge",
        "description": "Described",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {"type": ["Achievement"], "name": "An achievement"},
        },
    }

    nquads = canonicalize(document)

    assert '<https://schema.org/name> "A badge"' in nquads
    assert '<https://schema.org/description> "Described"' in nquads
    assert '<https://schema.org/name> "An achievement"' in nquads
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential" in nquads


def test_a_document_signed_with_a_new_key_verifies_with_its_did_key(no_network):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    document = {**UNSIGNED, "issuer": did_key(key.public_key())}

    signed = sign_document(
        document, key, did_key_verification_method(key.public_key()), "2026-01-02T03:04:05Z"
    )

    assert verify_document(signed, resolve_did_key)["created"] == "2026-01-02T03:04:05Z"
    assert (
        sign_document(
            document, key, did_key_verification_method(key.public_key()), "2026-01-02T03:04:05Z"
        )
        == signed
    )  # Ed25519 is deterministic


@pytest.mark.parametrize(
    "value",
    [
        "did:web:example.org",
        "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
        "did:key:",
    ],
)
def test_a_did_key_that_is_not_ed25519_is_refused(value):
    with pytest.raises(MultikeyError):
        did_key_public_key(value)


UNDEFINED = [
    ({"achievedWith": "luck"}, "the property 'achievedWith' is not defined"),
    ({"type": ["VerifiableCredential", "OpenBadgeCredential", "GoldStar"]}, "'GoldStar' is a"),
    ({"id": "credential-7"}, "'credential-7' is a relative"),
]


@pytest.mark.parametrize(("change", "message"), UNDEFINED)
def test_what_the_contexts_do_not_define_is_refused_rather_than_left_unsigned(
    change, message, no_network
):
    """Safe mode, as Digital Bazaar's verifiers: canonicalization would silently drop these,
    so a proof would not cover them and changing them would go unnoticed."""
    key = PRIVATE_KEY
    document = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": did_key(key.public_key()),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"]},
    }
    method = did_key_verification_method(key.public_key())
    signed = sign_document(document, key, method, "2026-01-01T00:00:00Z")

    with pytest.raises(UndefinedTerm, match=message):
        sign_document({**document, **change}, key, method, "2026-01-01T00:00:00Z")
    with pytest.raises(UndefinedTerm, match="would not be covered by its proof"):
        verify_document({**signed, **change}, resolve_did_key)
