"""The migration that gives resources their people and keywords and search its synonyms, tested
from the schema before it with real rows: the rows stay, the search index is rebuilt (on
PostgreSQL with words split as SQLite splits them) and finds them and their new fields, and
curators may edit synonyms."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from catalog.apps import install_search_index
from catalog.models import Listing, Resource, SearchSynonym
from tests.migrations import SEARCH_INDEX_OF_0006 as OLD_INDEX
from tests.migrations import migrate, migrate_to_latest

BEFORE = [("catalog", "0007_reading_topics_and_prerequisites")]
AFTER = [("catalog", "0008_resource_people_keywords_search_synonyms")]


def found_titles(query):
    return [listing.resource.title for listing in Listing.objects.published().search(query)]


@pytest.mark.django_db(transaction=True)
def test_existing_resources_gain_empty_people_and_keywords_and_stay_searchable():
    old_apps = migrate(BEFORE)
    old_topic = old_apps.get_model("catalog", "Topic").objects.create(
        slug="signal-processing",
        title="Signal Processing",
        guidance="Linear time-invariant systems, convolutions and Fourier transforms.",
    )
    old_resources = old_apps.get_model("catalog", "Resource").objects
    old_resources.create(
        slug="dsp",
        topic=old_topic,
        title="Discrete Time Signal Processing",
        url="https://example.org/dsp",
        provider="edX (MITx)",
        note="Advanced, and worth it.",
        level="advanced",
    )
    old_resources.create(
        slug="calculus", topic=old_topic, title="Calculus", url="https://example.org/calculus"
    )
    with connection.cursor() as cursor:
        for statement in OLD_INDEX[connection.vendor]:
            cursor.execute(statement)
    try:
        migrate(AFTER)
        migrate_to_latest()  # the code below reads today's schema (listings: catalog.0009-0011)
        install_search_index(using="default")  # what `migrate` runs after the migrations

        dsp = Resource.objects.get(slug="dsp")
        assert (dsp.title, dsp.provider, dsp.note, dsp.level) == (
            "Discrete Time Signal Processing",
            "edX (MITx)",
            "Advanced, and worth it.",
            "advanced",
        )
        assert (dsp.people, dsp.keywords) == ("", "")
        assert found_titles("mitx worth") == ["Discrete Time Signal Processing"]
        assert found_titles("fourier") == ["Calculus", "Discrete Time Signal Processing"]

        Resource.objects.filter(slug="dsp").update(
            people="Alan V. Oppenheim", keywords="z-transform, filter design"
        )
        assert found_titles("oppenheim") == ["Discrete Time Signal Processing"]
        assert found_titles("filter design") == ["Discrete Time Signal Processing"]
        # The topic's "time-invariant" is two words on both engines, so a phrase finds it.
        SearchSynonym.objects.create(term="lti", expansions="linear time invariant")
        assert found_titles("lti") == ["Calculus", "Discrete Time Signal Processing"]

        curators = Group.objects.get(name="Curators")
        assert set(
            curators.permissions.filter(content_type__model="searchsynonym").values_list(
                "codename", flat=True
            )
        ) == {f"{action}_searchsynonym" for action in ("add", "change", "delete", "view")}
    finally:
        migrate_to_latest()
