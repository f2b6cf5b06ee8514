"""Search that understands what a learner means: prefixes, stems, the people behind a
resource and its keywords, synonyms, typing slips, ranking, highlights, snippets and
suggestions.

Every test here runs on SQLite (FTS5) and on PostgreSQL (tsvector) alike.
"""

import html

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from catalog.models import Listing, Resource, SearchSynonym, Topic
from catalog.search import SearchLexicon, highlight, query_terms, snippet, suggest_queries
from tests.factories import make_resource, make_resources, make_topic
from tests.html import elements, text
from tests.html import result_titles as titles_on

pytestmark = pytest.mark.django_db


def found(query):
    """The resources search finds, through their listings, best first."""
    return [listing.resource for listing in Listing.objects.published().search(query)]


def found_titles(query):
    return [resource.title for resource in found(query)]


def result_titles(response):
    assert response.status_code == 200
    return titles_on(response)


@pytest.mark.parametrize("query", ["eigen", "eigenvalue", "eigenvalues", "EIGENVALUES"])
def test_eigen_and_its_forms_find_the_linear_algebra_resources(client, seed_catalog, query):
    titles = result_titles(client.get("/search/", {"q": query}))

    linear_algebra = Topic.objects.get(slug="linear-algebra")
    listed = set(linear_algebra.listings.values_list("resource__title", flat=True))
    assert listed <= set(titles)
    # The Linear Algebra guidance is the best reason to be found, so its resources come first.
    assert titles[0] in listed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("edx", {"edx Signals and Systems, part 1", "edx Discrete Time Signal Processing"}),
        ("fourier", {"edx Signals and Systems, part 1", "edx Discrete Time Signal Processing"}),
    ],
)
def test_seed_queries_find_what_a_learner_expects(client, seed_catalog, query, expected):
    assert expected <= set(result_titles(client.get("/search/", {"q": query})))


# What learners type, and the seed resource each must find (issue 23: "SVD", "Bayes" and
# "Strang" found nothing).
LEARNER_QUERIES = [
    # The people behind a resource
    ("Strang", "Linear Algebra MIT"),
    ("gilbert strang", "Linear Algebra MIT"),
    ("Sal Khan", "Khan Academy Calculus"),
    ("Oppenheim", "edx Discrete Time Signal Processing"),
    ("Chollet", "Keras"),
    ("Tianqi Chen", "XGboost"),
    ("Adhikari", "edx Probability"),
    ("Brockman", "What are the best ways to pick up Deep Learning skills as an engineer?"),
    # Curators' keywords
    ("Kalman filter", "An exploration of Random Processes for Engineers"),
    ("gradient boosting", "XGboost"),
    ("Taylor series", "Khan Academy Calculus"),
    ("entropy", "Information Theory"),
    ("least squares", "Linear Algebra MIT"),
    ("Gram-Schmidt", "Khan Academy Linear Algebra"),
    ("18.06", "Linear Algebra MIT"),
    # Synonyms: abbreviations and what they stand for
    ("SVD", "Linear Algebra MIT"),
    ("Bayes", "edx Probability"),
    ("MLE", "An exploration of Random Processes for Engineers"),
    ("KL divergence", "Information Theory"),
    ("CNNs", "Keras"),
    ("RNN", "Keras"),
    ("CLT", "edx Probability"),
    ("LMS", "adaptive signal processing"),
    ("LTI systems", "edx Signals and Systems, part 1"),
    ("pdf", "edx Introduction to Statistics"),
    # The source list's misspelling ("Principal Compoenent Analysis"), and a learner's slips
    ("PCA", "Khan Academy Linear Algebra"),
    ("principal component analysis", "Linear Algebra MIT"),
    ("fourrier transfrom", "edx Discrete Time Signal Processing"),
    ("kerass", "Keras"),
]


@pytest.mark.parametrize(("query", "title"), LEARNER_QUERIES)
def test_what_a_learner_types_finds_the_resource_they_mean(client, seed_catalog, query, title):
    assert title in result_titles(client.get("/search/", {"q": query}))


