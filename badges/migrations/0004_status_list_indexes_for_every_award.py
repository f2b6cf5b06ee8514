"""Every award gets its status list index, shared or not: from now on an award is recorded with
its index (`badges.models.draw_status_list_entries`), and reading a credential never draws one.
Migration 0002 gave one to the awards ever shared; this gives one to every other award, at
random, the same way."""

import secrets

from django.db import migrations
from django.utils import timezone

# As `badges.models` says them today (a migration keeps its own copy of what it relies on).
LIST_LENGTH = 131_072
LIST_CAPACITY = LIST_LENGTH // 2


def draw_indexes_for_every_award(apps, schema_editor):
    DegreeAward = apps.get_model("progress", "DegreeAward")
    StatusListEntry = apps.get_model("badges", "StatusListEntry")
    award_ids = list(
        DegreeAward.objects.filter(status_list_entry__isnull=True)
        .order_by("?")  # the rows' order says nothing: no index tells which award is older
        .values_list("pk", flat=True)
    )
    taken = {}
    for number, index in StatusListEntry.objects.values_list("status_list", "index"):
        taken.setdefault(number, set()).add(index)
    number = max(taken, default=1)
    now = timezone.now()
    entries = []
    for award_id in award_ids:
        indexes = taken.setdefault(number, set())
        if len(indexes) >= LIST_CAPACITY:
            number += 1
            indexes = taken.setdefault(number, set())
        index = secrets.randbelow(LIST_LENGTH)
        while index in indexes:
            index = secrets.randbelow(LIST_LENGTH)
        indexes.add(index)
        entries.append(
            StatusListEntry(award_id=award_id, status_list=number, index=index, created_at=now)
        )
    StatusListEntry.objects.bulk_create(entries, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0003_wallet_exchange"),
    ]

    operations = [
        migrations.RunPython(draw_indexes_for_every_award, migrations.RunPython.noop),
    ]
