"""Public catalog pages: what they show, what they hide, and how many queries they cost."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Degree, Resource
from catalog.views import RESOURCES_PER_PAGE, RESOURCES_PER_TOPIC_PREVIEW, TOPICS_PER_PAGE
from tests.factories import (
    make_degree,
    make_requirement,
    make_resource,
    make_resources,
    make_topic,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


def result_titles(response):
    """Titles of the resource cards on a page, in order."""
    titles = re.findall(r'class="resource__title"><a [^>]*>(.+?)<span', response.content.decode())
    return [html.unescape(re.sub(r"</?mark>", "", title)) for title in titles]


# The catalog page


def test_catalog_lists_every_seed_topic_in_curriculum_order(client, seed_catalog):
    html = page_text(client.get("/"))

    titles = re.findall(r'<h3 id="topic-[^"]+"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == [
        "Calculus",
        "Linear Algebra",
        "Statistics and probability",
        "Signal Processing",
        "Stochastic Processes",
        "Other lists",
        "How to study, the &quot;degrees&quot;",
    ]


def test_catalog_shows_guidance_and_resource_details(client, seed_catalog):
    html = page_text(client.get("/"))

    assert "DO NOT stop with just solving system of equations" in html
    assert (
        '<a href="http://www.ifp.illinois.edu/~hajek/Papers/randomprocDec11.pdf" target="_blank"'
        ' rel="noopener noreferrer">An exploration of Random Processes for Engineers'
    ) in html
    assert "University of Illinois (Bruce Hajek)" in html
    assert '<span class="tag tag--book">Book</span>' in html
    assert '<span class="tag tag--level">Advanced</span>' in html
    assert "this is an advanced course but one of my favorites." in html


def test_catalog_shows_estimated_hours_when_known(client):
    make_resource(title="Calculus course", estimated_hours=12)

    assert "about 12 h" in page_text(client.get("/"))


def test_catalog_summarises_the_degrees(client, seed_catalog):
    html = page_text(client.get("/"))

    for degree in Degree.objects.all():
        assert f'<a href="{degree.get_absolute_url()}">{degree.title}</a>' in html
    assert "Uses Keras and XGBoost for Kaggle competitions." in html


def test_catalog_previews_a_few_resources_and_links_to_the_rest(client):
    topic = make_topic(title="Calculus", slug="calculus")
    make_resources(topic, RESOURCES_PER_TOPIC_PREVIEW + 3)

    response = client.get("/")

    assert len(result_titles(response)) == RESOURCES_PER_TOPIC_PREVIEW
    total = RESOURCES_PER_TOPIC_PREVIEW + 3
    html = page_text(response)
    assert f'<a href="/topics/calculus/">All {total} Calculus resources →</a>' in html


def test_catalog_has_no_link_to_the_rest_when_the_preview_shows_everything(client):
    topic = make_topic(title="Calculus")
    make_resources(topic, RESOURCES_PER_TOPIC_PREVIEW)
    make_resources(topic, 3, is_published=False)

    response = client.get("/")

    assert len(result_titles(response)) == RESOURCES_PER_TOPIC_PREVIEW
    assert "Calculus resources →" not in page_text(response)


def test_catalog_paginates_topics(client):
    for position in range(TOPICS_PER_PAGE + 1):
        make_topic(title=f"Topic {position:02}", position=position)

    first = page_text(client.get("/"))
    second = page_text(client.get("/", {"page": 2}))

    assert f"Topic {TOPICS_PER_PAGE - 1:02}" in first
    assert f"Topic {TOPICS_PER_PAGE:02}" not in first
    assert f"Topic {TOPICS_PER_PAGE:02}" in second
    assert 'href="?page=2"' in first


def test_empty_catalog_says_how_to_load_it(client):
    assert "loaddata catalog" in page_text(client.get("/"))


def test_topic_without_resources_says_so(client):
    make_topic(title="Stochastic Processes")

    assert "No resources yet." in page_text(client.get("/"))


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
    assert f"Page 1 of {50 // TOPICS_PER_PAGE + 1}" in html


def test_catalog_page_query_count_is_exact(client, seed_catalog, django_assert_num_queries):
    # Paginator count, the page of topics with counts, their resource previews, the degrees.
    with django_assert_num_queries(4):
        page_text(client.get("/"))


# Markdown in guidance


def test_guidance_markdown_is_rendered(client):
    make_topic(guidance="Learn **eigenvalues**.\n\n- one\n- two")

    html = page_text(client.get("/"))

    assert "<strong>eigenvalues</strong>" in html
    assert "<li>one</li>" in html


def test_guidance_cannot_inject_html_or_scripts(client):
    make_topic(
        guidance=(
            '<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n'
            "[click me](javascript:alert(1))"
        )
    )

    html = page_text(client.get("/"))

    guidance = html.split('<div class="guidance">')[1].split("</div>")[0]
    assert "<script" not in guidance
    assert "&lt;script&gt;" in guidance
    assert "<img" not in guidance
    assert "href=" not in guidance


def test_guidance_links_open_safely_in_a_new_tab(client):
    make_topic(guidance="See [the notes](https://example.org/notes).")

    html = page_text(client.get("/"))

    link = re.search(r'<a [^>]*href="https://example.org/notes"[^>]*>', html)[0]
    assert 'target="_blank"' in link
    assert 'rel="noopener noreferrer nofollow"' in link


# A topic's page


def test_topic_page_links_prerequisites_and_neighbours(client, seed_catalog):
    html = page_text(client.get("/topics/stochastic-processes/"))

    assert "<h1>Stochastic Processes</h1>" in html
    prerequisites = html.split('<p class="prerequisites">')[1].split("</p>")[0]
    assert '<a href="/topics/statistics-and-probability/">Statistics and probability</a>' in (
        prerequisites
    )
    assert '<a href="/topics/signal-processing/">Signal Processing</a>' in prerequisites
    assert '<a rel="prev" href="/topics/signal-processing/">← Signal Processing</a>' in html
    assert '<a rel="next" href="/topics/other-lists/">Other lists →</a>' in html
    assert "No resources in this topic yet." in html


def test_first_topic_has_no_previous_link(client, seed_catalog):
    html = page_text(client.get("/topics/calculus/"))

    assert 'rel="prev"' not in html.split('class="topic-neighbours"')[1]
    assert '<a rel="next" href="/topics/linear-algebra/">Linear Algebra →</a>' in html


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
    assert "Page 2 of 2" in page_text(second)


def test_unknown_topic_is_not_found(client, seed_catalog):
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_topic_page_queries_do_not_grow_with_the_topic(client, django_assert_max_num_queries):
    topic = make_topic(slug="calculus")
    topic.prerequisites.add(make_topic(), make_topic())
    make_resources(topic, 3)
    with django_assert_max_num_queries(6) as small:
        page_text(client.get("/topics/calculus/"))

    make_resources(topic, 200)
    topic.prerequisites.add(make_topic(), make_topic())
    with django_assert_max_num_queries(6) as large:
        page_text(client.get("/topics/calculus/"))

    assert len(large) == len(small)


# Degrees


def test_degree_page_lists_cumulative_degrees_with_quoted_requirements(client, seed_catalog):
    html = page_text(client.get("/degrees/"))

    assert re.findall(r'<h2 id="degree-([\w-]+)-heading">', html) == [
        "practitioner",
        "developer",
        "researcher",
    ]
    assert 'Complete <a href="/topics/how-to-study-the-degrees/#resource-keras">Keras</a>' in html
    assert (
        'Complete at least 2 <a href="/topics/statistics-and-probability/">'
        "Statistics and probability</a> resources"
    ) in html
    assert 'Complete every <a href="/topics/calculus/">Calculus</a> resource' in html
    assert 'Everything the <a href="#degree-practitioner">Practitioner</a> degree asks' in html
    assert "You should need calculus and linear algebra to understand what you are doing." in html


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

    html = page_text(response)
    assert "<html" in html
    assert '<form class="search-form" action="/search/" method="get"' in html
    assert result_titles(response) == ["Khan Academy Calculus", "Khan Academy Linear Algebra"]
    assert "2 resources found" in html


def test_search_without_a_query_lists_every_published_resource(client, seed_catalog):
    response = client.get("/search/")

    assert len(result_titles(response)) == 14
    assert "14 resources" in page_text(response)


def test_search_finds_resources_through_their_topic(client, seed_catalog):
    response = client.get("/search/", {"q": "Fourier"})

    assert result_titles(response) == [
        "edx Signals and Systems, part 1",
        "edx Discrete Time Signal Processing",
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
    html = page_text(client.get("/search/", {"q": "keras"}))

    assert 'in <a href="/topics/how-to-study-the-degrees/">' in html


def test_search_with_no_match_says_so(client, seed_catalog):
    html = page_text(client.get("/search/", {"q": "quaternions"}))

    assert "0 resources found" in html
    assert "No resources match your search." in html


def test_search_with_an_unknown_filter_value_explains_the_error(client, seed_catalog):
    html = page_text(client.get("/search/", {"kind": "podcast", "topic": "astrology"}))

    assert "Please correct the search:" in html
    assert "Kind: Select a valid choice. podcast is not one of the available choices." in html
    assert "Topic: Select a valid choice." in html


def test_htmx_search_returns_only_the_results_partial(client, seed_catalog):
    response = client.get("/search/", {"q": "khan"}, **HTMX)

    html = page_text(response).strip()
    assert html.startswith('<section id="results"')
    assert html.endswith("</section>")
    assert "<html" not in html
    assert "search-form" not in html
    assert result_titles(response) == ["Khan Academy Calculus", "Khan Academy Linear Algebra"]


def test_htmx_search_with_no_match_says_so(client, seed_catalog):
    html = page_text(client.get("/search/", {"q": "quaternions"}, **HTMX))

    assert "<html" not in html
    assert "No resources match your search." in html


def test_boosted_and_history_restore_requests_get_the_whole_page(client, seed_catalog):
    boosted = client.get("/search/", {"q": "khan"}, HTTP_HX_BOOSTED="true", **HTMX)
    restore = client.get("/search/", {"q": "khan"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)

    assert "<html" in page_text(boosted)
    assert "<html" in page_text(restore)


def test_search_response_varies_on_the_htmx_header(client, seed_catalog):
    # The full page and the partial share a URL; caches must keep them apart.
    assert "HX-Request" in client.get("/search/")["Vary"]


def test_search_form_searches_as_you_type_and_updates_the_address(client):
    html = page_text(client.get("/search/"))
    form = re.search(r'<form class="search-form"[^>]*>', html)[0]

    assert 'hx-get="/search/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-swap="outerHTML"' in form
    assert 'hx-push-url="true"' in form
    assert "input changed delay:300ms" in form


def test_search_pagination_keeps_the_query_and_works_with_and_without_htmx(client):
    topic = make_topic(title="Linear Algebra")
    make_resources(topic, 30, note="eigen & vectors")

    html = page_text(client.get("/search/", {"q": "eigen & vectors"}))

    assert 'href="?q=eigen+%26+vectors&amp;page=2"' in html
    assert 'hx-get="?q=eigen+%26+vectors&amp;page=2"' in html
    second = client.get("/search/", {"q": "eigen & vectors", "page": 2}, **HTMX)
    assert len(result_titles(second)) == 5


def test_search_queries_do_not_grow_with_the_results(client, django_assert_max_num_queries):
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
    html = page_text(client.get(url))

    assert hidden_resource.url not in html
    assert f'id="resource-{hidden_resource.slug}"' not in html
    assert hidden_resource.title not in result_titles(client.get(url))


def test_unpublished_resource_is_not_in_htmx_results(client, hidden_resource):
    response = client.get("/search/", {"kind": "tool"}, **HTMX)

    assert hidden_resource.url not in page_text(response)
    assert result_titles(response) == ["XGboost"]


def test_degree_page_says_when_a_required_resource_is_unavailable(client, hidden_resource):
    html = page_text(client.get("/degrees/"))

    assert "A required resource is not available right now." in html


def test_topic_counts_ignore_unpublished_resources(client):
    topic = make_topic(title="Calculus")
    make_resources(topic, RESOURCES_PER_TOPIC_PREVIEW + 1, is_published=False)
    make_resources(topic, 2)

    html = page_text(client.get("/"))

    assert len(result_titles(client.get("/"))) == 2
    assert "Calculus resources →" not in html


def test_search_query_is_escaped_in_the_page(client):
    html = page_text(client.get("/search/", {"q": '"><script>alert(1)</script>'}))

    assert "<script>alert(1)</script>" not in html


def test_resource_card_links_to_the_resource_safely(client):
    make_resource(title="Course", url="https://example.org/course")

    html = page_text(client.get("/"))

    link = re.search(r'<a href="https://example.org/course"[^>]*>', html)[0]
    assert 'target="_blank"' in link
    assert 'rel="noopener noreferrer"' in link
    assert "(opens in a new tab)" in html


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
