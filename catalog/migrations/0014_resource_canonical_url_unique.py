"""Every resource's canonical URL is unique, and its link as written no longer needs to be
(2 of 2, after catalog.0013 filled it). SQLite rebuilds the table: the search index's triggers
go first, either way (`install_index` puts them back after the migrate)."""

from django.db import migrations, models

from catalog.search import drop_sqlite_triggers


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_resource_canonical_url")]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="resource",
            name="canonical_url",
            field=models.CharField(
                "canonical URL",
                max_length=500,
                unique=True,
                editable=False,
                help_text=(
                    "The URL in one spelling (catalog/canonical.py): host in lower case, without "
                    "www., a trailing slash, a fragment or tracking parameters. One resource per "
                    "work."
                ),
            ),
        ),
        migrations.AlterField(
            model_name="resource",
            name="url",
            field=models.URLField(
                "URL",
                max_length=500,
                help_text=(
                    "The link as written, the one learners open. The same work spelled otherwise "
                    "(www., a trailing slash, tracking parameters...) is this resource: see the "
                    "canonical URL."
                ),
            ),
        ),
        # Going back (last to first), before SQLite rebuilds the table.
        migrations.RunPython(migrations.RunPython.noop, drop_sqlite_triggers),
    ]
