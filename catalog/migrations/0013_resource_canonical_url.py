"""A resource's identity moves out of its link: `canonical_url` (unique) says which work it is,
and `url` keeps the link as written, the one learners open (1 of 2: the field, filled; 0014
makes it unique, in a transaction of its own, as PostgreSQL refuses to alter a table whose rows
were updated earlier in the same transaction).

Every URL so far was stored canonical (catalog.0010), so each resource's canonical URL is
computed from it (`catalog.canonical.canonical_url`) and its link stays as it is: the original
spelling is lost, a re-import of the source list restores it (docs/curators.md). Where
catalog.0010 kept two spellings of one work apart (two resources, for a curator to merge), the
one spelled canonically (else the first by id) gets the canonical URL and each other keeps its
own URL as its identity until merged: they are named in the migration's output.

Going back drops the field; links stay as written, unique as before. SQLite may rebuild the
table: the search index's triggers go first (`install_index` puts them back after the migrate).
"""

from django.db import migrations, models

from catalog.canonical import canonical_url
from catalog.search import drop_sqlite_triggers


def fill_canonical_urls(apps, schema_editor):
    Resource = apps.get_model("catalog", "Resource")
    resources = list(Resource.objects.order_by("pk").only("pk", "url"))
    works = {}
    for resource in resources:
        works.setdefault(canonical_url(resource.url), []).append(resource)
    kept = []
    for canonical, spellings in works.items():
        # The one spelled canonically is the work (URLs are unique: at most one is), else the
        # first; each other keeps its own URL as its identity. That URL is not canonical, so it
        # is no other resource's canonical URL, and URLs are unique: no two collide.
        first = next((r for r in spellings if r.url == canonical), spellings[0])
        for resource in spellings:
            resource.canonical_url = canonical if resource is first else resource.url
            if resource is not first:
                kept.append(resource.url)
    Resource.objects.bulk_update(resources, ["canonical_url"], batch_size=500)
    if kept:
        print(
            f"\n  catalog.0013: {len(kept)} resources are another resource's work spelled "
            "otherwise (merge them in the admin): " + ", ".join(sorted(kept))
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_curators_keep_the_default_curriculum")]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="resource",
            name="canonical_url",
            field=models.CharField("canonical URL", max_length=500, null=True, editable=False),
        ),
        migrations.RunPython(fill_canonical_urls, migrations.RunPython.noop, elidable=False),
        # Going back (last to first), before SQLite rebuilds the table.
        migrations.RunPython(migrations.RunPython.noop, drop_sqlite_triggers),
    ]
