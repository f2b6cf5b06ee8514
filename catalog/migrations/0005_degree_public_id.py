import uuid

from django.db import migrations, models

# Existing degrees get an id derived from their slug: the seed fixture carries the same ids,
# so re-loading it after this migration keeps every degree's id (a badge's BadgeClass URL).
DEGREE_ID_NAMESPACE = uuid.UUID("4f9a842a-29a2-53d3-b1b6-4fa331438779")


def give_each_degree_a_public_id(apps, schema_editor):
    Degree = apps.get_model("catalog", "Degree")
    for degree in Degree.objects.only("pk", "slug"):
        degree.public_id = uuid.uuid5(DEGREE_ID_NAMESPACE, degree.slug)
        degree.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_requirement_help_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="degree",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_degree_a_public_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="degree",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Permanent id in the badge documents (a slug may be edited; this never is).",
                unique=True,
            ),
        ),
    ]
