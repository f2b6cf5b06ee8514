"""The catalog as it was becomes the default curriculum (2 of 3).

- The default curriculum (`DEFAULT_CURRICULUM`, ml-math unless set) is made, published, with
  the seed's title and source (fixtures/catalog.json), if it does not exist; curators may
  retitle it in the admin. It is made on an empty database too: the site's pages, the admin and
  the awesome-list import put what is new in it.
- Every topic, degree and milestone is placed in it; ids, slugs and degrees' public ids stay,
  so every badge issued keeps its id.
- Every resource gets one listing: its topic and its position there.
- The Curators group may edit curricula and listings, as it edits the rest of the catalog.
- Every resource's URL is stored canonical (`catalog.canonical.canonical_url`), unless another
  resource's URL has the same canonical spelling: those are kept as they were, and named in the
  migration's output, for a curator to merge.

Going back copies each resource's first listing (the default curriculum's, else the first
curriculum's) back to its topic and position; URLs stay canonical.
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Case, Value, When

from catalog.canonical import canonical_url

ML_MATH = {
    "title": "The math you need for machine learning",
    # The source list's own words (fixtures/sources/awesomeMLmath-README.md).
    "summary": "Curated list to learn the math basics for machine learning.",
    "guidance": (
        "Note that this is a biased list from a Deep Learning researcher.\n\n"
        "The main topics are Calculus, Linear Algebra, Statistics, Probability and Signal "
        "Processing."
    ),
    "source_url": "https://github.com/EderSantana/awesomeMLmath",
    "licence": "MIT",
    "is_published": True,
}


def place_catalog_in_default_curriculum(apps, schema_editor):
    Curriculum = apps.get_model("catalog", "Curriculum")
    Listing = apps.get_model("catalog", "Listing")
    Resource = apps.get_model("catalog", "Resource")
    curriculum, _ = Curriculum.objects.get_or_create(
        slug=settings.DEFAULT_CURRICULUM, defaults=ML_MATH
    )
    for model_name in ("Topic", "Degree", "Milestone"):
        model = apps.get_model("catalog", model_name)
        model.objects.filter(curriculum__isnull=True).update(curriculum=curriculum)
    Listing.objects.bulk_create(
        Listing(resource_id=resource_id, topic_id=topic_id, position=position)
        for resource_id, topic_id, position in Resource.objects.filter(
            topic__isnull=False, listings__isnull=True
        ).values_list("pk", "topic_id", "position")
    )
    grant_curators_curricula_and_listings(apps)
    store_canonical_urls(Resource)


def grant_curators_curricula_and_listings(apps):
    catalog_app = apps.get_app_config("catalog")
    catalog_app.models_module = True
    create_permissions(catalog_app, apps=apps, verbosity=0)
    catalog_app.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="catalog", content_type__model__in=["curriculum", "listing"]
        )
    )


def store_canonical_urls(Resource):
    by_canonical_url = {}
    for pk, url in Resource.objects.values_list("pk", "url"):
        by_canonical_url.setdefault(canonical_url(url), []).append((pk, url))
    kept = []
    for canonical, resources in by_canonical_url.items():
        if len(resources) > 1:
            kept += [url for _, url in resources]
            continue
        ((pk, url),) = resources
        if url != canonical:
            Resource.objects.filter(pk=pk).update(url=canonical)
    if kept:
        print(
            f"\n  catalog.0010: {len(kept)} resource URLs kept as they were, since another "
            "resource's URL is the same once canonical (merge them in the admin): "
            + ", ".join(sorted(kept))
        )


def copy_first_listings_back(apps, schema_editor):
    Listing = apps.get_model("catalog", "Listing")
    Resource = apps.get_model("catalog", "Resource")
    in_default = Case(
        When(topic__curriculum__slug=settings.DEFAULT_CURRICULUM, then=Value(0)), default=Value(1)
    )
    first = {}
    for listing in Listing.objects.order_by(
        in_default, "topic__curriculum__position", "topic__curriculum_id", "pk"
    ):
        first.setdefault(listing.resource_id, listing)
    for resource_id, listing in first.items():
        Resource.objects.filter(pk=resource_id).update(
            topic_id=listing.topic_id, position=listing.position
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_curricula_and_listings"),
    ]

    operations = [
        migrations.RunPython(place_catalog_in_default_curriculum, copy_first_listings_back),
    ]
