"""The migrations to curricula and listings (catalog 0009-0011), from the schema before them with
real rows: a catalog, a learner's progress and evidence, and badges already issued and shared.

After them the same rows are the default curriculum's, each resource is listed where it was,
URLs are canonical (unless two would collide), and every credential issued before keeps its
ids (Open Badges 2.0 assertion and BadgeClass, Open Badges 3.0 credential) and still verifies.
Going back puts each resource in its topic again; it is refused, changing nothing, when the
catalog no longer fits the old schema. Run on SQLite and on PostgreSQL (DATABASE_URL).
"""

import datetime
import json

import pytest
from django.db import connection
from django.urls import reverse

from catalog.models import Curriculum, Degree, Listing, Milestone, Resource, Topic
from catalog.search import install_index
from progress.models import DegreeAward
from tests.badges.credentials import fetch_credential, verified_claims
from tests.html import text
from tests.migrations import migrate, migrate_to_latest

# Today's schema: the catalog before curricula, and progress as it is (awards and all).
BEFORE = [
    ("catalog", "0008_resource_people_keywords_search_synonyms"),
    ("progress", "0009_curators_review_known"),
]
AFTER = [("catalog", "0011_listings_replace_resource_topics")]
ORIGIN = "http://testserver"
AWARDED_AT = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)

# slug: (topic slug, position, URL as stored before, URL after)
RESOURCES = {
    "khan-academy-calculus": (
        "calculus",
        10,
        "https://www.khanacademy.org/math/calculus-home/",
        "https://khanacademy.org/math/calculus-home",
    ),
    "mit-linear-algebra": (
        "linear-algebra",
        20,
        "http://ocw.mit.edu/courses/18-06/?utm_source=list#lecture-21",
        "http://ocw.mit.edu/courses/18-06",
    ),
    # Two spellings of one URL: neither is changed (a curator merges them).
    "the-book": ("linear-algebra", 30, "https://example.org/book/", "https://example.org/book/"),
    "the-book-again": ("calculus", 40, "https://example.org/book", "https://example.org/book"),
}


def build_todays_catalog(apps):
    """In the schema before curricula: the catalog, Ada's work, and her awards, two shared and
    one shared then revoked. Returns what must survive: the rows' ids and public ids."""
    Topic = apps.get_model("catalog", "Topic")
    Resource = apps.get_model("catalog", "Resource")
    Degree = apps.get_model("catalog", "Degree")
    Milestone = apps.get_model("catalog", "Milestone")
    Requirement = apps.get_model("catalog", "Requirement")
    User = apps.get_model("auth", "User")
    ResourceProgress = apps.get_model("progress", "ResourceProgress")
    Evidence = apps.get_model("progress", "Evidence")
    DegreeAward = apps.get_model("progress", "DegreeAward")

    calculus = Topic.objects.create(slug="calculus", title="Calculus", position=10)
    algebra = Topic.objects.create(
        slug="linear-algebra",
        title="Linear Algebra",
        position=20,
        guidance="Eigenvalues and eigenvectors.",
    )
    algebra.prerequisites.add(calculus)
    topics = {"calculus": calculus, "linear-algebra": algebra}
    resources = {
        slug: Resource.objects.create(
            slug=slug, topic=topics[topic], position=position, title=slug.title(), url=url
        )
        for slug, (topic, position, url, _) in RESOURCES.items()
    }
    kaggle = Milestone.objects.create(slug="kaggle", title="Kaggle", description="Compete.")
    practitioner = Degree.objects.create(slug="practitioner", title="Practitioner", rank=1)
    developer = Degree.objects.create(slug="developer", title="Developer", rank=2)
    Requirement.objects.create(
        degree=practitioner, slug="calculus", resource=resources["khan-academy-calculus"]
    )
    Requirement.objects.create(degree=practitioner, slug="kaggle", milestone=kaggle)
    Requirement.objects.create(degree=developer, slug="algebra", topic=algebra, min_count=1)

    ada = User.objects.create(username="ada", email="Ada@Example.org")
    for slug in ("khan-academy-calculus", "mit-linear-algebra"):
        ResourceProgress.objects.create(
            learner=ada,
            resource=resources[slug],
            status="completed",
            started_at=AWARDED_AT,
            completed_at=AWARDED_AT,
        )
    Evidence.objects.create(
        learner=ada,
        milestone=kaggle,
        url="https://kaggle.com/ada/notebook",
        description="My notebook.",
        submitted_at=AWARDED_AT,
    )
    awards = {
        degree.slug: DegreeAward.objects.create(
            learner=ada,
            degree=degree,
            awarded_at=AWARDED_AT,
            is_shared=True,
            first_shared_at=AWARDED_AT,
        )
        for degree in (practitioner, developer)
    }
    grace = User.objects.create(username="grace", email="grace@example.org")
    revoked = DegreeAward.objects.create(
        learner=grace,
        degree=practitioner,
        awarded_at=AWARDED_AT,
        is_shared=False,
        first_shared_at=AWARDED_AT,
        revoked_at=AWARDED_AT,
        revocation_reason="Evidence was someone else's.",
    )
    return {
        "topic_ids": {slug: topic.pk for slug, topic in topics.items()},
        "resource_ids": {slug: resource.pk for slug, resource in resources.items()},
        "degree_ids": {"practitioner": practitioner.pk, "developer": developer.pk},
        "degree_public_ids": {
            "practitioner": practitioner.public_id,
            "developer": developer.public_id,
        },
        "milestone_id": kaggle.pk,
        "award_public_ids": {slug: award.public_id for slug, award in awards.items()},
        "revoked_public_id": revoked.public_id,
    }


