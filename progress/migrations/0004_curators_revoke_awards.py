"""Curators may revoke degree awards (an admin action with a reason), and nothing more on them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATORS = "Curators"


def let_curators_revoke_awards(apps, schema_editor):
    progress_app = apps.get_app_config("progress")
    progress_app.models_module = True
    create_permissions(progress_app, apps=apps, verbosity=0)
    progress_app.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name=CURATORS)
    curators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="progress", codename="revoke_degreeaward"
        )
    )


def take_back_revocation(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="progress", codename="revoke_degreeaward"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0003_award_sharing_and_revocation"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="degreeaward",
            options={
                "ordering": ["degree__rank", "awarded_at"],
                "permissions": [("revoke_degreeaward", "Can revoke degree awards")],
                "verbose_name": "degree award",
            },
        ),
        migrations.RunPython(let_curators_revoke_awards, take_back_revocation),
    ]
