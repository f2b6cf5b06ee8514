"""Every account gets its profile row when the account is made; a page (a GET) never creates
one, and the first write that needs a missing row makes it."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Profile
from catalog.models import Resource
from tests.factories import PASSWORD, complete
from tests.html import elements

# Every page a signed-in learner opens, and what it answers without a profile row.
LEARNER_PAGES = [
    ("/", 200),
    ("/topics/calculus/", 200),
    ("/degrees/", 200),
    ("/degrees/practitioner/", 200),
    ("/search/?q=eigen", 200),
    ("/progress/", 200),
    ("/account/", 200),
    ("/account/export/", 200),
    ("/account/export/progress.json", 200),
    ("/account/export/progress.csv", 200),
    ("/account/import/", 200),
    ("/account/delete/", 200),
    ("/verify/", 200),
    ("/u/ada/", 404),  # a profile is private until its learner turns it on
]


@pytest.fixture
def learner_without_profile(seed_catalog, learner, client):
    """Ada, signed in, with some history, whose profile row is missing (an account made
    without signals, say by a bulk insert)."""
    complete(learner, Resource.objects.get(slug="keras"))
    Profile.objects.filter(user=learner).delete()
    client.force_login(learner)
    return learner


@pytest.mark.parametrize(("url", "status"), LEARNER_PAGES)
def test_no_learner_page_creates_a_profile_row(client, learner_without_profile, url, status):
    response = client.get(url)

    assert response.status_code == status
    assert not Profile.objects.filter(user=learner_without_profile).exists()


def test_settings_show_the_defaults_without_a_profile_row(client, learner_without_profile):
    response = client.get("/account/")

    assert response.status_code == 200
    [zone] = elements(response, "select", name="time_zone")
    selected = [o for o in elements(zone, "option") if "selected" in dict(o.attributes)]
    assert [dict(o.attributes)["value"] for o in selected] == ["UTC"]
    [goal] = elements(response, "input", name="weekly_goal_hours")
    assert dict(goal.attributes)["value"] == "5"
    assert not Profile.objects.filter(user=learner_without_profile).exists()


def test_saving_settings_creates_the_missing_row(client, learner_without_profile):
    response = client.post(
        "/account/", {"display_name": "Ada L.", "time_zone": "Asia/Tokyo", "weekly_goal_hours": 3}
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=learner_without_profile)
    assert (profile.display_name, profile.time_zone, profile.weekly_goal_hours) == (
        "Ada L.",
        "Asia/Tokyo",
        3,
    )


@pytest.mark.usefixtures("fresh_rate_limits")
def test_signing_up_creates_the_profile(client, db):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "username": "newbie",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert Profile.objects.filter(user__username="newbie").exists()


def test_createsuperuser_creates_the_profile(db):
    call_command(
        "createsuperuser",
        "--noinput",
        "--username=root",
        "--email=root@example.com",
        stdout=StringIO(),
    )

    assert Profile.objects.filter(user__username="root").exists()


def test_an_account_added_in_the_admin_gets_its_profile(client, db):
    admin_user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin_user)

    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "grace",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert Profile.objects.filter(user__username="grace").exists()
