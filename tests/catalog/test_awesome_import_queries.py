"""The import's SQL queries as a list grows: re-importing costs the same at any size, and a
first import two inserts per new resource (the work and its listing), however many links
share a title."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.awesome import import_awesome_list, parse_awesome_list
from catalog.models import Resource, Topic, default_curriculum
from tests.catalog.generated_lists import generated_awesome_list


def import_queries(list_text):
    """The number of SQL queries one import of the list makes."""
    awesome_list, curriculum = parse_awesome_list(list_text), default_curriculum()
    with CaptureQueriesContext(connection) as queries:
        import_awesome_list(awesome_list, curriculum=curriculum)
    return len(queries)


def empty_the_catalog():
    Resource.objects.all().delete()
    Topic.objects.all().delete()


def test_reimporting_an_unchanged_list_costs_the_same_queries_at_any_size(db):
    small, large = generated_awesome_list(3, 5), generated_awesome_list(3, 100)
    import_queries(small)
    import_queries(large)

    assert import_queries(large) == import_queries(small)


def test_a_first_import_costs_two_inserts_per_new_resource_the_work_and_its_listing(db):
    small = import_queries(generated_awesome_list(2, 5))
    empty_the_catalog()

    large = import_queries(generated_awesome_list(2, 50))

    assert large - small == 2 * (2 * 50 - 2 * 5)


def test_links_that_share_a_title_cost_no_query_per_slug_tried(db):
    distinct = import_queries(generated_awesome_list(2, 50))
    empty_the_catalog()

    alike = import_queries(generated_awesome_list(2, 50, title="PDF"))

    assert alike == distinct
    slugs = set(Resource.objects.values_list("slug", flat=True))
    assert {"pdf", "pdf-2", "pdf-100"} <= slugs
    assert len(slugs) == 100
