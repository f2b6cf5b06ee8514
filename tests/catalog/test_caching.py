"""Cached catalog pages: every change shows at once, and nobody sees anyone else's state."""

import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext

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
from catalog.templatetags import catalog_tags
from progress.models import ResourceProgress
from tests.factories import complete
from tests.html import by_id, elements, main_text, result_titles, text, topic_titles

pytestmark = pytest.mark.django_db

PAGES = ["/", "/topics/calculus/", "/degrees/", "/degrees/developer/", "/search/?q=calculus"]


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("adalovelace7", "ada@example.org", "pw-ada-123456")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bobbybrown7", "bob@example.org", "pw-bob-123456")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def raw(response):
    """The page's bytes as text, for what must appear nowhere at all (not in an attribute, a
    hidden input or a script either), after checking the page answered."""
    assert response.status_code == 200
    return response.content.decode()


def resource_card(page, slug):
    """The card (<li>) of one resource on a page."""
    return by_id(page, f"resource-{slug}")


def classes(element):
    return dict(element.attributes).get("class", "").split()


def attribute_values(page, tag, attribute, **which):
    return [dict(element.attributes).get(attribute) for element in elements(page, tag, **which)]


# Visitors' pages are cached whole, with honest HTTP headers


def test_a_visitors_second_request_reads_only_the_catalog_version(seed_catalog, client):
    """No catalog query at all; with the database cache (no Redis) the version is one read of
    the cache table."""
    for url in PAGES:
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert len(queries) <= 1
        assert all("mlmath_cache" in query["sql"] for query in queries)


def test_visitors_pages_are_public_but_revalidated_and_vary_on_cookie_and_htmx(
    seed_catalog, client
):
    for url in PAGES:
        response = client.get(url)
        cache_control = response["Cache-Control"]
        assert "public" in cache_control
        assert "no-cache" in cache_control
        assert {"Cookie", "HX-Request"} <= {v.strip() for v in response["Vary"].split(",")}
        assert response["ETag"]
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert not_modified.status_code == 304


