"""Awards remember when they were first made public, so that only badges that may be held
outside the site have their revocation published (the revocation list, /badges/revocations.json).

Awards older than this record: those shared now count as shared since they were earned (the
earliest they could have been). Revoked ones count as shared too, whatever their state: the
list published them until now, and one shared earlier and made private before its revocation
cannot be told apart from one never shared, so none leaves the list a verifier may rely on.
"""

from django.db import migrations, models
from django.db.models import F, Q


def record_first_sharing_of_older_awards(apps, schema_editor):
    DegreeAward = apps.get_model("progress", "DegreeAward")
    DegreeAward.objects.filter(Q(is_shared=True) | Q(revoked_at__isnull=False)).update(
        first_shared_at=F("awarded_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0005_learner_facing_help_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="degreeaward",
            name="first_shared_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text=(
                    "When the learner first made the badge public; empty if it never was. From "
                    "then on its documents may be held outside the site, so its revocation is "
                    "published."
                ),
                null=True,
            ),
        ),
        migrations.RunPython(record_first_sharing_of_older_awards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="degreeaward",
            name="revocation_reason",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Why it was revoked, for curators only: the badge's page and documents say "
                    "just that the issuer revoked it."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="degreeaward",
            constraint=models.CheckConstraint(
                condition=Q(is_shared=False) | Q(first_shared_at__isnull=False),
                name="shared_award_records_first_sharing",
            ),
        ),
    ]
