"""Signing keys: where they come from, generation in development, rotation, bad key rings."""

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from badges.signing import (
    KeyRingError,
    key_id,
    load_key_ring,
    parse_key_ring,
    rotate_key_file,
    rotated_key_ring_pem,
)
from tests.badges.keys import private_key_pem


def test_the_last_private_key_signs_and_every_key_is_published():
    first, second = private_key_pem(1), private_key_pem(2)

    ring = parse_key_ring(first + second)

    assert ring.signing_key_id == key_id(parse_key_ring(second).signing_key)
    assert [key_id(key) for key in ring.public_keys] == [
        key_id(parse_key_ring(first).signing_key),
        ring.signing_key_id,
    ]
    assert all(not key.is_private for key in ring.public_keys)


def test_rotation_keeps_old_keys_public_only_and_signs_with_the_new_one():
    original = private_key_pem(1)
    original_id = parse_key_ring(original).signing_key_id

    rotated = rotated_key_ring_pem(original)
    ring = parse_key_ring(rotated)

    assert ring.signing_key_id != original_id
    assert ring.public_key(original_id) is not None
    assert rotated.count("PRIVATE KEY-----") == 2  # one BEGIN/END pair: the new key only
    assert rotated.count("BEGIN PUBLIC KEY") == 1


def test_a_key_ring_pasted_with_escaped_newlines_is_read():
    pem = private_key_pem(1)

    ring = parse_key_ring(pem.replace("\n", "\\n"))

    assert ring.signing_key_id == parse_key_ring(pem).signing_key_id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "holds no RSA private key"),
        ("not a key at all", "holds no RSA private key"),
        (
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "is a CERTIFICATE, not an RSA key",
        ),
        (
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
            "is not a readable RSA key",
        ),
    ],
)
def test_an_unusable_key_ring_is_refused_with_the_reason(text, message):
    with pytest.raises(KeyRingError, match=message):
        parse_key_ring(text)


def test_a_public_key_alone_cannot_sign():
    public_only = parse_key_ring(private_key_pem(1)).signing_key.as_pem().decode()

    with pytest.raises(KeyRingError, match="holds no RSA private key"):
        parse_key_ring(public_only)


def test_the_environment_variable_wins_over_the_file(settings):
    pem = private_key_pem(2)
    settings.BADGES_SIGNING_KEY = pem

    assert load_key_ring().signing_key_id == parse_key_ring(pem).signing_key_id


def test_development_generates_a_private_key_file_on_first_use(settings, tmp_path):
    key_file = tmp_path / "var" / "keys.pem"
    settings.DEBUG = True
    settings.BADGES_SIGNING_KEY_FILE = str(key_file)

    ring = load_key_ring()

    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_key_ring().signing_key_id == ring.signing_key_id  # generated once, then reused


def test_production_refuses_a_missing_key_file(settings, tmp_path):
    settings.BADGES_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")

    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        load_key_ring()
    assert not (tmp_path / "missing.pem").exists()


def test_production_refuses_to_sign_without_any_key(settings):
    settings.BADGES_SIGNING_KEY = ""
    settings.BADGES_SIGNING_KEY_FILE = ""

    with pytest.raises(ImproperlyConfigured, match="No badge signing key"):
        load_key_ring()


def test_a_bad_key_in_the_environment_names_the_variable(settings):
    settings.BADGES_SIGNING_KEY = "-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----"

    with pytest.raises(ImproperlyConfigured, match="BADGES_SIGNING_KEY cannot be used"):
        load_key_ring()


def test_rotating_a_key_file_switches_the_signing_key_and_keeps_the_old_one(settings, tmp_path):
    key_file = tmp_path / "keys.pem"
    key_file.write_text(private_key_pem(1), encoding="ascii")
    settings.BADGES_SIGNING_KEY_FILE = str(key_file)
    before = load_key_ring().signing_key_id

    rotate_key_file(key_file)
    after = load_key_ring()

    assert after.signing_key_id != before
    assert after.public_key(before) is not None
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