def test_the_people_behind_a_resource_show_on_its_card_and_find_it(client):
    topic = make_topic(title="Linear Algebra")
    make_resource(topic, title="18.06", people="Gilbert Strang", keywords="eigenvalues")
    make_resource(topic, title="Other lectures")

    page = client.get("/search/", {"q": "strang"})

    assert result_titles(page) == ["18.06"]
    [people] = elements(page, class_="resource__people")
    assert text(people) == "by Gilbert Strang"
    assert [text(mark) for mark in elements(people, "mark")] == ["Strang"]


def test_a_matched_keyword_shows_on_the_card_highlighted(client):
    topic = make_topic(title="Linear Algebra")
    make_resource(
        topic, title="Lectures", keywords="least squares, singular value decomposition, LU"
    )
    SearchSynonym.objects.create(term="svd", expansions="singular value decomposition")

    page = client.get("/search/", {"q": "SVD"})

    assert result_titles(page) == ["Lectures"]
    [keywords] = elements(page, class_="resource__keywords")
    assert text(keywords) == "Keywords: singular value decomposition"
    assert [text(mark) for mark in elements(keywords, "mark")] == [
        "singular",
        "value",
        "decomposition",
    ]


def test_a_synonym_finds_its_phrases_in_order_and_its_plural_too():
    topic = make_topic(title="Networks")
    make_resource(topic, title="Vision", note="Convolutional neural networks for images")
    make_resource(topic, title="Shuffled", note="neural convolutional networks, in a muddle")
    SearchSynonym.objects.create(term="cnn", expansions="convolutional neural network")

    assert found_titles("cnn") == ["Vision"]
    assert found_titles("CNNs") == ["Vision"]
    assert found_titles("cnn images") == ["Vision"]


def test_a_synonym_a_curator_adds_or_removes_changes_the_cached_results_at_once(client):
    topic = make_topic(title="Linear Algebra")
    make_resource(topic, title="Lectures", note="The singular value decomposition, gently")
    assert result_titles(client.get("/search/", {"q": "svd"})) == []

    synonym = SearchSynonym.objects.create(term="svd", expansions="singular value decomposition")
    assert result_titles(client.get("/search/", {"q": "svd"})) == ["Lectures"]

    synonym.delete()
    assert result_titles(client.get("/search/", {"q": "svd"})) == []


def test_a_word_one_typing_slip_from_the_catalogs_finds_it_after_exact_matches():
    algebra = make_topic(title="Algebra", guidance="Principal Compoenent Analysis", position=1)
    later = make_topic(title="Later", position=2)
    slipped = make_resource(algebra, title="Khan Academy")
    spelled = make_resource(later, title="Independent component analysis")

    # The exact spelling first, though its topic comes later in the curriculum.
    assert (found("component")) == [spelled, slipped]
    assert (found("compoenent")) == [slipped, spelled]


def test_short_words_are_not_matched_across_a_slip():
    topic = make_topic(title="Statistics")
    make_resource(topic, title="The mean and the median")

    assert found_titles("mean") == ["The mean and the median"]
    assert found_titles("meat") == []  # four letters: one letter off is another word
    assert found_titles("mediam") == ["The mean and the median"]


def test_a_query_that_finds_nothing_suggests_the_nearest_words_that_would(client, seed_catalog):
    page = client.get("/search/", {"q": "eignvektor", "level": "introductory", "page": "2"})

    assert result_titles(page) == []
    [suggestions] = elements(page, "p", class_="suggestions")
    assert text(suggestions) == "Did you mean eigenvectors?"
    [link] = elements(suggestions, "a")
    assert dict(link.attributes)["href"] == "?q=eigenvectors&level=introductory"
    assert "Khan Academy Linear Algebra" in result_titles(
        client.get("/search/", {"q": "eigenvectors", "level": "introductory"})
    )


def test_a_query_of_known_words_that_finds_nothing_suggests_no_words(client, seed_catalog):
    page = client.get("/search/", {"q": "keras fourier"})

    assert result_titles(page) == []
    assert not elements(page, "p", class_="suggestions")
    assert "Try fewer words or clear a filter." in text(page)


