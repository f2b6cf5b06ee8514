"""Factories for tests: model_bakery recipes that fill in whatever a test does not care about.

Every recipe makes a valid row with a unique slug, title and URL, so a test names only the
fields it is about: `make_topic(title="Calculus")`, `make_resource(topic, is_published=False)`.
Topics, degrees and milestones go in the default curriculum (`DEFAULT_CURRICULUM`, made when a
flushed database has none) unless a test gives another (`make_curriculum()`); a resource is
made with its listing in a topic (`make_resource(topic, position=3)`).
Learners are made with a real password (`PASSWORD`), and their progress goes through the same
services the views call, so awards and activity are recorded as they would be for a user.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from model_bakery.recipe import Recipe, foreign_key, seq

from badges.ob3 import CredentialFacts, recipient_identity_hash
from catalog.models import (
    Curriculum,
    Degree,
    Listing,
    Milestone,
    Requirement,
    Resource,
    SearchSynonym,
    Topic,
)
from mlmath.invalidation import bump_catalog_version
from progress.models import DegreeAward, Evidence
from progress.services import review_evidence, set_resource_status, submit_evidence

PASSWORD = "correct-horse-battery-staple-42"


def default_curriculum():
    """The default curriculum: the one the migrations made, or (after a test flushed the
    database) a new one of the same slug, as `loaddata catalog` would make it."""
    curriculum, _ = Curriculum.objects.get_or_create(
        slug=settings.DEFAULT_CURRICULUM,
        defaults={"title": "The math you need for machine learning", "is_published": True},
    )
    return curriculum


curriculum = Recipe(
    Curriculum, slug=seq("curriculum-"), title=seq("Curriculum "), is_published=True
)
topic = Recipe(
    Topic,
    curriculum=default_curriculum,
    slug=seq("topic-"),
    title=seq("Topic "),
    position=seq(0),
)
resource = Recipe(
    Resource,
    slug=seq("resource-"),
    title=seq("Resource "),
    url=seq("https://example.org/resources/"),
    is_published=True,
)
listing_positions = seq(0)
milestone = Recipe(
    Milestone,
    curriculum=default_curriculum,
    slug=seq("milestone-"),
    title=seq("Milestone "),
    description="Show your work.",
    position=seq(0),
)
# Ranks start high so they never collide with the ranks tests give on purpose (1, 2, 3).
degree = Recipe(
    Degree, curriculum=default_curriculum, slug=seq("degree-"), title=seq("Degree "), rank=seq(100)
)
requirement = Recipe(Requirement, degree=foreign_key(degree), slug=seq("requirement-"))
# Terms are one lower-case word (a database constraint).
search_synonym = Recipe(SearchSynonym, term=seq("term"), expansions="an expansion")


# `make_x(**fields)` makes one row; the functions below also take the parent row positionally.
make_curriculum = curriculum.make
make_topic = topic.make
make_milestone = milestone.make
make_degree = degree.make
make_search_synonym = search_synonym.make


def make_resource(topic=None, *, position=None, **fields):
    """A resource listed in `topic` (a new topic of the default curriculum if None) at
    `position` (after the ones made before it if None); `topic=False` lists it nowhere."""
    made = resource.make(**fields)
    if topic is not False:
        list_resource(made, topic or make_topic(), position=position)
    return made


def list_resource(resource, topic, *, position=None):
    """List `resource` in `topic` too (another curriculum's, say); return the listing."""
    if position is None:
        position = next(listing_positions)
    return Listing.objects.create(resource=resource, topic=topic, position=position)


def make_resources(topic, count, *, position=None, **fields):
    """Many published resources listed in one topic (all at `position` if given), in two
    INSERTs, then cached catalog pages made stale, as every bulk writer must (a bulk write
    sends no signals)."""
    resources = Resource.objects.bulk_create(resource.prepare(_quantity=count, **fields))
    Listing.objects.bulk_create(
        Listing(
            resource=made,
            topic=topic,
            position=next(listing_positions) if position is None else position,
        )
        for made in resources
    )
    bump_catalog_version()
    return resources


def make_requirement(degree=None, **fields):
    """A requirement of `degree`; pass exactly one target: resource=, topic= or milestone=."""
    if degree is not None:
        fields["degree"] = degree
    return requirement.make(**fields)


def make_learner(username="ada", **fields):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD, **fields
    )


def at(text):
    """An aware UTC datetime from ISO text such as "2026-03-11T14:30", for rows made at a time."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def complete(learner, *resources, status="completed"):
    """Mark resources completed (or another status) the way the learner's button does."""
    for resource in resources:
        set_resource_status(learner=learner, resource=resource, status=status)


def give_evidence(learner, *milestones):
    """Submit evidence for milestones the way the learner's form does."""
    for milestone in milestones:
        submit_evidence(
            learner=learner,
            milestone=milestone,
            url=f"https://example.org/{learner.username}/{milestone.slug}",
            description=f"My work for {milestone.slug}.",
        )


def review_all_evidence(state, note=""):
    """Review every piece of evidence at once, the way a curator's admin action does."""
    review_evidence(
        evidence_ids=list(Evidence.objects.values_list("pk", flat=True)),
        state=state,
        reviewer=None,
        note=note,
    )


BADGE_ORIGIN = "https://mlmath.example.org"


def earn_seed_practitioner(learner):
    """With the seed catalog (or the progress tests' `study_catalog`, which keeps its slugs)
    loaded: meet the Practitioner requirements the way a learner does (Keras, XGboost, evidence
    for the Kaggle milestone); return the award."""
    give_evidence(learner, Milestone.objects.get(slug="kaggle-keras-xgboost"))
    complete(learner, *Resource.objects.filter(slug__in=["keras", "xgboost"]))
    return DegreeAward.objects.valid().get(learner=learner, degree__slug="practitioner")


def make_credential_facts(**changes):
    """The facts of an Open Badges 3.0 credential, as plain data, before it is signed."""
    facts = {
        "credential_id": f"{BADGE_ORIGIN}/badges/6f1c/credential.jwt",
        "subject_id": "urn:uuid:0f0c2ad5-65a5-5a1d-9a5a-3d0e9f6c1b2a",
        "issuer_id": f"{BADGE_ORIGIN}/badges/issuer",
        "issuer_name": "mlmath",
        "issuer_url": BADGE_ORIGIN,
        "achievement_id": f"{BADGE_ORIGIN}/badges/degrees/1234",
        "achievement_name": "Practitioner",
        "achievement_description": "Can use the mathematics of machine learning.",
        "criteria_narrative": "Complete every Calculus resource.",
        "achievement_image_url": f"{BADGE_ORIGIN}/badges/degrees/1234/image.png",
        "awarded_at": datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=UTC),
        "identity_hash": recipient_identity_hash("Ada@Example.org ", "pepper"),
        "identity_salt": "pepper",
        "revocation_list_url": f"{BADGE_ORIGIN}/badges/revocations",
    }
    return CredentialFacts(**{**facts, **changes})


# The seed's topics (fixtures/catalog.json) in curriculum order.
SEED_TOPICS = [
    "Calculus",
    "Linear Algebra",
    "Statistics and probability",
    "Signal Processing",
    "Stochastic Processes",
    "Other lists",
    'How to study, the "degrees"',
]