def test_the_etag_changes_with_the_catalog(seed_catalog, client):
    before = client.get("/topics/calculus/")["ETag"]
    topic = Topic.objects.get(slug="calculus")
    topic.summary = "Limits first."
    topic.save()
    after = client.get("/topics/calculus/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before
    assert "Limits first." in main_text(after)


def test_a_learners_pages_are_private_never_public(seed_catalog, ada, client):
    client.force_login(ada)
    for url in [*PAGES, "/progress/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "public" not in response.get("Cache-Control", "")
        assert "private" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert "ETag" not in response


def test_the_search_partial_and_the_whole_page_are_cached_apart(seed_catalog, client):
    whole = client.get("/search/?q=calculus")
    partial = client.get("/search/?q=calculus", HTTP_HX_REQUEST="true")
    assert elements(whole, "html")
    assert partial.status_code == 200
    assert not elements(partial, "html")
    assert result_titles(partial) == result_titles(whole)
    assert elements(client.get("/search/?q=calculus"), "html")


def test_visitors_pages_carry_no_csrf_token_or_cookie(seed_catalog, client):
    response = client.get("/")
    # Anywhere in the markup (the token would sit in <body hx-headers>), so the bytes are read.
    assert "X-CSRFToken" not in raw(response)
    assert "csrftoken" not in response.cookies


# Every way of changing the catalog shows on the next request


def test_an_admin_edit_shows_at_once(seed_catalog, client, curator_client, ada, management_form):
    learner = signed_in(ada)
    for url in ["/", "/topics/calculus/", "/search/?q=calculus"]:
        client.get(url)
        learner.get(url)
    resource = Resource.objects.get(slug="khan-academy-calculus")
    form = {k: ("" if v is None else v) for k, v in model_to_dict(resource).items()}
    form.update(management_form("listings"))  # its listings, left as they are
    form["title"] = "Khan Academy Calculus, revised"
    response = curator_client.post(f"/admin/catalog/resource/{resource.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    for url in ["/", "/topics/calculus/", "/search/?q=calculus"]:
        assert "Khan Academy Calculus, revised" in main_text(client.get(url))
        assert "Khan Academy Calculus, revised" in main_text(learner.get(url))


def test_an_admin_bulk_unpublish_shows_at_once(seed_catalog, client, curator_client):
    assert "Linear Algebra MIT" in result_titles(client.get("/topics/linear-algebra/"))
    resource = Resource.objects.get(slug="mit-linear-algebra")
    curator_client.post(
        "/admin/catalog/resource/",
        {"action": "unpublish", "_selected_action": [resource.pk]},
    )
    page = client.get("/topics/linear-algebra/")
    assert page.status_code == 200
    assert "Linear Algebra MIT" not in result_titles(page)


def test_unpublishing_a_topics_last_resource_hides_the_topic_at_once(
    seed_catalog, client, curator_client
):
    assert client.get("/topics/calculus/").status_code == 200
    assert "Calculus" in topic_titles(client.get("/"))
    resource = Resource.objects.get(slug="khan-academy-calculus")
    curator_client.post(
        "/admin/catalog/resource/",
        {"action": "unpublish", "_selected_action": [resource.pk]},
    )
    assert client.get("/topics/calculus/").status_code == 404
    assert "Calculus" not in topic_titles(client.get("/"))


def test_an_import_shows_at_once(seed_catalog, client, tmp_path):
    page = client.get("/topics/calculus/")
    assert page.status_code == 200
    assert "Calculus the Fast Way" not in result_titles(page)
    markdown = tmp_path / "list.md"
    markdown.write_text(
        "# My list\n\n## Calculus\n\n- [Calculus the Fast Way](https://example.org/fast) - quick\n"
    )
    call_command("import_awesome", str(markdown), verbosity=0)
    assert "Calculus the Fast Way" in result_titles(client.get("/topics/calculus/"))


def test_a_loaddata_shows_at_once(seed_catalog, client, tmp_path):
    assert "Calculus, reloaded" not in main_text(client.get("/"))
    fixture = tmp_path / "edit.json"
    fields = model_to_dict(Topic.objects.get(slug="calculus"), exclude=["id", "prerequisites"])
    fields["title"] = "Calculus, reloaded"
    fixture.write_text(json.dumps([{"model": "catalog.topic", "fields": fields}]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert "Calculus, reloaded" in main_text(client.get("/"))
    assert text(elements(client.get("/topics/calculus/"), "h1")[0]) == "Calculus, reloaded"


def test_shell_edits_show_at_once(seed_catalog, client):
    client.get("/topics/signal-processing/")
    calculus = Topic.objects.get(slug="calculus")
    Topic.objects.get(slug="signal-processing").prerequisites.add(calculus)  # m2m
    page = client.get("/topics/signal-processing/")
    assert "Calculus" in [text(link) for link in elements(page, "a", href="/topics/calculus/")]
    extra = Resource.objects.create(
        slug="temp", title="A passing resource", url="https://example.org/t"
    )
    extra.listings.create(topic=calculus)
    assert "A passing resource" in result_titles(client.get("/topics/calculus/"))
    extra.delete()
    page = client.get("/topics/calculus/")
    assert page.status_code == 200
    assert "A passing resource" not in result_titles(page)


# Learners never see each other's state


def test_two_learners_interleaved_each_see_only_their_own_state(seed_catalog, ada, bob):
    complete(ada, Resource.objects.get(slug="khan-academy-calculus"))
    ResourceProgress.objects.filter(learner=ada).update(note="Ada's secret jotting")
    ada_client, bob_client = signed_in(ada), signed_in(bob)
    for _round in range(2):
        for url in ["/", "/topics/calculus/", "/search/?q=calculus"]:
            ada_page, bob_page = ada_client.get(url), bob_client.get(url)
            ada_card = resource_card(ada_page, "khan-academy-calculus")
            bob_card = resource_card(bob_page, "khan-academy-calculus")
            assert "resource--completed" in classes(ada_card)
            assert [text(note) for note in elements(ada_card, "p", class_="note__text")] == [
                "Ada's secret jotting"
            ]
            assert "resource--completed" not in classes(bob_card)
            assert "Mark Khan Academy Calculus as completed" in map(
                text, elements(bob_card, "button")
            )
            # Nowhere in the other learner's bytes, not even in a hidden field or an attribute.
            assert "secret jotting" not in raw(bob_page)
            assert "adalovelace7" not in raw(bob_page)
            assert "bobbybrown7" not in raw(ada_page)
            if "search" not in url:  # the topics' progress bars
                calculus = by_id(ada_page, "topic-progress-calculus")
                assert text(calculus).startswith("1 of ")
                assert set(attribute_values(bob_page, "progress", "value")) == {"0"}
            assert ada_client.cookies["csrftoken"].value != bob_client.cookies["csrftoken"].value
    bob_client.post(
        "/progress/resources/khan-academy-calculus/status/",
        {"status": "in_progress"},
        HTTP_HX_REQUEST="true",
    )
    bob_card = resource_card(bob_client.get("/"), "khan-academy-calculus")
    ada_card = resource_card(ada_client.get("/"), "khan-academy-calculus")
    assert "resource--in_progress" in classes(bob_card)
    assert "resource--completed" in classes(ada_card)


def test_a_learners_buttons_carry_their_own_csrf_token_and_return_url(seed_catalog, ada, client):
    client.force_login(ada)
    client.get("/topics/calculus/")  # caches the buttons
    page = client.get("/topics/calculus/?page=1")
    token = client.cookies["csrftoken"].value
    tokens = set(attribute_values(page, "input", "value", name="csrfmiddlewaretoken"))
    assert tokens
    assert "mlmath" not in "".join(tokens)
    from django.middleware.csrf import _unmask_cipher_token

    assert {_unmask_cipher_token(t) for t in tokens} == {token}
    assert set(attribute_values(page, "input", "value", name="next")) == {
        "/topics/calculus/?page=1"
    }


def test_marking_with_htmx_answers_the_card_with_the_new_state(seed_catalog, ada, client):
    client.force_login(ada)
    client.get("/topics/calculus/")
    response = client.post(
        "/progress/resources/khan-academy-calculus/status/",
        {"status": "completed"},
        HTTP_HX_REQUEST="true",
    )
    assert "resource--completed" in classes(resource_card(response, "khan-academy-calculus"))
    # No slot marker of the cached card is left behind: a control character, so only the
    # bytes can show it.
    assert "\x02" not in raw(response)
    assert "resource--completed" in classes(
        resource_card(client.get("/topics/calculus/"), "khan-academy-calculus")
    )


# Markdown is rendered once per text, not per request


def test_markdown_is_rendered_once_per_text():
    with mock.patch.object(
        catalog_tags, "markdown_to_safe_html", wraps=catalog_tags.markdown_to_safe_html
    ) as render:
        first = catalog_tags.render_markdown("Read *this* first.")
        again = catalog_tags.render_markdown("Read *this* first.")
        edited = catalog_tags.render_markdown("Read *that* first.")
    assert first == again == "<p>Read <em>this</em> first.</p>\n"
    assert "<em>that</em>" in edited
    assert render.call_count == 2


# With several app servers, the version lives in Redis where all of them read it


def test_the_catalog_version_is_shared_through_redis(
    db, client, redis_url, django_capture_on_commit_callbacks
):
    import redis
    from django.core.cache import caches

    from mlmath.versions import CATALOG as CATALOG_VERSION_KEY

    other_server = redis.Redis.from_url(redis_url)  # what every other app server reads
    key = caches["default"].make_and_validate_key(CATALOG_VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):  # the seed, committed
        call_command("loaddata", "catalog", verbosity=0)
    client.get("/topics/calculus/")
    before = other_server.get(key)
    assert before
    topic = Topic.objects.get(slug="calculus")
    topic.summary = "Seen by every server."
    with django_capture_on_commit_callbacks(execute=True):  # what follows the commit
        topic.save()
        assert other_server.get(key) == before  # nobody can see the new row yet
    assert other_server.get(key) != before
    assert "Seen by every server." in main_text(client.get("/topics/calculus/"))


def test_raw_sql_edits_show_after_bump_catalog_version(seed_catalog, client):
    from django.db import connection

    client.get("/topics/calculus/")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_topic SET summary = %s WHERE slug = 'calculus'", ["Raw."])
    call_command("bump_catalog_version", verbosity=0)
    assert "Raw." in main_text(client.get("/topics/calculus/"))


def edit(model, lookup, **fields):
    row = model.objects.get(**lookup)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def passing_topic():
    return Topic.objects.create(
        curriculum=Curriculum.objects.get(slug="ml-math"),
        slug="passing",
        title="A passing topic",
        position=99,
        is_reading=True,
    )


def calculus_prerequisites(action):
    calculus, signals = (
        Topic.objects.get(slug="calculus"),
        Topic.objects.get(slug="signal-processing"),
    )
    getattr(signals.prerequisites, action)(*([calculus] if action != "clear" else []))


# name: (prepare, change, page, words: shown only after the change, or only before it)
SHELL_CATALOG_CHANGES = {
    "a curriculum saved": (
        None,
        lambda: edit(Curriculum, {"slug": "ml-math"}, title="Mathematics, renamed"),
        "/curricula/",
        "Mathematics, renamed",
        True,
    ),
    "a listing saved": (
        None,
        lambda: edit(
            Listing,
            {"resource__slug": "mit-linear-algebra"},
            topic=Topic.objects.get(slug="calculus"),
        ),
        "/topics/calculus/",
        "Linear Algebra MIT",
        True,
    ),
    "a listing deleted": (
        None,
        lambda: Listing.objects.get(resource__slug="mit-linear-algebra").delete(),
        "/topics/linear-algebra/",
        "Linear Algebra MIT",
        False,
    ),
    "a search synonym saved": (
        None,
        lambda: SearchSynonym.objects.create(term="zzgrad", expansions="calculus"),
        "/search/?q=zzgrad",
        "Khan Academy Calculus",
        True,
    ),
    "a topic saved": (
        None,
        lambda: edit(Topic, {"slug": "calculus"}, title="Calculus, renamed"),
        "/",
        "Calculus, renamed",
        True,
    ),
    "a topic deleted": (
        passing_topic,
        lambda: Topic.objects.get(slug="passing").delete(),
        "/",
        "A passing topic",
        False,
    ),
    "a resource saved": (
        None,
        lambda: edit(Resource, {"slug": "khan-academy-calculus"}, title="Calculus at Khan"),
        "/topics/calculus/",
        "Calculus at Khan",
        True,
    ),
    "a degree saved": (
        None,
        lambda: edit(Degree, {"slug": "developer"}, title="Builder of models"),
        "/degrees/",
        "Builder of models",
        True,
    ),
    "a degree deleted": (
        None,
        lambda: Degree.objects.get(slug="researcher").delete(),
        "/degrees/",
        "Researcher",
        False,
    ),
    "a milestone saved": (
        None,
        lambda: edit(Milestone, {"slug": "mlp-from-scratch"}, title="A perceptron by hand"),
        "/degrees/developer/",
        "A perceptron by hand",
        True,
    ),
    "a requirement saved": (
        None,
        lambda: edit(
            Requirement,
            {"degree__slug": "developer", "slug": "statistics-and-probability"},
            min_count=3,
        ),
        "/degrees/developer/",
        "Complete at least 3 Statistics",
        True,
    ),
    "a requirement deleted": (
        None,
        lambda: Requirement.objects.get(degree__slug="developer", slug="model-from-paper").delete(),
        "/degrees/developer/",
        "Implement a model from a paper",
        False,
    ),
    "a prerequisite removed": (
        lambda: calculus_prerequisites("add"),
        lambda: calculus_prerequisites("remove"),
        "/topics/signal-processing/",
        "Builds on: Calculus",
        False,
    ),
    "prerequisites cleared": (
        lambda: calculus_prerequisites("add"),
        lambda: calculus_prerequisites("clear"),
        "/topics/signal-processing/",
        "Builds on: Calculus",
        False,
    ),
}


@pytest.mark.parametrize("change", SHELL_CATALOG_CHANGES)
def test_every_catalog_row_saved_or_deleted_in_the_shell_shows_at_once(
    seed_catalog, client, change
):
    prepare, make_change, url, words, shown_after = SHELL_CATALOG_CHANGES[change]
    if prepare:
        prepare()
    assert (words in main_text(client.get(url))) is not shown_after
    assert (words in main_text(client.get(url))) is not shown_after  # served from the cache
    make_change()
    assert (words in main_text(client.get(url))) is shown_after


def test_an_admin_bulk_publish_shows_at_once(seed_catalog, client, curator_client):
    edit(Resource, {"slug": "khan-academy-calculus"}, is_published=False)
    assert client.get("/topics/calculus/").status_code == 404  # a topic with nothing published
    resource = Resource.objects.get(slug="khan-academy-calculus")
    response = curator_client.post(
        "/admin/catalog/resource/", {"action": "publish", "_selected_action": [resource.pk]}
    )
    assert response.status_code == 302
    assert "Khan Academy Calculus" in main_text(client.get("/topics/calculus/"))


def test_an_admin_bulk_publish_shows_on_a_page_already_cached(seed_catalog, client, curator_client):
    """A 404 is never cached: this page is, so only the action's own version bump shows it."""
    edit(Resource, {"slug": "mit-linear-algebra"}, is_published=False)
    assert "Linear Algebra MIT" not in result_titles(client.get("/topics/linear-algebra/"))
    assert "Linear Algebra MIT" not in result_titles(client.get("/topics/linear-algebra/"))
    resource = Resource.objects.get(slug="mit-linear-algebra")
    curator_client.post(
        "/admin/catalog/resource/", {"action": "publish", "_selected_action": [resource.pk]}
    )
    assert "Linear Algebra MIT" in result_titles(client.get("/topics/linear-algebra/"))