def test_suggestions_replace_each_unknown_word_with_the_nearest_known_ones():
    lexicon = SearchLexicon.from_texts(
        synonym_rows=[("svd", "singular value decomposition")],
        texts=["Covariance and variance", "Eigenvectors and eigenvalues", "Fourier transforms"],
    )

    assert suggest_queries(["fourier", "kovarianse"], lexicon) == [
        "fourier covariance",
        "fourier variance",
    ]
    assert suggest_queries(["eignvektor", "kovarianse"], lexicon) == [
        "eigenvectors covariance",
        "eigenvectors variance",
    ]
    assert suggest_queries(["svdd"], lexicon) == ["svd"]
    # A word with nothing near is left out.
    assert suggest_queries(["fourier", "zzzz", "eignvektor"], lexicon) == ["fourier eigenvectors"]
    assert suggest_queries(["fourier", "zzzz"], lexicon) == ["fourier"]
    assert suggest_queries(["zzzz"], lexicon) == []
    # Every word known: it is their combination that finds nothing.
    assert suggest_queries(["fourier", "eigenvalues"], lexicon) == []


def test_snippets_start_and_end_with_whole_words(client, seed_catalog):
    page = client.get("/search/", {"q": "equations", "topic": "linear-algebra"})

    # Linear Algebra's guidance: "Note that it is good to learn about eigenvalue decomposition,
    # etc (DO NOT stop with just solving system of equations). You will use that to understand
    # Principal Compoenent Analysis and ..."
    assert [text(match) for match in elements(page, class_="resource__match")] == [
        "Found through its topic: …with just solving system of equations). You will use that "
        "to understand Principal…"
    ] * 2
    guidance = Topic.objects.get(slug="linear-algebra").guidance
    for width in range(20, 130, 7):
        excerpt = html.unescape(strip_tags(snippet([guidance], ["decomposition"], width=width)))
        body = excerpt.removeprefix("…").removesuffix("…")
        start = guidance.index(body)
        end = start + len(body)
        assert start == 0 or not guidance[start - 1].isalnum(), excerpt
        assert end == len(guidance) or not guidance[end].isalnum(), excerpt
        assert "decomposition" in body


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

    assert (found("bayesian")) == [from_title, from_note, from_topic]


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

    moved, unlisted = Listing.objects.filter(topic=topic)[:2]
    elsewhere = make_topic(title="Elsewhere", guidance="Wavelets")
    moved.topic = elsewhere
    moved.save()
    unlisted.delete()
    assert len(found_titles("kalman")) == 1
    assert found_titles("wavelets") == [moved.resource.title]


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
    with django_assert_max_num_queries(5) as small:
        client.get("/search/", {"q": "eigen matrices"})
    make_resources(topic, 300, note="matrices")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/search/", {"q": "eigen matrices"})
    assert "305 resources found" in text(response)


@pytest.mark.parametrize(
    ("query", "suggests"),
    [("eigen matrices", False), ("SVD", False), ("compoenent analysis", False), ("eignvalu", True)],
)
def test_synonyms_slips_and_suggestions_cost_no_query_more(
    client, django_assert_max_num_queries, query, suggests
):
    """The first search after a catalog change reads the synonyms and the vocabulary (once per
    catalog version and process) in the query the separate COUNT used to cost (the five: the
    catalog version, the lexicon, the filters' topics, where resources are listed, the page)."""
    topic = make_topic(title="Linear Algebra", guidance="Eigenvalues, principal component analysis")
    make_resources(topic, 5, note="matrices, the singular value decomposition")
    SearchSynonym.objects.create(term="svd", expansions="singular value decomposition")

    with django_assert_max_num_queries(5):
        response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert ("Did you mean eigenvalues?" in text(response)) == suggests
    assert ("5 resources found" in text(response)) != suggests


def test_a_result_found_through_its_topic_says_where_it_matched(client):
    topic = make_topic(title="Linear Algebra", guidance="Learn eigenvalue decomposition well.")
    make_resource(topic, title="Khan Academy", note="Videos")

    page = client.get("/search/", {"q": "eigen"})

    [match] = elements(page, "p", class_="resource__match")
    assert text(match) == "Found through its topic: Learn eigenvalue decomposition well."
    assert [text(mark) for mark in elements(match, "mark")] == ["eigenvalue"]
