"""The status "Skipped (already known)" becomes "Already known", which counts toward degrees.

Rows and activity stored as `skipped` are renamed `known` in place: they meant the learner
already knew the resource, which now counts like a completion. The check constraint on the
status is dropped first (it refuses `known`) and made again with the new values.
"""

from django.db import migrations, models

STATUS_CHOICES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
    ("known", "Already known"),
]


def rename_status(old, new):
    def rename(apps, schema_editor):
        for model_name in ("ResourceProgress", "Activity"):
            model = apps.get_model("progress", model_name)
            model.objects.filter(status=old).update(status=new)

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0007_revoke_awards_of_deleted_accounts"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="resourceprogress",
            name="progress_status_valid",
        ),
        migrations.AlterField(
            model_name="activity",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="resourceprogress",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="not_started", max_length=20),
        ),
        migrations.RunPython(rename_status("skipped", "known"), rename_status("known", "skipped")),
        migrations.AddConstraint(
            model_name="resourceprogress",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=["not_started", "in_progress", "completed", "known"]),
                name="progress_status_valid",
            ),
        ),
    ]
