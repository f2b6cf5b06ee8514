"""The seed fixture: it holds the whole awesomeMLmath list, and loading it is safe to repeat."""

import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError

from catalog.canonical import canonical_url
from catalog.models import Curriculum, Degree, Listing, Requirement, Resource, SearchSynonym, Topic

SOURCE_LIST = Path(__file__).resolve().parents[2] / "fixtures/sources/awesomeMLmath-README.md"
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

pytestmark = pytest.mark.django_db


def plain(text):
    """Markdown links reduced to their text, whitespace collapsed: how the fixture quotes."""
    return " ".join(MARKDOWN_LINK.sub(r"\1", text).split())


def source_sections():
    """{heading: [line, ...]} for every `###` section of the source list, blank lines dropped."""
    sections, heading = {}, None
    for line in SOURCE_LIST.read_text().splitlines():
        if line.startswith("### "):
            heading = line.removeprefix("### ").strip()
            sections[heading] = []
        elif heading and line.strip():
            sections[heading].append(line.strip())
    return sections


def source_links():
    """(title, url, note) for every link of the list.

    The note is the rest of the line after a leading link ("this is an advanced course but
    one of my favorites."), or the whole sentence around a link inside prose (Keras, XGboost).
    """
    links = []
    for lines in source_sections().values():
        for line in lines:
            for match in MARKDOWN_LINK.finditer(line):
                leading = match.start() == 0
                note = plain(line[match.end() :]) if leading else plain(line)
                links.append((match[1], match[2], note))
    return links


def catalog_snapshot():
    """Every catalog row and prerequisite edge, ids included: equal snapshots mean no change."""
    return {
        "curricula": list(Curriculum.objects.order_by("pk").values()),
        "topics": list(Topic.objects.order_by("pk").values()),
        "resources": list(Resource.objects.order_by("pk").values()),
        "listings": list(Listing.objects.order_by("pk").values()),
        "degrees": list(Degree.objects.order_by("pk").values()),
        "requirements": list(Requirement.objects.order_by("pk").values()),
        "search synonyms": list(SearchSynonym.objects.order_by("pk").values()),
        "prerequisites": sorted(
            Topic.prerequisites.through.objects.values_list("from_topic_id", "to_topic_id")
        ),
    }


# What the seed holds


def test_seed_loads_every_topic_resource_degree_and_requirement(seed_catalog):
    assert Topic.objects.count() == 7
    assert Resource.objects.count() == len(source_links()) == 14
    assert Degree.objects.count() == 3
    assert Requirement.objects.count() >= 6  # see the next tests for what they are


def test_seed_resource_urls_are_exactly_the_links_of_the_source_list(seed_catalog):
    # As the list writes them: "http://www.ifp.illinois.edu/...", "http://colah.github.io/.../".
    source_urls = [url for _, url, _ in source_links()]

    assert sorted(Resource.objects.values_list("url", flat=True)) == sorted(source_urls)


def test_seed_resources_keep_the_source_titles_and_the_curators_notes(seed_catalog):
    for title, url, note in source_links():
        resource = Resource.objects.get(url=url)
        assert (resource.title, resource.note) == (title, note), url


def test_seed_has_a_topic_for_every_section_plus_stochastic_processes(seed_catalog):
    assert set(Topic.objects.values_list("title", flat=True)) == {
        *source_sections(),
        "Stochastic Processes",
    }


def test_seed_topics_carry_the_curators_guidance(seed_catalog):
    for heading, lines in source_sections().items():
        guidance = plain(Topic.objects.get(title=heading).guidance)
        for line in lines:
            if not MARKDOWN_LINK.match(line):
                assert plain(line) in guidance, heading


def test_seed_resources_sit_under_their_section_topic(seed_catalog):
    for heading, lines in source_sections().items():
        urls = {match[2] for line in lines for match in MARKDOWN_LINK.finditer(line)}
        topic = Topic.objects.get(title=heading)
        assert set(topic.listings.values_list("resource__url", flat=True)) == urls, heading


