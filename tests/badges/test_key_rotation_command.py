"""`rotate_badge_signing_key` and the deployment check that production has a signing key."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from badges.checks import badge_signing_key_check
from badges.signing import parse_key_ring
from tests.badges.keys import private_key_pem


def rotate(*args):
    output = StringIO()
    call_command("rotate_badge_signing_key", *args, stdout=output)
    return output.getvalue()


def published_kids(client):
    return [key["kid"] for key in json.loads(client.get(reverse("badges:jwks")).content)["keys"]]


def test_rotating_the_key_file_publishes_both_keys_and_signs_with_the_new_one(
    client, settings, tmp_path, db
):
    key_file = tmp_path / "keys.pem"
    key_file.write_text(private_key_pem(1), encoding="ascii")
    settings.BADGES_SIGNING_KEY_FILE = str(key_file)
    old_key_id = parse_key_ring(private_key_pem(1)).signing_key_id

    output = rotate()

    new_key_id = parse_key_ring(key_file.read_text()).signing_key_id
    assert f"New signing key {new_key_id}" in output
    assert f"The previous key {old_key_id} stays published" in output
    kids = published_kids(client)
    assert kids[0].endswith(f"/badges/keys/{new_key_id}.json")
    assert kids[1].endswith(f"/badges/keys/{old_key_id}.json")


def test_a_key_ring_from_the_environment_is_rotated_by_printing_it(settings):
    settings.BADGES_SIGNING_KEY = private_key_pem(1)
    old_key_id = parse_key_ring(private_key_pem(1)).signing_key_id

    with pytest.raises(CommandError, match="Run with --print"):
        rotate()
    printed = rotate("--print")

    ring = parse_key_ring(printed)
    assert ring.signing_key_id != old_key_id
    assert ring.public_key(old_key_id) is not None
    assert printed.count("BEGIN PRIVATE KEY") == 1


def test_rotation_without_any_key_configured_says_what_to_set(settings):
    settings.BADGES_SIGNING_KEY_FILE = ""

    with pytest.raises(CommandError, match="BADGES_SIGNING_KEY_FILE"):
        rotate()


def test_the_deployment_check_fails_without_a_signing_key(settings):
    settings.BADGES_SIGNING_KEY_FILE = ""

    errors = badge_signing_key_check(None)

    assert [error.id for error in errors] == ["badges.E001"]
    assert "No badge signing key" in errors[0].msg


def test_the_deployment_check_passes_with_a_usable_key(settings):
    settings.BADGES_SIGNING_KEY = private_key_pem(1)

    assert badge_signing_key_check(None) == []


def test_rotating_a_missing_key_file_creates_the_first_key(settings, tmp_path):
    key_file = tmp_path / "secrets" / "keys.pem"
    settings.BADGES_SIGNING_KEY_FILE = str(key_file)

    output = rotate()

    ring = parse_key_ring(key_file.read_text())
    assert f"New signing key {ring.signing_key_id}" in output
    assert "previous key" not in output
    assert len(ring.public_keys) == 1
