"""The migration to reading topics and declared prerequisites keeps every topic and edge, and
the search index, and only then refuses a topic as its own prerequisite."""

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.models import Listing as CurrentListing
from catalog.search import install_index
from tests.migrations import SEARCH_INDEX_OF_0006, migrate, migrate_to_latest

BEFORE = [("catalog", "0006_search_index")]
AFTER = [("catalog", "0007_reading_topics_and_prerequisites")]


@pytest.mark.django_db(transaction=True)
def test_topics_and_prerequisites_survive_and_a_self_prerequisite_is_dropped():
    old_apps = migrate(BEFORE)
    with connection.cursor() as cursor:  # the index as the code of that schema made it
        for statement in SEARCH_INDEX_OF_0006[connection.vendor]:
            cursor.execute(statement)
    Topic = old_apps.get_model("catalog", "Topic")
    Resource = old_apps.get_model("catalog", "Resource")
    algebra = Topic.objects.create(slug="linear-algebra", title="Linear Algebra", position=20)
    signals = Topic.objects.create(slug="signal-processing", title="Signal Processing")
    stochastic = Topic.objects.create(slug="stochastic-processes", title="Stochastic Processes")
    Resource.objects.create(
        topic=algebra, slug="mit", title="Eigenvalues", url="https://example.org/mit"
    )
    through = Topic.prerequisites.through
    through.objects.bulk_create(
        [
            through(from_topic=signals, to_topic=algebra),
            through(from_topic=stochastic, to_topic=signals),
            through(from_topic=stochastic, to_topic=stochastic),  # raw SQL could write this
        ]
    )
    try:
        new_apps = migrate(AFTER)
        Topic = new_apps.get_model("catalog", "Topic")
        Prerequisite = new_apps.get_model("catalog", "Prerequisite")
        assert list(Topic.objects.order_by("pk").values_list("slug", "is_reading")) == [
            ("linear-algebra", False),
            ("signal-processing", False),
            ("stochastic-processes", False),
        ]
        assert set(Prerequisite.objects.values_list("from_topic__slug", "to_topic__slug")) == {
            ("signal-processing", "linear-algebra"),
            ("stochastic-processes", "signal-processing"),
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            Prerequisite.objects.create(from_topic_id=algebra.pk, to_topic_id=algebra.pk)

        migrate_to_latest()
        install_index(connection)  # what `migrate` does after the migrations
        found = CurrentListing.objects.search("eigen")
        assert [(listing.resource.slug, listing.topic_id) for listing in found] == [
            ("mit", algebra.pk)
        ]
    finally:
        migrate_to_latest()
