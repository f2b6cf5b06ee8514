"""Revoke the awards of accounts deleted in the admin or the shell before such deletions
revoked them (`accounts.signals`): their learner is empty, yet their badges still verified as
valid. The reason is the one `accounts.services.ACCOUNT_DELETED_REASON` gives today, written out
because a migration must not change when that wording does.
"""

from django.db import migrations
from django.utils import timezone

ACCOUNT_DELETED_REASON = "The learner deleted their account."


def revoke_awards_of_deleted_accounts(apps, schema_editor):
    DegreeAward = apps.get_model("progress", "DegreeAward")
    DegreeAward.objects.filter(learner__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revocation_reason=ACCOUNT_DELETED_REASON
    )


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0006_award_first_shared_at"),
    ]

    operations = [
        # Not undone: a revocation is a promise to verifiers, never taken back.
        migrations.RunPython(revoke_awards_of_deleted_accounts, migrations.RunPython.noop),
    ]