def credential_ids(award_public_id, degree_public_id):
    """The ids a badge issued before the migrations carries, as its documents state them."""
    return {
        "assertion": f"{ORIGIN}/badges/{award_public_id}/assertion.json",
        "credential": f"{ORIGIN}/badges/{award_public_id}/credential.jwt",
        "badge_class": f"{ORIGIN}/badges/degrees/{degree_public_id}.json",
    }


def assert_the_catalog_is_the_default_curriculum(before):
    curriculum = Curriculum.objects.get(slug="ml-math")
    assert curriculum.is_published
    assert curriculum.title == "The math you need for machine learning"
    assert dict(Topic.objects.values_list("slug", "pk")) == before["topic_ids"]
    assert dict(Degree.objects.values_list("slug", "pk")) == before["degree_ids"]
    assert dict(Degree.objects.values_list("slug", "public_id")) == before["degree_public_ids"]
    for model in (Topic, Degree, Milestone):
        assert set(model.objects.values_list("curriculum", flat=True)) == {curriculum.pk}
    assert list(Topic.objects.get(slug="linear-algebra").prerequisites.all()) == [
        Topic.objects.get(slug="calculus")
    ]


def assert_each_resource_is_listed_where_it_was(before):
    for slug, (topic, position, _, url) in RESOURCES.items():
        resource = Resource.objects.get(slug=slug)
        assert resource.pk == before["resource_ids"][slug]
        assert resource.url == url
        (listing,) = resource.listings.all()
        assert (listing.topic_id, listing.position) == (before["topic_ids"][topic], position)


def assert_the_badges_keep_their_ids_and_verify(client, before):
    for slug, award_public_id in before["award_public_ids"].items():
        award = DegreeAward.objects.select_related("degree", "learner").get(
            public_id=award_public_id
        )
        assert award.degree_id == before["degree_ids"][slug]
        ids = credential_ids(award_public_id, before["degree_public_ids"][slug])

        assertion = json.loads(client.get(ids["assertion"].removeprefix(ORIGIN)).content)
        assert (assertion["id"], assertion["badge"]) == (ids["assertion"], ids["badge_class"])
        assert "revoked" not in assertion
        badge_class = json.loads(client.get(ids["badge_class"].removeprefix(ORIGIN)).content)
        assert badge_class["id"] == ids["badge_class"]
        assert badge_class["criteria"]["narrative"].startswith(f"To earn the {award.degree.title}")

        claims = verified_claims(client, fetch_credential(client, award))  # signature checked
        assert claims["id"] == claims["jti"] == ids["credential"]
        assert claims["credentialSubject"]["achievement"]["id"] == ids["badge_class"]

        verdict = client.post(reverse("badges:verify"), {"badge": ids["assertion"]})
        assert "Valid: a badge issued by this site" in text(verdict)
    # The Developer badge still asks for the Practitioner's requirements (degrees of one
    # curriculum are cumulative) and counts Ada's completions.
    developer = DegreeAward.objects.get(public_id=before["award_public_ids"]["developer"])
    narrative = json.loads(
        client.get(reverse("badges:badge_class", args=[developer.degree.public_id])).content
    )["criteria"]["narrative"]
    assert "- Complete Khan-Academy-Calculus" in narrative
    assert "- Show evidence: Kaggle" in narrative
    revoked = credential_ids(
        before["revoked_public_id"], before["degree_public_ids"]["practitioner"]
    )
    revocations = json.loads(client.get(reverse("badges:revocation_list")).content)
    assert [entry["id"] for entry in revocations["revokedCredentials"]] == [revoked["credential"]]


def assert_the_old_schema_holds_the_catalog_again(apps, before):
    Resource = apps.get_model("catalog", "Resource")
    DegreeAward = apps.get_model("progress", "DegreeAward")
    for slug, (topic, position, _, url) in RESOURCES.items():
        resource = Resource.objects.get(slug=slug)
        assert (resource.pk, resource.topic_id, resource.position, resource.url) == (
            before["resource_ids"][slug],
            before["topic_ids"][topic],
            position,
            url,  # stays canonical
        )
    assert set(DegreeAward.objects.values_list("public_id", flat=True)) == {
        *before["award_public_ids"].values(),
        before["revoked_public_id"],
    }


@pytest.mark.django_db(transaction=True)
def test_the_catalog_moves_into_the_default_curriculum_and_every_badge_keeps_its_ids(client):
    old_apps = migrate(BEFORE)
    try:
        before = build_todays_catalog(old_apps)

        migrate(AFTER)
        migrate_to_latest()
        install_index(connection)  # what `migrate` runs after the migrations

        assert_the_catalog_is_the_default_curriculum(before)
        assert_each_resource_is_listed_where_it_was(before)
        assert_the_badges_keep_their_ids_and_verify(client, before)
        # The topic's text still finds its resources, now through their listings.
        found = [listing.resource.slug for listing in Listing.objects.search("eigenvalues")]
        assert set(found) == {"mit-linear-algebra", "the-book"}

        old_apps = migrate(BEFORE)
        assert_the_old_schema_holds_the_catalog_again(old_apps, before)
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_going_back_is_refused_and_changes_nothing_once_two_curricula_share_a_slug():
    old_apps = migrate(BEFORE)
    try:
        build_todays_catalog(old_apps)
        migrate(AFTER)
        physics = Curriculum.objects.create(slug="physics", title="Physics")
        Topic.objects.create(curriculum=physics, slug="calculus", title="Calculus for physics")

        with pytest.raises(RuntimeError, match="topic slugs used in several curricula: calculus"):
            migrate(BEFORE)

        assert Topic.objects.filter(slug="calculus").count() == 2
        assert Listing.objects.count() == len(RESOURCES)
    finally:
        migrate_to_latest()
