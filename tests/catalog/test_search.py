"""Search that understands what a learner means: prefixes, stems, ranking, highlights.

Every test here runs on SQLite (FTS5) and on PostgreSQL (tsvector) alike.
"""

import pytest
from django.core.management import call_command

from catalog.models import Resource, Topic
from catalog.search import highlight, query_terms
from tests.factories import make_resource, make_resources, make_topic
from tests.html import elements, text
from tests.html import result_titles as titles_on

pytestmark = pytest.mark.django_db


def found_titles(query):
    return [resource.title for resource in Resource.objects.published().search(query)]


def result_titles(response):
    assert response.status_code == 200
    return titles_on(response)


@pytest.mark.parametrize("query", ["eigen", "eigenvalue", "eigenvalues", "EIGENVALUES"])
def test_eigen_and_its_forms_find_the_linear_algebra_resources(client, seed_catalog, query):
    titles = result_titles(client.get("/search/", {"q": query}))

    linear_algebra = Topic.objects.get(slug="linear-algebra")
    assert set(linear_algebra.resources.values_list("title", flat=True)) <= set(titles)
    # The Linear Algebra guidance is the best reason to be found, so its resources come first.
    assert titles[0] in linear_algebra.resources.values_list("title", flat=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("edx", {"edx Signals and Systems, part 1", "edx Discrete Time Signal Processing"}),
        ("fourier", {"edx Signals and Systems, part 1", "edx Discrete Time Signal Processing"}),
    ],
)
def test_seed_queries_find_what_a_learner_expects(client, seed_catalog, query, expected):
    assert expected <= set(result_titles(client.get("/search/", {"q": query})))


def test_a_word_matches_by_prefix_and_by_stem():
    topic = make_topic(title="Optimisation")
    make_resource(topic, title="Convex Optimization lectures")
    make_resource(topic, title="Gradient methods", note="Derivatives everywhere")

    assert found_titles("convex") == ["Convex Optimization lectures"]
    assert found_titles("conv") == ["Convex Optimization lectures"]
    assert found_titles("derivative") == ["Gradient methods"]
    assert found_titles("lecture") == ["Convex Optimization lectures"]


def test_every_word_must_match_somewhere_in_the_resource_or_its_topic():
    algebra = make_topic(title="Linear Algebra", guidance="Eigenvalue decomposition matters.")
    calculus = make_topic(title="Calculus")
    make_resource(algebra, title="MIT lectures", provider="MIT")
    make_resource(calculus, title="MIT calculus", provider="MIT")

    assert found_titles("mit eigen") == ["MIT lectures"]
    assert set(found_titles("mit")) == {"MIT lectures", "MIT calculus"}
    assert found_titles("mit eigen nothingmatchesthis") == []


def test_title_matches_rank_before_note_matches_before_the_topics_text():
    topic = make_topic(title="Probability", guidance="Bayesian thinking throughout.", position=1)
    from_topic = make_resource(topic, title="Seeing theory", position=1)
    from_note = make_resource(topic, title="Course notes", note="Bayesian priors", position=2)
    from_title = make_resource(topic, title="Bayesian methods", position=3)

    assert list(Resource.objects.search("bayesian")) == [from_title, from_note, from_topic]


def test_stop_words_and_punctuation_do_not_hide_results():
    topic = make_topic(title="Calculus")
    make_resource(topic, title="The calculus of variations")

    assert query_terms("the <calculus> of; 'variations'") == ["calculus", "variations"]
    assert found_titles("the calculus of variations") == ["The calculus of variations"]
    assert found_titles("'\"*:&|!()") == ["The calculus of variations"]


def test_the_index_follows_every_kind_of_catalog_change():
    topic = make_topic(title="Signals")
    resource = make_resource(topic, title="Filters")
    assert found_titles("wavelet") == []

    resource.title = "Wavelet filters"
    resource.save()
    assert found_titles("wavelet") == ["Wavelet filters"]

    topic.guidance = "Kalman filtering is estimation."
    topic.save()
    assert found_titles("kalman") == ["Wavelet filters"]

    Resource.objects.filter(pk=resource.pk).update(title="Spline filters")
    assert found_titles("spline") == ["Spline filters"]

    make_resources(topic, 3, note="bulk inserted quaternion")
    assert len(found_titles("quaternion")) == 3

    resource.delete()
    assert "Spline filters" not in found_titles("kalman")
    assert len(found_titles("kalman")) == 3


def test_loaddata_makes_the_seed_searchable(db):
    call_command("loaddata", "catalog", verbosity=0)

    assert "Khan Academy Linear Algebra" in found_titles("eigen")


def test_highlight_marks_matched_words_and_escapes_everything_else():
    marked = highlight("<b>Eigenvalues</b> & eigenvectors, not eigen's", ["eigenvalues"])

    assert marked == (
        "&lt;b&gt;<mark>Eigenvalues</mark>&lt;/b&gt; &amp; eigenvectors, not eigen&#x27;s"
    )
    assert highlight("Fourier <script>", ["four"]) == "<mark>Fourier</mark> &lt;script&gt;"


def test_results_highlight_the_words_that_matched(client):
    topic = make_topic(title="Signals")
    make_resource(topic, title="Fourier <series>", note="Fourier transforms, gently")

    page = client.get("/search/", {"q": "fourier"})

    [title] = elements(page, class_="resource__title")
    [note] = elements(page, class_="resource__note")
    assert titles_on(page) == ["Fourier <series>"]  # escaped: no <series> element
    assert text(note) == "Fourier transforms, gently"
    for part in (title, note):
        assert [text(mark) for mark in elements(part, "mark")] == ["Fourier"]


def test_search_costs_the_same_queries_at_any_catalog_size(client, django_assert_max_num_queries):
    topic = make_topic(title="Linear Algebra", guidance="eigenvalue decomposition")
    make_resources(topic, 5, note="matrices")
    with django_assert_max_num_queries(4) as small:
        client.get("/search/", {"q": "eigen matrices"})
    make_resources(topic, 300, note="matrices")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/search/", {"q": "eigen matrices"})
    assert "305 resources found" in text(response)


def test_a_result_found_through_its_topic_says_where_it_matched(client):
    topic = make_topic(title="Linear Algebra", guidance="Learn eigenvalue decomposition well.")
    make_resource(topic, title="Khan Academy", note="Videos")

    page = client.get("/search/", {"q": "eigen"})

    [match] = elements(page, "p", class_="resource__match")
    assert text(match) == "Found through its topic: Learn eigenvalue decomposition well."
    assert [text(mark) for mark in elements(match, "mark")] == ["eigenvalue"]
