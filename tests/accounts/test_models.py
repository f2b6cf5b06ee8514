import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Profile, display_name, profile_for
from accounts.time_zones import time_zone_names


def test_a_new_account_gets_a_private_profile_in_utc(learner):
    profile = learner.profile
    assert profile.time_zone == "UTC"
    assert profile.is_public is False
    assert profile.weekly_goal_hours == 5


def test_display_name_falls_back_to_the_username_never_the_email(learner):
    assert display_name(learner) == "ada"
    learner.profile.display_name = "Ada Lovelace"
    learner.profile.save()
    assert display_name(get_user_model().objects.get(pk=learner.pk)) == "Ada Lovelace"


def test_display_name_of_an_account_without_profile_is_its_username(learner):
    Profile.objects.filter(user=learner).delete()
    fresh = get_user_model().objects.get(pk=learner.pk)
    assert display_name(fresh) == "ada"
    assert "@" not in display_name(fresh)


def test_reading_a_missing_profile_gives_the_defaults_and_writes_nothing(learner):
    Profile.objects.filter(user=learner).delete()
    fresh = get_user_model().objects.get(pk=learner.pk)
    profile = profile_for(fresh)
    assert (profile.user, profile.time_zone, profile.weekly_goal_hours) == (fresh, "UTC", 5)
    assert not Profile.objects.filter(user=learner).exists()


def test_a_write_creates_a_missing_profile_once(learner):
    Profile.objects.filter(user=learner).delete()
    fresh = get_user_model().objects.get(pk=learner.pk)
    assert Profile.objects.for_user(fresh) == Profile.objects.for_user(fresh)
    assert Profile.objects.filter(user=learner).count() == 1


def test_zone_is_the_learners_iana_zone(learner):
    learner.profile.time_zone = "Asia/Tokyo"
    assert str(learner.profile.zone) == "Asia/Tokyo"


def test_time_zone_names_are_iana_names():
    names = time_zone_names()
    assert "Asia/Tokyo" in names
    assert "Europe/London" in names
    assert "localtime" not in names


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus_Mons"), ("display_name", "ada@example.com")],
)
def test_model_validation_refuses_bad_values(learner, field, value):
    setattr(learner.profile, field, value)
    with pytest.raises(ValidationError) as error:
        learner.profile.full_clean()
    assert field in error.value.message_dict


def test_database_refuses_a_weekly_goal_out_of_range(learner):
    with pytest.raises(IntegrityError):
        Profile.objects.filter(pk=learner.profile.pk).update(weekly_goal_hours=0)


def test_signing_up_creates_the_profile(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "grace@example.com",
            "username": "grace",
            "password1": "a-long-unguessable-passphrase",
            "password2": "a-long-unguessable-passphrase",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="grace")
    assert Profile.objects.get(user=user).is_public is False
