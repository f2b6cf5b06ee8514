"""Catalog migrations 0013-0014, from the schema before them with real rows: every resource keeps
its link and gains its canonical URL (unique from then on); two spellings of one work that
catalog.0010 kept apart stay two resources, named for a curator to merge; a learner's progress
stays. Going back drops the field and changes no link. Run on SQLite and on PostgreSQL
(DATABASE_URL)."""

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from catalog.models import Resource
from tests.migrations import migrate, migrate_to_latest

COMPLETED_AT = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
PROGRESS = ("progress", "0010_following")
BEFORE = [("catalog", "0012_curators_keep_the_default_curriculum"), PROGRESS]
AFTER = [("catalog", "0014_resource_canonical_url_unique"), PROGRESS]

# slug: (URL as stored before, canonical URL after)
RESOURCES = {
    # Stored canonical by catalog.0010: its link stays so (its spelling is lost).
    "calculus": (
        "https://khanacademy.org/math/calculus-home",
        "https://khanacademy.org/math/calculus-home",
    ),
    # Kept apart by catalog.0010, the trailing slash first: the canonical spelling is the work.
    "the-book": ("https://example.org/book/", "https://example.org/book/"),
    "the-book-again": ("https://example.org/book", "https://example.org/book"),
    # Kept apart, neither canonical: the first by id is the work.
    "notes": ("https://www.example.org/notes#one", "https://example.org/notes"),
    "notes-again": ("https://example.org/notes/", "https://example.org/notes/"),
}


def build_catalog(apps):
    Curriculum = apps.get_model("catalog", "Curriculum")
    Topic = apps.get_model("catalog", "Topic")
    Resource = apps.get_model("catalog", "Resource")
    Listing = apps.get_model("catalog", "Listing")
    User = apps.get_model("auth", "User")
    ResourceProgress = apps.get_model("progress", "ResourceProgress")
    # get_or_create: a transactional test run before this one flushed the migrations' rows.
    curriculum, _ = Curriculum.objects.get_or_create(
        slug=settings.DEFAULT_CURRICULUM, defaults={"title": "ML math", "is_published": True}
    )
    topic = Topic.objects.create(curriculum=curriculum, slug="calculus", title="Calculus")
    resources = {}
    for position, (slug, (url, _)) in enumerate(RESOURCES.items()):
        resources[slug] = Resource.objects.create(slug=slug, title=slug.title(), url=url)
        Listing.objects.create(resource=resources[slug], topic=topic, position=position)
    ada = User.objects.create(username="ada", email="ada@example.com")
    ResourceProgress.objects.create(
        learner=ada,
        resource=resources["calculus"],
        status="completed",
        completed_at=COMPLETED_AT,
        note="Done.",
    )
    return {slug: resource.pk for slug, resource in resources.items()}


@pytest.mark.django_db(transaction=True)
def test_resources_keep_their_links_and_gain_unique_canonical_urls(capsys):
    try:
        ids = build_catalog(migrate(BEFORE))

        new_apps = migrate(AFTER)

        NewResource = new_apps.get_model("catalog", "Resource")
        for slug, (url, canonical) in RESOURCES.items():
            resource = NewResource.objects.get(pk=ids[slug])
            assert (resource.slug, resource.url, resource.canonical_url) == (slug, url, canonical)
        output = capsys.readouterr().out
        assert "catalog.0013: 2 resources are another resource's work spelled otherwise" in output
        assert "https://example.org/book/, https://example.org/notes/" in output
        with pytest.raises(IntegrityError), transaction.atomic():
            NewResource.objects.create(
                slug="khan", title="Khan", url="https://www.khanacademy.org/math/calculus-home/",
                canonical_url="https://khanacademy.org/math/calculus-home",
            )  # fmt: skip
        progress = new_apps.get_model("progress", "ResourceProgress").objects.get()
        assert (progress.resource_id, progress.status, progress.note) == (
            ids["calculus"],
            "completed",
            "Done.",
        )

        old_apps = migrate(BEFORE)

        OldResource = old_apps.get_model("catalog", "Resource")
        assert {r.pk: r.url for r in OldResource.objects.all()} == {
            ids[slug]: url for slug, (url, _) in RESOURCES.items()
        }
        assert "canonical_url" not in {f.name for f in OldResource._meta.get_fields()}

        migrate_to_latest()

        # Today's code: a link as written, known by its canonical URL.
        calculus = Resource.objects.get(canonical_url="https://khanacademy.org/math/calculus-home")
        calculus.url = "https://www.khanacademy.org/math/calculus-home/"
        calculus.full_clean()
        calculus.save()
        calculus.refresh_from_db()
        assert calculus.canonical_url == "https://khanacademy.org/math/calculus-home"
    finally:
        migrate_to_latest()
