"""Curators now keep curricula of their own (`Curriculum.curators`), and the admin shows each
only theirs: every member of the Curators group so far keeps the default curriculum, as before.
Reversing leaves the curators of every curriculum as they are."""

from django.conf import settings
from django.db import migrations


def curators_keep_the_default_curriculum(apps, schema_editor):
    Curriculum = apps.get_model("catalog", "Curriculum")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    curriculum = Curriculum.objects.filter(slug=settings.DEFAULT_CURRICULUM).first()
    if curriculum is not None:
        curriculum.curators.add(*User.objects.filter(groups__name="Curators"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_listings_replace_resource_topics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(curators_keep_the_default_curriculum, migrations.RunPython.noop)
    ]
