"""Catalog models: ordering, natural keys, the prerequisite graph and the requirement rules."""

from contextlib import contextmanager

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from catalog.forms import TopicAdminForm
from catalog.models import (
    Curriculum,
    Degree,
    Listing,
    Milestone,
    Prerequisite,
    Requirement,
    Resource,
    SearchSynonym,
    Topic,
)
from tests.factories import (
    make_curriculum,
    make_degree,
    make_milestone,
    make_requirement,
    make_resource,
    make_topic,
)

pytestmark = pytest.mark.django_db


@contextmanager
def database_rejects():
    """Expect an IntegrityError, keeping the test's own transaction usable (PostgreSQL)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


@contextmanager
def cycle_rejected(match="would make a cycle"):
    """Expect the prerequisite check to refuse an edit.

    The check runs inside Django's m2m `add()`, whose transaction has no savepoint of its own,
    so a caller that carries on after the error needs its own `atomic()` around the edit.
    """
    with pytest.raises(ValidationError, match=match) as raised, transaction.atomic():
        yield raised


# Topics


def test_topics_are_ordered_by_position_then_title():
    make_topic(title="Signal Processing", position=40)
    make_topic(title="Calculus", position=10)
    make_topic(title="Linear Algebra", position=10)

    assert [topic.title for topic in Topic.objects.all()] == [
        "Calculus",
        "Linear Algebra",
        "Signal Processing",
    ]


def test_topic_str_and_url_use_title_and_slug():
    topic = make_topic(title="Calculus", slug="calculus")

    assert str(topic) == "Calculus"
    assert topic.get_absolute_url() == "/topics/calculus/"


def test_topic_slug_is_unique_within_its_curriculum_only():
    make_topic(slug="calculus")
    other = make_topic(slug="calculus", curriculum=make_curriculum())

    assert other.slug == "calculus"
    with database_rejects():
        make_topic(slug="calculus")


def test_topic_neighbours_follow_curriculum_order():
    first = make_topic(title="Calculus", position=10, is_reading=True)
    second = make_topic(title="Linear Algebra", position=20, is_reading=True)
    third = make_topic(title="Signal Processing", position=30, is_reading=True)

    assert first.neighbours() == (None, second)
    assert second.neighbours() == (first, third)
    assert third.neighbours() == (second, None)


def test_topic_neighbours_break_position_ties_by_title():
    alpha = make_topic(title="Alpha", position=10, is_reading=True)
    beta = make_topic(title="Beta", position=10, is_reading=True)

    assert alpha.neighbours() == (None, beta)
    assert beta.neighbours() == (alpha, None)


def test_topic_neighbours_skip_topics_hidden_from_learners():
    first = make_resource(make_topic(position=10)).main_listing.topic
    make_resource(make_topic(position=20), is_published=False)
    make_topic(position=30)
    last = make_topic(position=40, is_reading=True)

    assert first.neighbours() == (None, last)
    assert last.neighbours() == (first, None)


def test_learners_see_topics_with_a_published_resource_and_reading_topics():
    with_resources = make_topic(title="Calculus")
    make_resource(with_resources)
    make_resource(with_resources, is_published=False)
    only_unpublished = make_topic(title="Optimisation")
    make_resource(only_unpublished, is_published=False)
    make_topic(title="Empty")
    reading = make_topic(title="Stochastic Processes", is_reading=True)

    shown = Topic.objects.shown_to_learners()

    assert set(shown) == {with_resources, reading}
    # Combined with the counts, each topic is still one row.
    assert sorted(shown.with_published_counts().values_list("published_resource_count")) == [
        (0,),
        (1,),
    ]


def test_published_counts_ignore_unpublished_resources():
    topic = make_topic()
    make_resource(topic)
    make_resource(topic)
    make_resource(topic, is_published=False)

    assert Topic.objects.with_published_counts().get(pk=topic.pk).published_resource_count == 2


def test_deleting_a_topic_unlists_its_resources_and_keeps_them():
    resource = make_resource()

    resource.main_listing.topic.delete()

    assert Resource.objects.filter(pk=resource.pk).exists()
    assert not Listing.objects.filter(resource=resource).exists()


def test_topic_neighbours_stay_in_the_topics_curriculum():
    first = make_topic(title="Calculus", position=10, is_reading=True)
    make_topic(title="Elsewhere", position=15, is_reading=True, curriculum=make_curriculum())
    second = make_topic(title="Linear Algebra", position=20, is_reading=True)

    assert first.neighbours() == (None, second)


# Prerequisites


def test_topic_cannot_be_its_own_prerequisite():
    topic = make_topic(title="Calculus")

    with cycle_rejected("“Calculus” cannot be its own prerequisite"):
        topic.prerequisites.add(topic)

    assert not topic.prerequisites.exists()


def test_the_database_refuses_a_topic_as_its_own_prerequisite():
    topic = make_topic()

    # A write that goes round the checks of the admin form and the m2m signal.
    with database_rejects():
        Prerequisite.objects.bulk_create([Prerequisite(from_topic=topic, to_topic=topic)])

    assert not Prerequisite.objects.exists()


def test_the_database_keeps_one_row_per_prerequisite():
    calculus, algebra = make_topic(), make_topic()
    algebra.prerequisites.add(calculus)

    with database_rejects():
        Prerequisite.objects.bulk_create([Prerequisite(from_topic=algebra, to_topic=calculus)])


def test_two_topic_cycle_is_rejected_with_the_chain_in_the_message():
    calculus = make_topic(title="Calculus")
    algebra = make_topic(title="Linear Algebra")
    algebra.prerequisites.add(calculus)

    with cycle_rejected() as raised:
        calculus.prerequisites.add(algebra)

    assert raised.value.messages == [
        "These prerequisites would make a cycle: Calculus → Linear Algebra → Calculus."
    ]
    assert not calculus.prerequisites.exists()


def test_longer_cycle_is_rejected_naming_the_chain_from_the_edited_topic():
    algebra = make_topic(title="Linear Algebra")
    stochastic = make_topic(title="Stochastic Processes")
    signals = make_topic(title="Signal Processing")
    stochastic.prerequisites.add(signals)
    signals.prerequisites.add(algebra)

    with cycle_rejected() as raised:
        algebra.prerequisites.add(stochastic)

    assert raised.value.messages == [
        "These prerequisites would make a cycle: "
        "Linear Algebra → Stochastic Processes → Signal Processing → Linear Algebra."
    ]


def test_cycle_is_rejected_when_added_from_the_dependent_side():
    calculus = make_topic()
    algebra = make_topic()
    algebra.prerequisites.add(calculus)

    # "calculus is required by ... " written from the other end of the relation.
    with cycle_rejected():
        algebra.dependents.add(calculus)

    assert not calculus.prerequisites.exists()


def test_replacing_prerequisites_with_set_is_checked_too():
    calculus = make_topic()
    algebra = make_topic()
    algebra.prerequisites.add(calculus)

    with cycle_rejected():
        calculus.prerequisites.set([algebra])


def test_shared_prerequisites_without_a_cycle_are_accepted():
    algebra = make_topic()
    statistics = make_topic()
    signals = make_topic()
    stochastic = make_topic()
    signals.prerequisites.add(algebra)
    statistics.prerequisites.add(algebra)
    stochastic.prerequisites.add(statistics, signals)

    assert set(stochastic.prerequisites.all()) == {statistics, signals}


def test_topic_admin_form_reports_a_cycle_as_a_field_error():
    calculus = make_topic(title="Calculus", slug="calculus")
    algebra = make_topic(title="Linear Algebra", slug="linear-algebra")
    algebra.prerequisites.add(calculus)
    data = {
        "curriculum": calculus.curriculum_id,
        "title": "Calculus",
        "slug": "calculus",
        "position": 10,
        "prerequisites": [algebra.pk],
    }

    form = TopicAdminForm(data, instance=calculus)

    assert not form.is_valid()
    assert form.errors["prerequisites"] == [
        "These prerequisites would make a cycle: Calculus → Linear Algebra → Calculus."
    ]


def test_topic_admin_form_rejects_the_topic_as_its_own_prerequisite():
    calculus = make_topic(title="Calculus", slug="calculus")
    data = {
        "curriculum": calculus.curriculum_id,
        "title": "Calculus",
        "slug": "calculus",
        "position": 10,
        "prerequisites": [calculus.pk],
    }

    form = TopicAdminForm(data, instance=calculus)

    assert not form.is_valid()
    assert form.errors["prerequisites"] == ["“Calculus” cannot be its own prerequisite."]


def test_topic_admin_form_accepts_acyclic_prerequisites():
    calculus = make_topic(slug="calculus")
    algebra = make_topic(title="Linear Algebra", slug="linear-algebra")
    data = {
        "curriculum": algebra.curriculum_id,
        "title": "Linear Algebra",
        "slug": "linear-algebra",
        "position": 20,
        "prerequisites": [calculus.pk],
    }

    form = TopicAdminForm(data, instance=algebra)

    assert form.is_valid(), form.errors
    form.save()
    assert list(algebra.prerequisites.all()) == [calculus]


def test_a_topic_builds_only_on_topics_of_its_own_curriculum():
    algebra = make_topic(title="Linear Algebra", slug="linear-algebra")
    elsewhere = make_topic(title="Calculus", curriculum=make_curriculum())
    data = {
        "curriculum": algebra.curriculum_id,
        "title": "Linear Algebra",
        "slug": "linear-algebra",
        "position": 20,
        "prerequisites": [elsewhere.pk],
    }

    form = TopicAdminForm(data, instance=algebra)

    assert not form.is_valid()
    assert "prerequisites" in form.errors
    with cycle_rejected("“Calculus” is in another curriculum"):
        algebra.prerequisites.add(elsewhere)
    assert not algebra.prerequisites.exists()


# Resources


def found(query):
    """The resources search finds (through their listings), best first."""
    return [listing.resource for listing in Listing.objects.search(query)]


def test_published_excludes_unpublished_resources():
    shown = make_resource()
    make_resource(is_published=False)

    assert list(Resource.objects.published()) == [shown]


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("title", "Khan Academy Calculus", "academy"),
        ("provider", "MIT OpenCourseWare", "opencourseware"),
        ("note", "One of my favourites", "FAVOURITE"),
    ],
)
def test_search_matches_title_provider_and_note_ignoring_case(field, value, query):
    match = make_resource(**{field: value})
    make_resource(title="Something else")

    assert list(found(query)) == [match]


def test_search_matches_the_topic_title_and_summary():
    signals = make_topic(title="Signal Processing", summary="Convolutions and Fourier transforms.")
    course = make_resource(signals, title="Discrete Time")
    make_resource(title="Calculus")

    assert list(found("fourier")) == [course]
    assert list(found("signal processing")) == [course]


def test_search_needs_every_word_but_not_in_order():
    match = make_resource(title="Linear Algebra", provider="MIT OpenCourseWare")
    make_resource(title="Linear Regression", provider="Stanford")

    assert list(found("mit linear")) == [match]
    assert set(found("linear")) == set(Resource.objects.all())


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [("people", "Gilbert Strang, Alan Edelman", "edelman"), ("keywords", "SVD, LU", "lu")],
)
def test_search_matches_people_and_keywords(field, value, query):
    match = make_resource(**{field: value})
    make_resource(title="Something else")

    assert list(found(query)) == [match]


def test_keywords_read_as_a_list():
    resource = make_resource(keywords=" DFT,, z-transform ,")

    assert resource.keyword_list == ["DFT", "z-transform"]


def test_empty_search_returns_everything():
    make_resource()
    make_resource()

    assert len(found("")) == 2
    assert len(found("   ")) == 2


def test_resource_url_is_unique():
    make_resource(url="https://example.org/course")

    with database_rejects():
        make_resource(url="https://example.org/course")


def test_resource_url_points_into_its_topic_page():
    topic = make_topic(slug="calculus")
    resource = make_resource(topic, slug="khan-academy-calculus")

    assert resource.get_absolute_url() == "/topics/calculus/#resource-khan-academy-calculus"


# Degrees


def test_degrees_are_ordered_by_rank():
    make_degree(title="Researcher", rank=3)
    make_degree(title="Practitioner", rank=1)

    assert [degree.title for degree in Degree.objects.all()] == ["Practitioner", "Researcher"]


def test_degree_rank_must_be_positive():
    with database_rejects():
        make_degree(rank=0)


def test_degree_rank_is_unique():
    make_degree(rank=1)

    with database_rejects():
        make_degree(rank=1)


# Requirements


def test_requirement_may_name_a_resource():
    requirement = make_requirement(resource=make_resource(title="Keras"))

    assert requirement.describe() == "Complete Keras"


@pytest.mark.parametrize(
    ("min_count", "description"),
    [
        (None, "Complete every Calculus resource"),
        (1, "Complete at least 1 Calculus resource"),
        (2, "Complete at least 2 Calculus resources"),
    ],
)
def test_requirement_may_name_a_topic_with_an_optional_count(min_count, description):
    topic = make_topic(title="Calculus")

    requirement = make_requirement(topic=topic, min_count=min_count)

    assert requirement.describe() == description


def test_database_rejects_a_requirement_with_both_resource_and_topic():
    resource = make_resource()

    with database_rejects():
        make_requirement(resource=resource, topic=resource.main_listing.topic)


def test_database_rejects_a_requirement_with_neither_resource_nor_topic():
    with database_rejects():
        make_requirement()


def test_database_rejects_a_count_on_a_resource_requirement():
    with database_rejects():
        make_requirement(resource=make_resource(), min_count=2)


def test_database_rejects_a_count_of_zero():
    with database_rejects():
        make_requirement(topic=make_topic(), min_count=0)


def test_requirement_slug_is_unique_within_its_degree_only():
    first, second = make_degree(), make_degree()
    make_requirement(first, slug="calculus", topic=make_topic())
    make_requirement(second, slug="calculus", topic=make_topic())

    with database_rejects():
        make_requirement(first, slug="calculus", topic=make_topic())


@pytest.mark.parametrize("targets", [{"resource", "topic"}, set()], ids=["both", "neither"])
def test_requirement_validation_demands_exactly_one_target(targets):
    resource = make_resource()
    requirement = Requirement(
        degree=make_degree(),
        slug="requirement",
        resource=resource if "resource" in targets else None,
        topic=resource.main_listing.topic if "topic" in targets else None,
    )

    with pytest.raises(ValidationError) as raised:
        requirement.full_clean()

    assert any(
        message.startswith("A requirement names exactly one thing:")
        for message in raised.value.messages
    )


def test_requirement_validation_rejects_a_count_on_a_resource():
    requirement = Requirement(
        degree=make_degree(), slug="keras", resource=make_resource(), min_count=2
    )

    with pytest.raises(ValidationError) as raised:
        requirement.full_clean()

    assert raised.value.messages == ["“At least” applies only to a topic requirement."]


def test_requirement_validation_rejects_a_count_of_zero():
    requirement = Requirement(degree=make_degree(), slug="some", topic=make_topic(), min_count=0)

    with pytest.raises(ValidationError) as raised:
        requirement.full_clean()

    assert "“At least” must be 1 or more (empty means all)." in raised.value.messages


def test_deleting_a_required_resource_is_refused():
    requirement = make_requirement(resource=make_resource())

    with pytest.raises(ProtectedError):
        requirement.resource.delete()


# Search synonyms


def test_a_search_synonym_reads_as_its_term_and_expansions_and_links_to_its_search():
    synonym = SearchSynonym.objects.create(term="svd", expansions="singular value decomposition")

    assert str(synonym) == "svd → singular value decomposition"
    assert synonym.get_absolute_url() == "/search/?q=svd"
    assert SearchSynonym.objects.get_by_natural_key("svd") == synonym


def test_a_search_synonym_is_kept_in_lower_case_once_cleaned():
    synonym = SearchSynonym(term="SVD", expansions="singular value decomposition")

    synonym.full_clean()

    assert synonym.term == "svd"


@pytest.mark.parametrize(
    ("term", "expansions", "field"),
    [
        ("s.v.d", "singular value decomposition", "term"),
        ("two words", "singular value decomposition", "term"),
        ("svd", " , ;", "expansions"),
    ],
)
def test_a_search_synonym_needs_one_word_and_something_it_finds(term, expansions, field):
    with pytest.raises(ValidationError) as raised:
        SearchSynonym(term=term, expansions=expansions).full_clean()

    assert list(raised.value.message_dict) == [field]


def test_the_database_refuses_a_search_synonym_in_upper_case_or_twice():
    SearchSynonym.objects.create(term="svd", expansions="singular value decomposition")

    with database_rejects():
        SearchSynonym.objects.create(term="PCA", expansions="principal component analysis")
    with database_rejects():
        SearchSynonym.objects.create(term="svd", expansions="something else")


# Natural keys


def test_every_catalog_model_is_found_by_its_natural_key():
    topic = make_topic()
    resource = make_resource(topic)
    degree = make_degree()
    requirement = make_requirement(degree, topic=topic)
    milestone = make_milestone()

    assert Curriculum.objects.get_by_natural_key(*topic.curriculum.natural_key()) == (
        topic.curriculum
    )
    assert Topic.objects.get_by_natural_key(*topic.natural_key()) == topic
    assert Resource.objects.get_by_natural_key(*resource.natural_key()) == resource
    listing = resource.main_listing
    assert Listing.objects.get_by_natural_key(*listing.natural_key()) == listing
    assert Degree.objects.get_by_natural_key(*degree.natural_key()) == degree
    assert Milestone.objects.get_by_natural_key(*milestone.natural_key()) == milestone
    assert Requirement.objects.get_by_natural_key(*requirement.natural_key()) == requirement


def test_natural_keys_are_readable_and_scoped_by_curriculum():
    curriculum = make_curriculum(slug="physics")
    topic = make_topic(curriculum=curriculum, slug="calculus")
    resource = make_resource(topic, slug="feynman")
    degree = make_degree(curriculum=curriculum, slug="practitioner")
    requirement = make_requirement(degree, slug="mechanics", topic=topic)

    assert topic.natural_key() == ("physics", "calculus")
    assert resource.main_listing.natural_key() == ("physics", "calculus", "feynman")
    assert degree.natural_key() == ("physics", "practitioner")
    assert requirement.natural_key() == ("mechanics", "physics", "practitioner")
    # The same slugs in the default curriculum are other rows.
    default_topic = make_topic(slug="calculus")
    assert Topic.objects.get_by_natural_key(*default_topic.natural_key()) == default_topic


def test_natural_key_serialization_round_trips_without_ids():
    algebra = make_topic(slug="linear-algebra")
    signals = make_topic(slug="signal-processing")
    signals.prerequisites.add(algebra)
    resource = make_resource(signals, slug="dsp")
    degree = make_degree(slug="developer")
    make_requirement(degree, slug="dsp", resource=resource)
    synonym = SearchSynonym.objects.create(term="svd", expansions="singular value decomposition")
    rows = [
        *Topic.objects.all(),
        *Prerequisite.objects.all(),
        *Resource.objects.all(),
        *Listing.objects.all(),
        degree,
        *Requirement.objects.all(),
        synonym,
    ]

    dumped = serializers.serialize(
        "json", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )

    assert '"pk"' not in dumped
    loaded = list(serializers.deserialize("json", dumped))
    assert [item.object.pk for item in loaded] == [row.pk for row in rows]
    prerequisite = loaded[2].object
    assert (prerequisite.from_topic, prerequisite.to_topic) == (signals, algebra)
