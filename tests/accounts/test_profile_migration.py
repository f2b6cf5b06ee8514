"""The migration that gives every account made before it a profile, so pages never create one."""

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_profiles_for_existing_accounts")]


@pytest.mark.django_db(transaction=True)
def test_accounts_without_a_profile_get_one_and_existing_profiles_are_kept():
    old_apps = migrate(BEFORE)
    User = old_apps.get_model("auth", "User")
    Profile = old_apps.get_model("accounts", "Profile")
    ada = User.objects.create(username="ada", email="ada@example.com")
    bob = User.objects.create(username="bob", email="bob@example.com")
    Profile.objects.create(user=bob, display_name="Bob B.", time_zone="Asia/Tokyo", is_public=True)
    assert not Profile.objects.filter(user=ada).exists()
    try:
        new_apps = migrate(AFTER)
        profiles = {
            profile.user.username: profile
            for profile in new_apps.get_model("accounts", "Profile").objects.select_related("user")
        }
        assert sorted(profiles) == ["ada", "bob"]
        ada_profile, bob_profile = profiles["ada"], profiles["bob"]
        assert (ada_profile.display_name, ada_profile.time_zone, ada_profile.is_public) == (
            "",
            "UTC",
            False,
        )
        assert ada_profile.weekly_goal_hours == 5
        assert (bob_profile.display_name, bob_profile.time_zone, bob_profile.is_public) == (
            "Bob B.",
            "Asia/Tokyo",
            True,
        )
    finally:
        migrate_to_latest()
