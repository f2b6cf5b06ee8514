"""Every account has its profile row: new accounts get one when they are made (a signal), and
this gives one to accounts made before, so that no page has to create it on a GET."""

from django.conf import settings
from django.db import migrations


def give_every_account_a_profile(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Profile = apps.get_model("accounts", "Profile")
    without_profile = User.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    Profile.objects.bulk_create(
        [Profile(user_id=user_id) for user_id in without_profile.iterator()],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(give_every_account_a_profile, migrations.RunPython.noop),
    ]
