"""Curricula, and listings that place a resource in a curriculum's topic (1 of 3).

The tables and columns come first, nullable where rows exist: 0010 fills them (the existing
catalog becomes the default curriculum, each resource listed where it was) and 0011 removes
what they replace. Three migrations, so that each runs in a transaction of its own: PostgreSQL
refuses to alter a table whose rows were updated earlier in the same transaction.

The search index is dropped here and installed afresh after the migrate
(`catalog.search.install_index`): on SQLite it is now a row per listing, not per resource, and
its triggers would stop SQLite from rebuilding the tables changed here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import catalog.models
from catalog.search import drop_sqlite_index


def curriculum_of(model_name, help_text):
    return migrations.AddField(
        model_name=model_name,
        name="curriculum",
        field=models.ForeignKey(
            null=True,
            help_text=help_text,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="%(class)ss",
            to="catalog.curriculum",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_resource_people_keywords_search_synonyms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Before the tables change (going back, 0011 has dropped it already).
        migrations.RunPython(drop_sqlite_index, migrations.RunPython.noop),
        migrations.CreateModel(
            name="Curriculum",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="Used in the curriculum's URLs; not one of the site's own (admin, topics, ...).",
                        max_length=80,
                        unique=True,
                        validators=[catalog.models.validate_curriculum_slug],
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "summary",
                    models.CharField(
                        blank=True, help_text="One sentence shown under the title.", max_length=300
                    ),
                ),
                (
                    "guidance",
                    models.TextField(
                        blank=True,
                        help_text="The curators' advice on working through it (Markdown).",
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        help_text="The list it comes from, e.g. the awesome list's repository.",
                        max_length=500,
                        verbose_name="source URL",
                    ),
                ),
                (
                    "licence",
                    models.CharField(
                        blank=True,
                        help_text="The source list's licence, e.g. MIT or CC0-1.0.",
                        max_length=100,
                    ),
                ),
                (
                    "is_published",
                    models.BooleanField(
                        default=False,
                        help_text="Unpublished curricula are for curators only, until they are ready.",
                        verbose_name="published",
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(
                        default=0, help_text="Order among the curricula; lower comes first."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "curators",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Staff who keep this curriculum.",
                        related_name="curated_curricula",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "curricula",
                "ordering": ["position", "title"],
            },
        ),
        curriculum_of("topic", "The curriculum it belongs to."),
        curriculum_of("degree", "The curriculum it belongs to."),
        curriculum_of("milestone", "The curriculum it belongs to."),
        migrations.CreateModel(
            name="Listing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(default=0, help_text="Order within its topic."),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="listings",
                        to="catalog.resource",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        help_text="Moving a resource to another topic keeps every learner's progress on it.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="listings",
                        to="catalog.topic",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "indexes": [
                    models.Index(
                        fields=["topic", "position", "resource"], name="listing_topic_order"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("topic", "resource"),
                        name="listing_once_per_topic",
                        violation_error_message="The resource is listed in this topic already.",
                    )
                ],
            },
        ),
        # Nullable from here, so that going back can add it again before 0010 fills it.
        migrations.AlterField(
            model_name="resource",
            name="topic",
            field=models.ForeignKey(
                null=True,
                help_text="Moving a resource to another topic keeps every learner's progress on it.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="resources",
                to="catalog.topic",
            ),
        ),
    ]