def test_stochastic_processes_comes_from_the_intro_and_carries_the_prerequisites(seed_catalog):
    topic = Topic.objects.get(slug="stochastic-processes")
    intro = SOURCE_LIST.read_text().split("### ")[0]

    assert not topic.listings.exists()
    assert "Stochastic Processes which is the theory behind RNN, Kalman Filters" in intro
    assert "Stochastic Processes which is the theory behind RNN, Kalman Filters" in topic.guidance
    assert set(topic.prerequisites.values_list("slug", flat=True)) == {
        "statistics-and-probability",
        "signal-processing",
    }


def test_seed_includes_keras_and_xgboost(seed_catalog):
    assert set(
        Resource.objects.filter(title__in=["Keras", "XGboost"]).values_list("url", flat=True)
    ) == {"https://github.com/fchollet/keras.git", "https://github.com/dmlc/xgboost"}


def test_seed_resources_carry_keywords_and_the_people_behind_them_where_known(seed_catalog):
    people = dict(Resource.objects.values_list("slug", "people"))

    assert all(Resource.objects.values_list("keywords", flat=True))
    assert people["mit-linear-algebra"] == "Gilbert Strang"
    assert people["khan-academy-linear-algebra"] == "Sal Khan"
    assert people["edx-discrete-time-signal-processing"] == "Alan V. Oppenheim, Thomas A. Baran"
    assert people["random-processes-for-engineers"] == "Bruce Hajek"
    assert people["keras"] == "François Chollet"
    # A Wikipedia article and a Quora question have no one author to name.
    assert {slug for slug, names in people.items() if not names} == {
        "adaptive-signal-processing",
        "beginner-deep-learning-projects",
    }


def test_seed_search_synonyms_expand_the_abbreviations_learners_type(seed_catalog):
    synonyms = dict(SearchSynonym.objects.values_list("term", "expansions"))

    assert {"svd", "pca", "mle", "sgd", "cnn", "rnn", "kl", "pdf"} <= set(synonyms)
    assert synonyms["svd"] == "singular value decomposition"


def test_seed_degrees_are_the_three_cumulative_levels(seed_catalog):
    assert list(Degree.objects.values_list("rank", "title")) == [
        (1, "Practitioner"),
        (2, "Developer"),
        (3, "Researcher"),
    ]


def test_seed_requirements_quote_the_source_list(seed_catalog):
    source = plain(SOURCE_LIST.read_text())

    for requirement in Requirement.objects.all():
        assert requirement.source_quote, requirement
        assert plain(requirement.source_quote) in source, requirement


def test_seed_requirements_say_what_each_degree_asks_for(seed_catalog):
    asked = {
        degree.slug: [requirement.describe() for requirement in degree.requirements.all()]
        for degree in Degree.objects.all()
    }

    # What the list asks for in resources and topics (other kinds of requirement may follow).
    assert asked["practitioner"][:2] == ["Complete Keras", "Complete XGboost"]
    assert asked["developer"][:3] == [
        "Complete every Calculus resource",
        "Complete every Linear Algebra resource",
        "Complete at least 2 Statistics and probability resources",
    ]
    assert asked["researcher"][:1] == ["Complete An exploration of Random Processes for Engineers"]


def test_seed_fixture_references_slugs_not_ids():
    rows = json.loads(Path("fixtures/catalog.json").read_text())

    assert all("pk" not in row for row in rows)


def test_seed_is_the_published_ml_math_curriculum_with_its_source(seed_catalog):
    (curriculum,) = Curriculum.objects.all()

    assert curriculum.slug == "ml-math"
    assert curriculum.title == "The math you need for machine learning"
    assert curriculum.is_published
    assert curriculum.source_url == "https://github.com/EderSantana/awesomeMLmath"
    assert curriculum.licence == "MIT"
    assert set(Topic.objects.values_list("curriculum__slug", flat=True)) == {"ml-math"}
    assert set(Degree.objects.values_list("curriculum__slug", flat=True)) == {"ml-math"}
    # One listing per resource: each has one place in the curriculum.
    assert Listing.objects.count() == Resource.objects.count()
    assert not Resource.objects.filter(listings__isnull=True).exists()


def test_seed_resources_are_known_by_the_canonical_urls_of_their_links(seed_catalog):
    # The fixture states them (loaddata calls no save()): they must be what save() computes.
    resources = Resource.objects.values_list("url", "canonical_url")
    assert all(canonical == canonical_url(url) for url, canonical in resources)
    assert (
        "http://www.ifp.illinois.edu/~hajek/Papers/randomprocDec11.pdf",
        ("http://ifp.illinois.edu/~hajek/Papers/randomprocDec11.pdf"),
    ) in resources


