"""Passwords are hashed with Argon2id; PBKDF2 hashes from before are upgraded at sign-in.

The rest of the suite uses a fast hasher (tests/settings.py); these tests use the real list.
"""

import pytest
from django.contrib.auth.hashers import make_password

from mlmath import settings as production_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _production_hashers(settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS


def test_new_passwords_are_hashed_with_argon2id(django_user_model):
    learner = django_user_model.objects.create_user("ada", password=PASSWORD)

    assert learner.password.startswith("argon2$argon2id$")


def test_a_pbkdf2_hash_still_signs_in_and_is_upgraded_to_argon2id(client, django_user_model):
    learner = django_user_model.objects.create_user("ada")
    learner.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    learner.save()

    response = client.post("/accounts/login/", {"login": "ada", "password": PASSWORD})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.password.startswith("argon2$argon2id$")
    assert client.get("/progress/").status_code == 200
