"""Curators may see which resources learners say they already know (they count at once, like
evidence), under Learner progress › Already known resources; they may not change them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATORS = "Curators"


def let_curators_view_known(apps, schema_editor):
    progress_app = apps.get_app_config("progress")
    progress_app.models_module = True
    create_permissions(progress_app, apps=apps, verbosity=0)
    progress_app.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name=CURATORS)
    curators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="progress", codename="view_knownresource"
        )
    )


def take_back_viewing_known(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="progress", codename="view_knownresource"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0008_known_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="KnownResource",
            fields=[],
            options={
                "verbose_name": "already known resource",
                "ordering": ["-updated_at"],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("progress.resourceprogress",),
        ),
        migrations.RunPython(let_curators_view_known, take_back_viewing_known),
    ]
