"""The site's did:web: its Ed25519 key ring (environment or file, rotation, the deployment
check, the command) and the DID document at /.well-known/did.json."""

import json
import stat
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from badges.checks import badge_did_key_check
from badges.dataintegrity import UnresolvableKey
from badges.did import (
    DidKeyRingError,
    did_document,
    did_web_for,
    key_resolver,
    load_did_key_ring,
    parse_did_key_ring,
    public_key_pem,
    rotate_did_key_file,
)
from badges.multikey import did_key_verification_method, public_key_multibase
from tests.badges.keys import did_private_key_pem, private_key_pem


@pytest.mark.parametrize(
    ("origin", "did"),
    [
        ("https://mlmath.example.org", "did:web:mlmath.example.org"),
        ("https://MLMath.Example.org", "did:web:mlmath.example.org"),
        ("http://localhost:8000", "did:web:localhost%3A8000"),
        ("https://example.org/mlmath/site", "did:web:example.org:mlmath:site"),
        ("http://testserver", "did:web:testserver"),
    ],
)
def test_the_did_web_is_derived_from_the_origin(origin, did):
    assert did_web_for(origin) == did


def test_a_key_ring_keeps_retired_keys_and_signs_with_the_last_private_key():
    ring_one = parse_did_key_ring(did_private_key_pem(1))
    rotated = parse_did_key_ring(public_key_pem(ring_one.public_keys[0]) + did_private_key_pem(2))

    assert rotated.signing_key_id == parse_did_key_ring(did_private_key_pem(2)).signing_key_id
    assert rotated.key_ids == (ring_one.signing_key_id, rotated.signing_key_id)
    assert rotated.signing_key_id.startswith("z6Mk")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nothing here", "holds no Ed25519 private key"),
        (private_key_pem(1), "not an Ed25519 key"),
        ("-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n", "not an Ed25519 key"),
        (
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
            "not a readable",
        ),
    ],
)
def test_an_unusable_key_ring_is_refused_with_the_reason(text, message):
    with pytest.raises(DidKeyRingError, match=message):
        parse_did_key_ring(text)


def test_the_environment_variable_wins_over_the_file(settings):
    settings.BADGES_DID_KEY = did_private_key_pem(2).replace("\n", "\\n")

    assert (
        load_did_key_ring().signing_key_id
        == parse_did_key_ring(did_private_key_pem(2)).signing_key_id
    )


def test_development_generates_a_private_key_file_on_first_use(settings, tmp_path):
    key_file = tmp_path / "var" / "did-keys.pem"
    settings.DEBUG = True
    settings.BADGES_DID_KEY_FILE = str(key_file)

    ring = load_did_key_ring()

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_did_key_ring().signing_key_id == ring.signing_key_id


def test_production_refuses_a_missing_key_file_and_no_key_at_all(settings, tmp_path):
    settings.BADGES_DID_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        load_did_key_ring()
    assert not (tmp_path / "missing.pem").exists()

    settings.BADGES_DID_KEY_FILE = ""
    with pytest.raises(ImproperlyConfigured, match="No badge DID key"):
        load_did_key_ring()


def test_the_deployment_check_needs_a_usable_did_key(settings):
    settings.BADGES_DID_KEY_FILE = ""
    assert [error.id for error in badge_did_key_check(None)] == ["badges.E003"]

    settings.BADGES_DID_KEY = private_key_pem(1)  # an RSA key is not an Ed25519 key
    errors = badge_did_key_check(None)
    assert [error.id for error in errors] == ["badges.E003"]
    assert "BADGES_DID_KEY cannot be used" in errors[0].msg

    settings.BADGES_DID_KEY = did_private_key_pem(1)
    assert badge_did_key_check(None) == []


def rotate(*args):
    output = StringIO()
    call_command("rotate_badge_signing_key", "--ed25519", *args, stdout=output)
    return output.getvalue()


def published_document(client):
    response = client.get(reverse("badges:did"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_the_command_creates_then_rotates_the_key_file_and_the_did_document_keeps_both(
    client, settings, tmp_path, db
):
    key_file = tmp_path / "secrets" / "did-keys.pem"
    settings.BADGES_DID_KEY_FILE = str(key_file)

    created = rotate()
    first = load_did_key_ring().signing_key_id
    rotated = rotate()
    second = load_did_key_ring().signing_key_id

    assert f"New signing key {first}" in created
    assert "previous key" not in created
    assert f"New signing key {second}" in rotated
    assert f"The previous key {first} stays published" in rotated
    assert key_file.read_text().count("BEGIN PRIVATE KEY") == 1
    did = "did:web:testserver"
    assert published_document(client) == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#{key_id}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key_id,
            }
            for key_id in (second, first)
        ],
        "assertionMethod": [f"{did}#{second}", f"{did}#{first}"],
        "authentication": [f"{did}#{second}"],
    }


def test_a_key_ring_from_the_environment_is_rotated_by_printing_it(settings):
    settings.BADGES_DID_KEY = did_private_key_pem(1)
    old_key_id = parse_did_key_ring(did_private_key_pem(1)).signing_key_id

    with pytest.raises(CommandError, match=r"BADGES_DID_KEY\. Run with --print"):
        rotate()
    printed = rotate("--print")

    ring = parse_did_key_ring(printed)
    assert ring.signing_key_id != old_key_id
    assert ring.public_key(old_key_id) is not None
    assert printed.count("BEGIN PRIVATE KEY") == 1


def test_the_did_document_follows_site_url_and_costs_no_query(
    client, settings, db, django_assert_num_queries
):
    settings.SITE_URL = "https://mlmath.example.org:8443"

    with django_assert_num_queries(0):
        document = published_document(client)

    assert document["id"] == "did:web:mlmath.example.org%3A8443"
    assert document["verificationMethod"][0]["controller"] == document["id"]


def test_the_resolver_reads_our_keys_and_did_keys_offline_and_nothing_else(tmp_path):
    key_file = tmp_path / "did-keys.pem"
    old = rotate_did_key_file(key_file)
    ring = rotate_did_key_file(key_file)
    did = "did:web:mlmath.example.org"
    resolve = key_resolver(did, ring)
    foreign = parse_did_key_ring(did_private_key_pem(3)).signing_key.public_key()

    assert public_key_multibase(resolve(f"{did}#{old.signing_key_id}")) == old.signing_key_id
    assert public_key_multibase(resolve(did_key_verification_method(foreign))) == (
        public_key_multibase(foreign)
    )
    with pytest.raises(UnresolvableKey, match="never published"):
        resolve(f"{did}#{public_key_multibase(foreign)}")
    with pytest.raises(UnresolvableKey, match="not resolvable offline"):
        resolve("did:web:elsewhere.example#key-1")
    with pytest.raises(UnresolvableKey, match="not resolvable offline"):
        resolve("https://elsewhere.example/keys/1")
    assert did_document(did, ring)["assertionMethod"] == [
        f"{did}#{ring.signing_key_id}",
        f"{did}#{old.signing_key_id}",
    ]
