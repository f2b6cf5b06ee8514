"""Listings replace a resource's topic and position; slugs and ranks become unique per
curriculum (3 of 3).

Going back is possible while the catalog still fits the old schema: every resource listed
somewhere, and no two curricula using the same topic, degree or milestone slug or degree rank.
Otherwise the first step back refuses, saying why, and changes nothing.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

from catalog.search import drop_sqlite_index


def refuse_to_go_back_if_the_old_schema_cannot_hold_the_catalog(apps, schema_editor):
    Resource = apps.get_model("catalog", "Resource")
    problems = []
    unlisted = list(
        Resource.objects.filter(listings__isnull=True).values_list("slug", flat=True)[:5]
    )
    if unlisted:
        problems.append(f"resources listed nowhere (a resource had a topic): {', '.join(unlisted)}")
    for model_name, field in [
        ("Topic", "slug"),
        ("Degree", "slug"),
        ("Degree", "rank"),
        ("Milestone", "slug"),
    ]:
        model = apps.get_model("catalog", model_name)
        shared = list(
            model.objects.values(field)
            .annotate(rows=Count("pk"))
            .filter(rows__gt=1)
            .values_list(field, flat=True)[:5]
        )
        if shared:
            values = ", ".join(map(str, shared))
            problems.append(f"{model_name.lower()} {field}s used in several curricula: {values}")
    if problems:
        raise RuntimeError(
            "catalog.0011 cannot be unapplied: the schema before it cannot hold "
            + "; ".join(problems)
            + ". Nothing was changed."
        )


def slug_per_curriculum(model_name, help_text):
    return migrations.AlterField(
        model_name=model_name,
        name="slug",
        field=models.SlugField(help_text=help_text, max_length=80),
    )


def curriculum_required(model_name):
    return migrations.AlterField(
        model_name=model_name,
        name="curriculum",
        field=models.ForeignKey(
            help_text="The curriculum it belongs to.",
            on_delete=django.db.models.deletion.PROTECT,
            related_name="%(class)ss",
            to="catalog.curriculum",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_place_catalog_in_default_curriculum"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="resource", name="resource_topic_order"),
        migrations.RemoveField(model_name="resource", name="topic"),
        migrations.RemoveField(model_name="resource", name="position"),
        migrations.AlterModelOptions(name="resource", options={"ordering": ["title"]}),
        migrations.AlterField(
            model_name="resource",
            name="url",
            field=models.URLField(
                help_text="Kept in one spelling (catalog/canonical.py): host in lower case, without www., a trailing slash, a fragment or tracking parameters, so the same work is one resource.",
                max_length=500,
                unique=True,
                verbose_name="URL",
            ),
        ),
        curriculum_required("topic"),
        curriculum_required("degree"),
        curriculum_required("milestone"),
        slug_per_curriculum("topic", "Used in the topic's URL; unique within its curriculum."),
        slug_per_curriculum("degree", "Unique within its curriculum."),
        slug_per_curriculum("milestone", "Unique within its curriculum."),
        migrations.AlterField(
            model_name="degree",
            name="rank",
            field=models.PositiveSmallIntegerField(
                help_text="1 is the curriculum's first degree. Degrees are cumulative: each includes every lower one of its curriculum."
            ),
        ),
        migrations.RemoveIndex(model_name="topic", name="topic_curriculum_order"),
        migrations.AddIndex(
            model_name="topic",
            index=models.Index(
                fields=["curriculum", "position", "title"], name="topic_curriculum_order"
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                fields=("curriculum", "slug"),
                name="topic_slug_per_curriculum",
                violation_error_message="This curriculum has a topic with this slug already.",
            ),
        ),
        migrations.AddConstraint(
            model_name="degree",
            constraint=models.UniqueConstraint(
                fields=("curriculum", "slug"),
                name="degree_slug_per_curriculum",
                violation_error_message="This curriculum has a degree with this slug already.",
            ),
        ),
        migrations.AddConstraint(
            model_name="degree",
            constraint=models.UniqueConstraint(
                fields=("curriculum", "rank"),
                name="degree_rank_per_curriculum",
                violation_error_message="This curriculum has a degree of this rank already.",
            ),
        ),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.UniqueConstraint(
                fields=("curriculum", "slug"),
                name="milestone_slug_per_curriculum",
                violation_error_message="This curriculum has a milestone with this slug already.",
            ),
        ),
        # Going back (operations run last to first): SQLite rebuilds the tables above, so the
        # index's triggers go first, and before them, the refusal if the catalog cannot go back.
        migrations.RunPython(migrations.RunPython.noop, drop_sqlite_index),
        migrations.RunPython(
            migrations.RunPython.noop,
            refuse_to_go_back_if_the_old_schema_cannot_hold_the_catalog,
        ),
    ]