# Loading is repeatable and all-or-nothing


def test_loading_the_seed_twice_changes_nothing(seed_catalog):
    before = catalog_snapshot()

    call_command("loaddata", "catalog", verbosity=0)

    assert catalog_snapshot() == before


def write_fixture(tmp_path, rows):
    path = tmp_path / "broken.json"
    path.write_text(rows if isinstance(rows, str) else json.dumps(rows))
    return str(path)


RENAMED_CALCULUS = {
    "model": "catalog.topic",
    "fields": {
        "curriculum": ["ml-math"],
        "slug": "calculus",
        "title": "Renamed",
        "position": 10,
        "prerequisites": [],
    },
}
NEW_TOPIC = {
    "model": "catalog.topic",
    "fields": {
        "curriculum": ["ml-math"],
        "slug": "brand-new",
        "title": "Brand new",
        "position": 99,
        "prerequisites": [],
    },
}

MALFORMED_FIXTURES = {
    "invalid JSON": '[{"model": "catalog.topic", "fields": {',
    "unknown topic slug": [
        RENAMED_CALCULUS,
        NEW_TOPIC,
        {
            "model": "catalog.resource",
            "fields": {"slug": "orphan", "title": "Orphan", "url": "https://example.org/orphan"},
        },
        {
            "model": "catalog.listing",
            "fields": {"resource": ["orphan"], "topic": ["ml-math", "no-such-topic"]},
        },
    ],
    "unknown curriculum": [
        RENAMED_CALCULUS,
        {**NEW_TOPIC, "fields": {**NEW_TOPIC["fields"], "curriculum": ["no-such-curriculum"]}},
    ],
    "unknown field value": [
        RENAMED_CALCULUS,
        NEW_TOPIC,
        {
            "model": "catalog.degree",
            "fields": {"curriculum": ["ml-math"], "slug": "master", "rank": "first"},
        },
    ],
    "requirement with two targets": [
        RENAMED_CALCULUS,
        NEW_TOPIC,
        {
            "model": "catalog.requirement",
            "fields": {
                "degree": ["ml-math", "practitioner"],
                "slug": "both",
                "resource": ["keras"],
                "topic": ["ml-math", "calculus"],
            },
        },
    ],
}


@pytest.mark.parametrize("rows", MALFORMED_FIXTURES.values(), ids=MALFORMED_FIXTURES.keys())
def test_malformed_fixture_fails_and_leaves_the_database_unchanged(seed_catalog, tmp_path, rows):
    before = catalog_snapshot()

    with pytest.raises((DeserializationError, IntegrityError), match="Problem installing fixture"):
        call_command("loaddata", write_fixture(tmp_path, rows), verbosity=0)

    assert catalog_snapshot() == before
    assert not Topic.objects.filter(slug="brand-new").exists()


def test_fixture_that_makes_a_prerequisite_cycle_fails_and_changes_nothing(seed_catalog, tmp_path):
    before = catalog_snapshot()
    rows = [
        RENAMED_CALCULUS,
        NEW_TOPIC,
        {
            "model": "catalog.topic",
            "fields": {
                "curriculum": ["ml-math"],
                "slug": "linear-algebra",
                "title": "Linear Algebra",
                "position": 20,
                "prerequisites": [["ml-math", "stochastic-processes"]],
            },
        },
    ]

    with pytest.raises(ValidationError, match="Linear Algebra → Stochastic Processes"):
        call_command("loaddata", write_fixture(tmp_path, rows), verbosity=0)

    assert catalog_snapshot() == before


def test_degrees_have_permanent_public_ids_that_reloading_the_seed_keeps(seed_catalog):
    before = dict(Degree.objects.values_list("slug", "public_id"))
    assert str(before["practitioner"]) == "dfc2ae7a-0a06-57b6-906a-e862cd90048b"
    call_command("loaddata", "catalog", verbosity=0)
    assert dict(Degree.objects.values_list("slug", "public_id")) == before
    assert len(set(before.values())) == len(before)
