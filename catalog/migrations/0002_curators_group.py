"""Create the "Curators" group: full rights on the catalog models, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATORS = "Curators"


def grant_catalog_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    catalog_app = apps.get_app_config("catalog")
    catalog_app.models_module = True
    create_permissions(catalog_app, apps=apps, verbosity=0)
    catalog_app.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name=CURATORS)
    curators.permissions.add(*Permission.objects.filter(content_type__app_label="catalog"))


def remove_curators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_catalog_permissions, remove_curators)]
