"""Public catalog pages: what they show, what they hide, and how many queries they cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from catalog.models import Degree, Requirement, Resource, Topic
from catalog.views import RESOURCES_PER_PAGE, RESOURCES_PER_TOPIC_PREVIEW, TOPICS_PER_PAGE
from tests.factories import (
    SEED_TOPICS,
    make_degree,
    make_requirement,
    make_resource,
    make_resources,
    make_topic,
)
from tests.html import by_id, elements, main_text, parsed, text, topic_titles
from tests.html import result_titles as result_titles_in

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


def result_titles(response):
    return result_titles_in(page_text(response))


def attribute(element, name):
    return dict(element.attributes).get(name)


# The catalog page


def test_catalog_lists_every_seed_topic_in_curriculum_order(client, seed_catalog):
    assert topic_titles(page_text(client.get("/"))) == SEED_TOPICS


def test_catalog_shows_guidance_and_resource_details(client, seed_catalog):
    response = client.get("/")
    page = parsed(page_text(response))

    assert "DO NOT stop with just solving system of equations" in text(page)
    (book,) = elements(
        page,
        "a",
        href="http://www.ifp.illinois.edu/~hajek/Papers/randomprocDec11.pdf",
        target="_blank",
        rel="noopener noreferrer",
    )
    assert text(book).startswith("An exploration of Random Processes for Engineers")
    assert "University of Illinois (Bruce Hajek)" in text(page)
    assertContains(response, '<span class="tag tag--book">Book</span>', html=True)
    assertContains(response, '<span class="tag tag--level">Advanced</span>', html=True)
    assert "this is an advanced course but one of my favorites." in text(page)


def test_catalog_shows_estimated_hours_when_known(client):
    make_resource(title="Calculus course", estimated_hours=12)

    assert "about 12 h" in text(page_text(client.get("/")))


def test_catalog_summarises_the_degrees(client, seed_catalog):
    response = client.get("/")

    for degree in Degree.objects.all():
        assertContains(
            response, f'<a href="{degree.get_absolute_url()}">{degree.title}</a>', html=True
        )
    assert "Uses Keras and XGBoost for Kaggle competitions." in text(response)


def test_catalog_previews_a_few_resources_and_links_to_the_rest(client):
    topic = make_topic(title="Calculus", slug="calculus")
    make_resources(topic, RESOURCES_PER_TOPIC_PREVIEW + 3)

    response = client.get("/")

    assert len(result_titles(response)) == RESOURCES_PER_TOPIC_PREVIEW
    total = RESOURCES_PER_TOPIC_PREVIEW + 3
    assertContains(
        response, f'<a href="/topics/calculus/">All {total} Calculus resources →</a>', html=True
    )


def test_catalog_has_no_link_to_the_rest_when_the_preview_shows_everything(client):
    topic = make_topic(title="Calculus")
    make_resources(topic, RESOURCES_PER_TOPIC_PREVIEW)
    make_resources(topic, 3, is_published=False)

    response = client.get("/")

    assert len(result_titles(response)) == RESOURCES_PER_TOPIC_PREVIEW
    assert "Calculus resources →" not in text(page_text(response))


def test_catalog_paginates_topics(client):
    for position in range(TOPICS_PER_PAGE + 1):
        make_topic(title=f"Topic {position:02}", position=position, is_reading=True)

    first = parsed(page_text(client.get("/")))
    second = text(page_text(client.get("/", {"page": 2})))

    assert f"Topic {TOPICS_PER_PAGE - 1:02}" in text(first)
    assert f"Topic {TOPICS_PER_PAGE:02}" not in text(first)
    assert f"Topic {TOPICS_PER_PAGE:02}" in second
    assert elements(first, "a", href="?page=2")


def test_empty_catalog_says_how_to_load_it(client):
    assert "loaddata catalog" in text(page_text(client.get("/")))


# Topics learners do not see, and reading topics


@pytest.fixture
def hidden_topics(seed_catalog):
    """Two topics with nothing published: one new from an import, and an empty one."""
    drafts = make_topic(title="Optimisation drafts", slug="optimisation", position=15)
    make_resource(drafts, title="Convex Optimization draft", is_published=False)
    empty = make_topic(title="Empty topic", slug="empty", position=16)
    Topic.objects.get(slug="stochastic-processes").prerequisites.add(drafts, empty)
    return [drafts, empty]


def test_a_topic_without_a_published_resource_is_not_in_the_catalog(client, hidden_topics):
    titles = topic_titles(page_text(client.get("/")))

    assert titles == SEED_TOPICS
    assert "No resources yet" not in text(page_text(client.get("/")))


@pytest.mark.parametrize("slug", ["optimisation", "empty"])
def test_a_topic_without_a_published_resource_has_no_page(client, hidden_topics, slug):
    assert client.get(f"/topics/{slug}/").status_code == 404


def test_no_page_links_to_a_hidden_topic(client, hidden_topics):
    for url in ["/", "/topics/calculus/", "/topics/stochastic-processes/", "/search/", "/degrees/"]:
        response = client.get(url)
        assert response.status_code == 200
        for topic in hidden_topics:
            assert not elements(page_text(response), "a", href=topic.get_absolute_url()), url
            assert topic.title not in text(response), url


def test_search_offers_no_hidden_topic_and_refuses_one(client, hidden_topics):
    page = parsed(page_text(client.get("/search/")))
    offered = [attribute(option, "value") for option in elements(page, "option")]
    assert "calculus" in offered
    assert "optimisation" not in offered

    refused = text(page_text(client.get("/search/", {"topic": "optimisation"})))
    assert "Topic: Select a valid choice." in refused
    assert "Convex Optimization draft" not in refused


def test_the_catalog_paginates_only_the_topics_learners_see(client):
    for position in range(TOPICS_PER_PAGE):
        make_resource(make_topic(position=position))
    make_topic(position=TOPICS_PER_PAGE + 1)

    page = text(page_text(client.get("/")))

    assert "Page 1 of" not in page  # one page: the hidden topic would have made a second


def test_a_reading_topic_shows_its_guidance_and_what_it_builds_on_without_a_list(
    client, seed_catalog
):
    response = client.get("/topics/stochastic-processes/")

    words = main_text(response)
    assert 'If you "combine" Probability with Signal Processing' in words
    (prerequisites,) = elements(page_text(response), "p", class_="prerequisites")
    assert text(prerequisites) == "Builds on: Statistics and probability, Signal Processing"
    assert not elements(page_text(response), id="resources-heading")
    assert "No resources" not in words
    assert not elements(page_text(response), class_="empty")


def test_the_catalog_shows_a_reading_topic_without_an_empty_list(client, seed_catalog):
    page = parsed(page_text(client.get("/")))

    stochastic = by_id(page, "topic-stochastic-processes")
    (article,) = [a for a in elements(page, "article") if stochastic in elements(a, "h3")]
    assert "Stochastic Processes which is the theory behind RNN" in text(article)
    assert not elements(article, "ul", class_="resources")
    assert "No resources" not in text(page)


def test_a_learner_sees_no_empty_progress_bar_on_a_reading_topic(client, seed_catalog, learner):
    client.force_login(learner)

    topic_page = parsed(page_text(client.get("/topics/stochastic-processes/")))
    catalog = parsed(page_text(client.get("/")))

    assert not elements(topic_page, id="topic-progress-stochastic-processes")
    assert not elements(catalog, id="topic-progress-stochastic-processes")
    assert elements(catalog, id="topic-progress-calculus")


def test_a_reading_topic_with_resources_lists_them(client, seed_catalog):
    topic = Topic.objects.get(slug="stochastic-processes")
    make_resource(topic, title="Kalman filters explained")

    response = client.get("/topics/stochastic-processes/")

    assert result_titles(response) == ["Kalman filters explained"]
    assert elements(page_text(response), id="resources-heading")


def test_degree_page_says_when_a_required_topic_is_not_shown(client, seed_catalog):
    Resource.objects.filter(listings__topic__slug="calculus").update(is_published=False)
    Topic.objects.get(slug="calculus").save()  # the bulk update sends no signal

    page = parsed(page_text(client.get("/degrees/")))

    assert "A required topic is not available right now." in text(page)
    assert not elements(page, "a", href="/topics/calculus/")
    assert "Complete every Linear Algebra resource" in text(page)


def catalog_of(resource_count, topic_count):
    for _ in range(topic_count):
        make_resources(make_topic(), resource_count // topic_count)


def test_catalog_page_runs_the_same_few_queries_for_10_or_1000_resources(
    client, django_assert_max_num_queries
):
    make_degree()
    catalog_of(10, topic_count=5)
    with django_assert_max_num_queries(5) as small:
        page_text(client.get("/"))

    catalog_of(990, topic_count=45)
    with django_assert_max_num_queries(5) as large:
        html = page_text(client.get("/"))

    assert len(large) == len(small)
    assert f"Page 1 of {50 // TOPICS_PER_PAGE + 1}" in text(html)


def catalog_queries(queries):
    """The queries a page made of the catalog: without the catalog version's read of the
    shared cache, which is a query only when that cache is the database table."""
    return [query for query in queries.captured_queries if "mlmath_cache" not in query["sql"]]


def test_catalog_page_query_count_is_exact(client, seed_catalog):
    # Paginator count, the page of topics with counts, their resource previews, the degrees.
    with CaptureQueriesContext(connection) as queries:
        page_text(client.get("/"))
    assert len(catalog_queries(queries)) == 4


# Markdown in guidance


def test_guidance_markdown_is_rendered(client):
    make_topic(guidance="Learn **eigenvalues**.\n\n- one\n- two", is_reading=True)

    response = client.get("/")

    assertContains(response, "<strong>eigenvalues</strong>", html=True)
    assertContains(response, "<li>one</li>", html=True)


def test_guidance_cannot_inject_html_or_scripts(client):
    make_topic(
        guidance=(
            '<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n'
            "[click me](javascript:alert(1))"
        ),
        is_reading=True,
    )

    (guidance,) = elements(page_text(client.get("/")), "div", class_="guidance")

    assert not elements(guidance, "script")
    assert '<script>alert("x")</script>' in text(guidance)  # shown as text, harmless
    assert not elements(guidance, "img")
    assert not [link for link in elements(guidance, "a") if attribute(link, "href")]


def test_guidance_links_open_safely_in_a_new_tab(client):
    make_topic(guidance="See [the notes](https://example.org/notes).", is_reading=True)

    (link,) = elements(page_text(client.get("/")), "a", href="https://example.org/notes")

    assert attribute(link, "target") == "_blank"
    assert set(attribute(link, "rel").split()) == {"noopener", "noreferrer", "nofollow"}


# A topic's page


def test_topic_page_links_prerequisites_and_neighbours(client, seed_catalog):
    response = client.get("/topics/stochastic-processes/")

    assertContains(response, "<h1>Stochastic Processes</h1>", html=True)
    (prerequisites,) = elements(page_text(response), "p", class_="prerequisites")
    linked = {attribute(link, "href"): text(link) for link in elements(prerequisites, "a")}
    assert linked == {
        "/topics/statistics-and-probability/": "Statistics and probability",
        "/topics/signal-processing/": "Signal Processing",
    }
    assertContains(
        response,
        '<a rel="prev" href="/topics/signal-processing/">← Signal Processing</a>',
        html=True,
    )
    assertContains(
        response, '<a rel="next" href="/topics/other-lists/">Other lists →</a>', html=True
    )


def test_first_topic_has_no_previous_link(client, seed_catalog):
    response = client.get("/topics/calculus/")

    assert not elements(page_text(response), "a", rel="prev")
    assertContains(
        response, '<a rel="next" href="/topics/linear-algebra/">Linear Algebra →</a>', html=True
    )


def test_topic_page_lists_its_published_resources(client, seed_catalog):
    response = client.get("/topics/statistics-and-probability/")

    assert result_titles(response) == [
        "edx Introduction to Statistics",
        "edx Probability",
        "An exploration of Random Processes for Engineers",
        "Information Theory",
    ]


def test_topic_page_paginates_long_lists(client):
    topic = make_topic(slug="calculus")
    make_resources(topic, RESOURCES_PER_PAGE + 2)

    first = client.get("/topics/calculus/")
    second = client.get("/topics/calculus/", {"page": 2})

    assert len(result_titles(first)) == RESOURCES_PER_PAGE
    assert len(result_titles(second)) == 2
    assert "Page 2 of 2" in text(page_text(second))


def test_unknown_topic_is_not_found(client, seed_catalog):
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_topic_page_queries_do_not_grow_with_the_topic(client, django_assert_max_num_queries):
    topic = make_topic(slug="calculus")
    topic.prerequisites.add(make_topic(), make_topic())
    make_resources(topic, 3)
    with CaptureQueriesContext(connection) as small:
        page_text(client.get("/topics/calculus/"))

    make_resources(topic, 200)
    topic.prerequisites.add(make_topic(), make_topic())
    with CaptureQueriesContext(connection) as large:
        page_text(client.get("/topics/calculus/"))

    assert len(catalog_queries(small)) <= 6
    assert len(catalog_queries(large)) == len(catalog_queries(small))


# Degrees


def test_degree_page_lists_cumulative_degrees_with_quoted_requirements(client, seed_catalog):
    page = parsed(page_text(client.get("/degrees/")))

    heading_ids = [attribute(heading, "id") or "" for heading in elements(page, "h2")]
    assert [id for id in heading_ids if id.startswith("degree-")] == [
        "degree-practitioner-heading",
        "degree-developer-heading",
        "degree-researcher-heading",
    ]

    def says(words, href):
        """Some element reads `words` and links to `href` within them."""
        return any(
            text(element).startswith(words) and elements(element, "a", href=href)
            for element in elements(page)
            if element.name in {"li", "p"}
        )

    assert says("Complete Keras", "/topics/how-to-study-the-degrees/#resource-keras")
    assert says(
        "Complete at least 2 Statistics and probability resources",
        "/topics/statistics-and-probability/",
    )
    assert says("Complete every Calculus resource", "/topics/calculus/")
    assert says("Everything the Practitioner degree asks", "#degree-practitioner")
    assert "You should need calculus and linear algebra to understand what you are doing." in (
        text(page)
    )


@pytest.mark.parametrize("slug", ["practitioner", "developer", "researcher"])
def test_degree_pages_quote_each_source_sentence_once(client, seed_catalog, slug):
    """The seed's degree descriptions quote the source paragraphs the requirements cite: the
    pages showed each sentence twice, in the description and again under it."""
    quotes = set(
        Requirement.objects.filter(degree__slug=slug).values_list("source_quote", flat=True)
    )
    assert quotes

    for path in ["/degrees/", f"/degrees/{slug}/"]:
        words = text(page_text(client.get(path)))
        for quote in quotes:
            assert words.count(quote) == 1, (path, quote)


def test_a_source_sentence_the_description_does_not_quote_is_quoted_under_it(client, seed_catalog):
    quote = "Write your own layers."
    requirement = Requirement.objects.get(degree__slug="developer", slug="new-keras-layer")
    requirement.source_quote = quote
    requirement.save()

    page = parsed(page_text(client.get("/degrees/developer/")))

    (quotes,) = elements(page, "figure", class_="source-quotes")
    assert [text(q) for q in elements(quotes, "blockquote")] == [quote]


def test_degree_page_queries_do_not_grow_with_requirements(client, django_assert_max_num_queries):
    degree = make_degree()
    make_requirement(degree, resource=make_resource())
    with django_assert_max_num_queries(3) as small:
        page_text(client.get("/degrees/"))

    for _ in range(10):
        make_requirement(make_degree(), resource=make_resource())
        make_requirement(degree, topic=make_topic())
    with django_assert_max_num_queries(3) as large:
        page_text(client.get("/degrees/"))

    assert len(large) == len(small)


# Search


def test_search_page_works_without_javascript(client, seed_catalog):
    response = client.get("/search/", {"q": "khan"})

    page = parsed(page_text(response))
    assert elements(page, "html")
    assert elements(page, "form", class_="search-form", action="/search/", method="get")
    assert result_titles(response) == ["Khan Academy Calculus", "Khan Academy Linear Algebra"]
    assert "2 resources found" in text(page)


def test_search_without_a_query_lists_every_published_resource(client, seed_catalog):
    response = client.get("/search/")

    assert len(result_titles(response)) == 14
    assert "14 resources" in text(page_text(response))


def test_search_finds_resources_through_their_topic(client, seed_catalog):
    response = client.get("/search/", {"q": "Fourier"})

    # Signal Processing's guidance says "Fourier Transforms"; the MIT course's keywords name the
    # discrete Fourier transform, so it comes first.
    assert result_titles(response) == [
        "edx Discrete Time Signal Processing",
        "edx Signals and Systems, part 1",
        "adaptive signal processing",
    ]


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"topic": "linear-algebra"}, ["Khan Academy Linear Algebra", "Linear Algebra MIT"]),
        ({"kind": "tool"}, ["Keras", "XGboost"]),
        ({"level": "advanced"}, ["An exploration of Random Processes for Engineers",
                                  "edx Discrete Time Signal Processing"]),
        ({"q": "edx", "level": "advanced"}, ["edx Discrete Time Signal Processing"]),
        ({"q": "khan", "topic": "calculus", "kind": "course", "level": "introductory"},
         ["Khan Academy Calculus"]),
    ],
)  # fmt: skip
def test_search_filters_narrow_the_results(client, seed_catalog, filters, titles):
    assert result_titles(client.get("/search/", filters)) == titles


def test_search_shows_which_topic_each_result_belongs_to(client, seed_catalog):
    page = parsed(page_text(client.get("/search/", {"q": "keras"})))

    (card,) = [card for card in elements(page, "li") if result_titles_in(card) == ["Keras"]]
    assert elements(card, "a", href="/topics/how-to-study-the-degrees/")


def test_search_with_no_match_says_so(client, seed_catalog):
    page = text(page_text(client.get("/search/", {"q": "quaternions"})))

    assert "0 resources found" in page
    assert "No resources match your search." in page


def test_search_with_an_unknown_filter_value_explains_the_error(client, seed_catalog):
    html = text(page_text(client.get("/search/", {"kind": "podcast", "topic": "astrology"})))

    assert "Please correct the search:" in html
    assert "Kind: Select a valid choice. podcast is not one of the available choices." in html
    assert "Topic: Select a valid choice." in html


def test_htmx_search_returns_only_the_results_partial(client, seed_catalog):
    response = client.get("/search/", {"q": "khan"}, **HTMX)

    fragment = parsed(page_text(response))
    assert (fragment.name, attribute(fragment, "id")) == ("section", "results")
    assert not elements(fragment, "html")
    assert not elements(fragment, class_="search-form")
    assert result_titles(response) == ["Khan Academy Calculus", "Khan Academy Linear Algebra"]


def test_htmx_search_with_no_match_says_so(client, seed_catalog):
    fragment = parsed(page_text(client.get("/search/", {"q": "quaternions"}, **HTMX)))

    assert not elements(fragment, "html")
    assert "No resources match your search." in text(fragment)


def test_boosted_and_history_restore_requests_get_the_whole_page(client, seed_catalog):
    boosted = client.get("/search/", {"q": "khan"}, HTTP_HX_BOOSTED="true", **HTMX)
    restore = client.get("/search/", {"q": "khan"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)

    assert elements(page_text(boosted), "html")
    assert elements(page_text(restore), "html")


def test_search_response_varies_on_the_htmx_header(client, seed_catalog):
    # The full page and the partial share a URL; caches must keep them apart.
    assert "HX-Request" in client.get("/search/")["Vary"]


def test_search_form_searches_as_you_type_and_updates_the_address(client):
    (form,) = elements(page_text(client.get("/search/")), "form", class_="search-form")

    assert attribute(form, "hx-get") == "/search/"
    assert attribute(form, "hx-target") == "#results"
    assert attribute(form, "hx-swap") == "outerHTML"
    assert attribute(form, "hx-push-url") == "true"
    assert "input changed delay:300ms" in attribute(form, "hx-trigger")


def test_search_pagination_keeps_the_query_and_works_with_and_without_htmx(client):
    topic = make_topic(title="Linear Algebra")
    make_resources(topic, 30, note="eigen & vectors")

    page = parsed(page_text(client.get("/search/", {"q": "eigen & vectors"})))

    assert elements(page, "a", href="?q=eigen+%26+vectors&page=2")
    assert elements(page, "a", **{"hx-get": "?q=eigen+%26+vectors&page=2"})
    second = client.get("/search/", {"q": "eigen & vectors", "page": 2}, **HTMX)
    assert len(result_titles(second)) == 5


@pytest.mark.parametrize(
    ("page", "shown"),
    [("2", 2), ("99", 2), ("0", 2), ("-1", 2), ("two", 1), ("99999999999999999999999", 2)],
)
def test_a_search_page_out_of_range_shows_the_last_and_not_a_number_the_first(client, page, shown):
    topic = make_topic(title="Linear Algebra")
    make_resources(topic, 30, note="eigen & vectors")

    response = client.get("/search/", {"q": "vectors", "page": page})

    assert response.status_code == 200
    assert f"Page {shown} of 2" in text(response)
    assert len(result_titles(response)) == (5 if shown == 2 else 25)
    assert "30 resources found" in text(response)


def test_search_queries_do_not_grow_with_the_results(client, django_assert_max_num_queries):
    # The catalog version, the page of results with their number; and once per catalog version
    # the topics of the filters and where each resource is listed (a new catalog here, each time).
    catalog_of(10, topic_count=2)
    with django_assert_max_num_queries(4) as small:
        page_text(client.get("/search/"))

    catalog_of(500, topic_count=20)
    with django_assert_max_num_queries(4) as large:
        page_text(client.get("/search/"))

    assert len(large) == len(small)


def test_pages_refuse_post(client):
    for url in ["/", "/degrees/", "/search/"]:
        assert client.post(url).status_code == 405


# Unpublished resources are never shown


@pytest.fixture
def hidden_resource(seed_catalog):
    """Keras, unpublished: still required by the Practitioner degree."""
    Resource.objects.filter(slug="keras").update(is_published=False)
    return Resource.objects.get(slug="keras")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/topics/how-to-study-the-degrees/",
        "/degrees/",
        "/search/?q=keras",
        "/search/?kind=tool",
        "/search/?topic=how-to-study-the-degrees",
    ],
)
def test_unpublished_resource_is_never_shown(client, hidden_resource, url):
    response = client.get(url)

    assertNotContains(response, hidden_resource.url)
    assert not elements(page_text(response), id=f"resource-{hidden_resource.slug}")
    assert hidden_resource.title not in result_titles(client.get(url))


def test_unpublished_resource_is_not_in_htmx_results(client, hidden_resource):
    response = client.get("/search/", {"kind": "tool"}, **HTMX)

    assertNotContains(response, hidden_resource.url)
    assert result_titles(response) == ["XGboost"]


def test_degree_page_says_when_a_required_resource_is_unavailable(client, hidden_resource):
    assert "A required resource is not available right now." in text(client.get("/degrees/"))


def test_topic_counts_ignore_unpublished_resources(client):
    topic = make_topic(title="Calculus")
    make_resources(topic, RESOURCES_PER_TOPIC_PREVIEW + 1, is_published=False)
    make_resources(topic, 2)

    response = client.get("/")

    assert len(result_titles(response)) == 2
    assert "Calculus resources →" not in text(page_text(response))


def test_search_query_is_escaped_in_the_page(client):
    response = client.get("/search/", {"q": '"><script>alert(1)</script>'})

    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)</script>")


def test_resource_card_links_to_the_resource_safely(client):
    make_resource(title="Course", url="https://example.org/course")

    (link,) = elements(page_text(client.get("/")), "a", href="https://example.org/course")

    assert attribute(link, "target") == "_blank"
    assert set(attribute(link, "rel").split()) == {"noopener", "noreferrer"}
    assert text(link) == "Course (opens in a new tab)"


def test_htmx_partial_skips_the_work_of_the_whole_page(client):
    catalog_of(10, topic_count=2)
    with CaptureQueriesContext(connection) as full_page:
        page_text(client.get("/search/"))
    with CaptureQueriesContext(connection) as partial:
        page_text(client.get("/search/", **HTMX))

    # The partial does not render the form, so it never loads the topic choices.
    assert len(partial) < len(full_page)


@pytest.mark.parametrize(
    "url", ["/", "/topics/calculus/", "/degrees/", "/search/", "/search/?q=khan&level=introductory"]
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_every_page_renders(client, seed_catalog, url, headers):
    assert client.get(url, **headers).status_code == 200
