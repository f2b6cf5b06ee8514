"""Reading topics, and a topic that is its own prerequisite refused by the database.

`Topic.prerequisites` keeps its table: the through model Django had made is declared as
`Prerequisite` (state only), then given constraints. A row naming a topic as its own
prerequisite (only raw SQL could have written one: the admin, the importer and the signal
refuse it) is deleted first, since the check could not be added over it.

On SQLite the search index's triggers are dropped first (`install_index` puts them back after
the migrate): the topic table is rebuilt, and a trigger naming it would stop the rebuild.
"""

import django.db.models.deletion
from django.db import migrations, models

from catalog.search import drop_sqlite_triggers


def delete_self_prerequisites(apps, schema_editor):
    Prerequisite = apps.get_model("catalog", "Prerequisite")
    Prerequisite.objects.filter(from_topic=models.F("to_topic")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_search_index"),
    ]

    operations = [
        # Before SQLite rebuilds catalog_topic, both ways (the reverse runs the last step first).
        migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="topic",
            name="is_reading",
            field=models.BooleanField(
                default=False,
                help_text="Shown to learners even without resources: its guidance and the topics it builds on (like Stochastic Processes, which ties Probability and Signal Processing together). Any other topic is hidden from learners until one of its resources is published.",
                verbose_name="reading topic",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Prerequisite",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "from_topic",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalog.topic",
                            ),
                        ),
                        (
                            "to_topic",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalog.topic",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "catalog_topic_prerequisites",
                        "unique_together": {("from_topic", "to_topic")},
                    },
                ),
                migrations.AlterField(
                    model_name="topic",
                    name="prerequisites",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Topics to study before this one.",
                        related_name="dependents",
                        through="catalog.Prerequisite",
                        to="catalog.topic",
                    ),
                ),
            ],
        ),
        migrations.RunPython(delete_self_prerequisites, migrations.RunPython.noop, elidable=True),
        migrations.AlterUniqueTogether(name="prerequisite", unique_together=set()),
        migrations.AlterModelOptions(
            name="prerequisite",
            options={"default_permissions": (), "ordering": ["from_topic", "to_topic"]},
        ),
        migrations.AddConstraint(
            model_name="prerequisite",
            constraint=models.UniqueConstraint(
                fields=("from_topic", "to_topic"), name="prerequisite_once_per_topic"
            ),
        ),
        migrations.AddConstraint(
            model_name="prerequisite",
            constraint=models.CheckConstraint(
                condition=models.Q(("from_topic", models.F("to_topic")), _negated=True),
                name="prerequisite_not_the_topic_itself",
                violation_error_message="A topic cannot be its own prerequisite.",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_sqlite_triggers),
    ]
