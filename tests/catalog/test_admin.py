"""Curators edit the catalog in the Django admin, and nothing else."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from catalog.models import Degree, Requirement, Resource, SearchSynonym, Topic
from tests.factories import make_curriculum, make_resource, make_topic
from tests.html import elements, text

pytestmark = pytest.mark.django_db


# The Curators group


def test_curators_group_holds_every_catalog_permission():
    curators = Group.objects.get(name="Curators")

    granted = set(curators.permissions.values_list("content_type__app_label", "codename"))

    catalog = set(
        Permission.objects.filter(content_type__app_label="catalog").values_list(
            "content_type__app_label", "codename"
        )
    )
    assert catalog <= granted
    assert {codename for _, codename in catalog} >= {
        f"{action}_{model}"
        for action in ["add", "change", "delete", "view"]
        for model in ["topic", "resource", "degree", "requirement"]
    }


def test_curators_group_holds_nothing_else_but_reviews_and_revocation():
    curators = Group.objects.get(name="Curators")

    outside_catalog = set(
        curators.permissions.exclude(content_type__app_label="catalog").values_list(
            "content_type__app_label", "codename"
        )
    )

    # Outside the catalog, curators review learners' milestone evidence, see what learners say
    # they already know, and revoke awards.
    assert outside_catalog == {
        ("progress", "view_evidence"),
        ("progress", "change_evidence"),
        ("progress", "view_knownresource"),
        ("progress", "revoke_degreeaward"),
    }


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/catalog/topic/",
        "/admin/catalog/topic/add/",
        "/admin/catalog/topic/?q=algebra",
        "/admin/catalog/resource/",
        "/admin/catalog/resource/add/",
        "/admin/catalog/resource/?is_published__exact=0&kind__exact=tool",
        "/admin/catalog/resource/?q=khan",
        "/admin/catalog/degree/",
        "/admin/catalog/degree/add/",
        "/admin/catalog/resource/?q=strang",
        "/admin/catalog/searchsynonym/",
        "/admin/catalog/searchsynonym/add/",
        "/admin/catalog/searchsynonym/?q=decomposition",
    ],
)
def test_curator_can_open_the_catalog_admin(curator_client, seed_catalog, url):
    assert curator_client.get(url).status_code == 200


def test_curator_can_open_a_topic_with_its_resources_inline(curator_client, seed_catalog):
    topic = Topic.objects.get(slug="linear-algebra")

    response = curator_client.get(f"/admin/catalog/topic/{topic.pk}/change/")

    assert response.status_code == 200
    assert elements(response, "input", name="listings-TOTAL_FORMS")
    listed = [
        text(option)
        for option in elements(response, "option")
        if "selected" in dict(option.attributes)
    ]
    assert "Linear Algebra MIT" in listed


def test_a_topics_page_shows_its_prerequisites_chosen_and_the_reading_topic_choice(
    curator_client, seed_catalog
):
    topic = Topic.objects.get(slug="stochastic-processes")

    response = curator_client.get(f"/admin/catalog/topic/{topic.pk}/change/")

    (select,) = elements(response, "select", name="prerequisites")
    chosen = [text(o) for o in elements(select, "option") if "selected" in dict(o.attributes)]
    assert chosen == ["Statistics and probability", "Signal Processing"]
    (reading,) = elements(response, "input", name="is_reading", type="checkbox")
    assert "checked" in dict(reading.attributes)


def test_admin_refuses_a_topic_as_its_own_prerequisite_and_saves_nothing(
    curator_client, seed_catalog, management_form
):
    calculus = Topic.objects.get(slug="calculus")
    data = {
        "curriculum": calculus.curriculum_id,
        "title": "Calculus",
        "slug": "calculus",
        "position": 10,
        "prerequisites": [calculus.pk],
        **management_form("listings"),
    }

    response = curator_client.post(f"/admin/catalog/topic/{calculus.pk}/change/", data)

    assert response.status_code == 200
    (errors,) = elements(response, "div", class_="field-prerequisites")
    assert "“Calculus” cannot be its own prerequisite." in text(errors)
    assert not calculus.prerequisites.exists()


def test_topic_list_says_which_topics_learners_see(curator_client):
    shown = make_topic(title="Calculus")
    make_resource(shown)
    hidden = make_topic(title="Optimisation")
    make_resource(hidden, is_published=False)
    reading = make_topic(title="Stochastic Processes", is_reading=True)

    response = curator_client.get("/admin/catalog/topic/")

    rows = {
        text(elements(row, "th")[0]): row
        for row in elements(response, "tr")
        if elements(row, "th") and elements(row, "td")
    }
    for topic, icon in [(shown, "yes"), (hidden, "no"), (reading, "yes")]:
        (cell,) = elements(rows[topic.title], "td", class_="field-shown")
        (image,) = elements(cell, "img")
        assert dict(image.attributes)["src"].endswith(f"icon-{icon}.svg"), topic.title


def test_a_topics_resources_inline_keeps_to_what_fits_a_row(curator_client, seed_catalog):
    """The columns the browser suite measures at 1,280 pixels (tests/browser)."""
    topic = Topic.objects.get(slug="linear-algebra")

    response = curator_client.get(f"/admin/catalog/topic/{topic.pk}/change/")

    (inline,) = elements(response, "div", class_="tabular")
    headings = [
        text(th)
        for th in elements(inline, "th")
        if "column-" in (dict(th.attributes).get("class") or "")
    ]
    assert headings == ["Position", "Resource", "Published"]


@pytest.mark.parametrize(
    "url", ["/admin/catalog/topic/", "/admin/catalog/resource/", "/admin/catalog/topic/add/"]
)
def test_catalog_admin_pages_load_the_stylesheet_that_fits_them_to_the_window(curator_client, url):
    response = curator_client.get(url)

    assert elements(response, "link", rel="stylesheet", href="/static/css/catalog-admin.css")


def test_curator_can_open_a_degree_with_its_requirements_inline(curator_client, seed_catalog):
    degree = Degree.objects.get(slug="developer")

    response = curator_client.get(f"/admin/catalog/degree/{degree.pk}/change/")

    assert response.status_code == 200
    total = degree.requirements.count()
    assert elements(response, "input", name="requirements-TOTAL_FORMS", value=str(total))


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/progress/resourceprogress/",
        "/admin/progress/degreeaward/add/",
    ],
)
def test_curator_cannot_open_anything_outside_the_catalog(curator_client, url):
    assert curator_client.get(url).status_code == 403


def test_admin_index_shows_a_curator_the_catalog_and_not_accounts(curator_client):
    response = curator_client.get("/admin/")

    app_labels = [app["app_label"] for app in response.context["app_list"]]
    assert app_labels[0] == "catalog"
    assert "auth" not in app_labels


def test_curators_group_without_staff_status_does_not_open_the_admin(client, curator):
    curator.is_staff = False
    curator.save(update_fields=["is_staff"])
    client.force_login(curator)

    response = client.get("/admin/catalog/topic/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_group_cannot_edit_the_catalog(client, django_user_model):
    staff = django_user_model.objects.create_user(username="staff", is_staff=True)
    client.force_login(staff)

    assert client.get("/admin/catalog/topic/").status_code == 403


# Editing through the admin


def test_topic_and_resource_admin_prepopulate_slugs(curator_client):
    for url in ["/admin/catalog/topic/add/", "/admin/catalog/resource/add/"]:
        page = curator_client.get(url)
        [prepopulated] = [
            dict(element.attributes)["data-prepopulated-fields"]
            for element in elements(page)
            if "data-prepopulated-fields" in dict(element.attributes)
        ]
        assert '"#id_slug"' in prepopulated
        assert '"#id_title"' in prepopulated


def test_curator_adds_a_topic_listing_resources_inline(
    curator_client, seed_catalog, management_form
):
    algebra = Topic.objects.get(slug="linear-algebra")
    boyd = make_resource(topic=False, title="Convex Optimization")  # listed nowhere yet
    data = {
        "curriculum": algebra.curriculum_id,
        "title": "Optimisation",
        "slug": "optimisation",
        "summary": "Gradient descent and friends.",
        "guidance": "",
        "position": 70,
        "prerequisites": [algebra.pk],
        **management_form("listings", total=1),
        "listings-0-position": 10,
        "listings-0-resource": boyd.pk,
    }

    response = curator_client.post("/admin/catalog/topic/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    topic = Topic.objects.get(slug="optimisation")
    assert topic.curriculum.slug == "ml-math"
    assert list(topic.prerequisites.all()) == [algebra]
    assert list(topic.listings.values_list("resource__title", flat=True)) == ["Convex Optimization"]


def test_curator_adds_a_resource_listed_in_a_topic_and_a_bare_url_becomes_https(
    curator_client, management_form
):
    topic = make_topic()
    data = {
        "title": "Convex Optimization",
        "slug": "convex-optimization",
        "url": "web.stanford.edu/~boyd/cvxbook/",
        "kind": "book",
        "level": "advanced",
        "is_published": "on",
        **management_form("listings", total=1),
        "listings-0-topic": topic.pk,
        "listings-0-position": 10,
    }

    response = curator_client.post("/admin/catalog/resource/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get(slug="convex-optimization")
    # The link as written, https:// added; its identity without the trailing slash.
    assert resource.url == "https://web.stanford.edu/~boyd/cvxbook/"
    assert resource.canonical_url == "https://web.stanford.edu/~boyd/cvxbook"
    assert resource.main_listing.topic == topic


def test_admin_refuses_a_second_listing_of_a_resource_in_one_curriculum(
    curator, curator_client, management_form
):
    resource = make_resource(make_topic(title="Calculus"))
    other = make_topic(title="Analysis")
    elsewhere = make_topic(title="Physics calculus", curriculum=make_curriculum())
    elsewhere.curriculum.curators.add(curator)
    listing = resource.main_listing
    data = {
        "title": resource.title,
        "slug": resource.slug,
        "url": resource.url,
        "kind": "course",
        "level": "introductory",
        "is_published": "on",
        **management_form("listings", total=2, initial=1),
        "listings-0-id": listing.pk,
        "listings-0-resource": resource.pk,
        "listings-0-topic": listing.topic_id,
        "listings-0-position": 10,
        "listings-1-topic": other.pk,
        "listings-1-position": 20,
    }

    response = curator_client.post(f"/admin/catalog/resource/{resource.pk}/change/", data)

    assert response.status_code == 200
    assert "is listed in this curriculum already, in “Calculus”" in text(response)
    assert resource.listings.count() == 1

    # In another curriculum, the same resource may be listed: the same work, one progress.
    data["listings-1-topic"] = elsewhere.pk
    response = curator_client.post(f"/admin/catalog/resource/{resource.pk}/change/", data)

    assert response.status_code == 302
    assert set(resource.listings.values_list("topic__title", flat=True)) == {
        "Calculus",
        "Physics calculus",
    }


def test_curator_adds_a_resource_url_that_is_another_spelling_of_a_known_one_and_is_refused(
    curator_client, management_form
):
    make_resource(url="https://khanacademy.org/math", title="Khan Academy Math")
    data = {
        "title": "Khan again",
        "slug": "khan-again",
        "url": "https://www.khanacademy.org/math/?utm_source=newsletter",
        "kind": "course",
        "level": "introductory",
        "is_published": "on",
        **management_form("listings"),
    }

    response = curator_client.post("/admin/catalog/resource/add/", data)

    assert response.status_code == 200
    [error] = elements(response, "ul", class_="errorlist")
    assert text(error) == (
        "This is the URL of a resource the catalog has already: “Khan Academy Math” "
        "(https://khanacademy.org/math). Edit that resource, or list it in this topic."
    )
    assert not Resource.objects.filter(slug="khan-again").exists()


def test_curator_gives_a_resource_its_people_and_keywords_and_search_finds_them(
    curator_client, client, management_form
):
    resource = make_resource(title="Lectures", url="https://ocw.mit.edu/18-06")
    data = {
        "title": "Lectures",
        "slug": resource.slug,
        "url": resource.url,
        "kind": "course",
        "level": "introductory",
        "people": "Gilbert Strang",
        "keywords": "singular value decomposition, least squares",
        "is_published": "on",
        **management_form("listings"),  # its listing stays as it is
    }

    response = curator_client.post(f"/admin/catalog/resource/{resource.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    for query in ["strang", "least squares"]:
        page = client.get("/search/", {"q": query})
        assert page.status_code == 200
        assert [text(title) for title in elements(page, class_="resource__title")] == [
            "Lectures (opens in a new tab)"
        ]


def test_curator_adds_a_search_synonym_in_any_case_and_search_uses_it(curator_client, client):
    make_resource(title="Lectures", note="The singular value decomposition")

    response = curator_client.post(
        "/admin/catalog/searchsynonym/add/",
        {"term": "SVD", "expansions": "singular value decomposition"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SearchSynonym.objects.get().term == "svd"
    page = client.get("/search/", {"q": "svd"})
    assert page.status_code == 200
    assert "1 resource found" in text(page)


def test_admin_refuses_a_search_synonym_that_exists_in_another_case(curator_client):
    SearchSynonym.objects.create(term="svd", expansions="singular value decomposition")

    response = curator_client.post(
        "/admin/catalog/searchsynonym/add/", {"term": "Svd", "expansions": "something else"}
    )

    assert response.status_code == 200
    assert "Search synonym with this Term already exists." in text(
        elements(response, class_="errorlist")[0]
    )
    assert list(SearchSynonym.objects.values_list("expansions", flat=True)) == [
        "singular value decomposition"
    ]


def test_admin_refuses_a_prerequisite_cycle_and_saves_nothing(
    curator_client, seed_catalog, management_form
):
    algebra = Topic.objects.get(slug="linear-algebra")
    stochastic = Topic.objects.get(slug="stochastic-processes")
    data = {
        "curriculum": algebra.curriculum_id,
        "title": "Renamed",
        "slug": "linear-algebra",
        "position": 20,
        "prerequisites": [stochastic.pk],
        **management_form("listings"),
    }

    response = curator_client.post(f"/admin/catalog/topic/{algebra.pk}/change/", data)

    assert response.status_code == 200
    assert "These prerequisites would make a cycle" in text(response)
    algebra.refresh_from_db()
    assert algebra.title == "Linear Algebra"
    assert not algebra.prerequisites.exists()


EXACTLY_ONE_TARGET = (
    "A requirement names exactly one thing: a resource, a topic (with an optional “at least” "
    "count) or a milestone."
)


@pytest.mark.parametrize(
    ("targets", "min_count", "message"),
    [
        (["resource", "topic"], "", EXACTLY_ONE_TARGET),
        ([], "", EXACTLY_ONE_TARGET),
        (["resource"], "2", "“At least” applies only to a topic requirement."),
        (["topic"], "0", "“At least” must be 1 or more (empty means all)."),
    ],
    ids=["both", "neither", "count-on-a-resource", "count-of-zero"],
)
def test_admin_requirement_inline_shows_what_the_constraints_refuse(
    curator_client, seed_catalog, targets, min_count, message, degree_form
):
    degree = Degree.objects.get(slug="practitioner")
    keras = Resource.objects.get(slug="keras")
    row = {
        "position": 30,
        "slug": "extra",
        "resource": keras.pk if "resource" in targets else "",
        "topic": keras.main_listing.topic_id if "topic" in targets else "",
        "min_count": min_count,
        "source_quote": "",
    }
    data = degree_form(degree, [row])

    response = curator_client.post(f"/admin/catalog/degree/{degree.pk}/change/", data)

    assert response.status_code == 200
    (requirements,) = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert requirements.errors[0]["__all__"] == [message]
    assert message in text(response)
    assert not Requirement.objects.filter(slug="extra").exists()


def test_curator_publishes_and_unpublishes_resources_in_bulk(curator_client):
    shown = make_resource()
    hidden = make_resource(is_published=False)
    url = "/admin/catalog/resource/"

    response = curator_client.post(
        url, {"action": "unpublish", "_selected_action": [shown.pk]}, follow=True
    )
    assert "Unpublished 1 resource." in text(response)
    shown.refresh_from_db()
    assert not shown.is_published

    response = curator_client.post(
        url, {"action": "publish", "_selected_action": [shown.pk, hidden.pk]}, follow=True
    )
    assert "Published 2 resources." in text(response)
    assert Resource.objects.published().count() == 2


def test_topic_list_shows_published_resource_counts(curator_client):
    topic = make_topic(title="Calculus")
    make_resource(topic)
    make_resource(topic, is_published=False)

    response = curator_client.get("/admin/catalog/topic/")

    assert response.context["cl"].result_list.get(pk=topic.pk).published_resource_count == 1


def test_requirement_autocomplete_finds_resources_for_a_curator(curator_client, seed_catalog):
    response = curator_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "catalog",
            "model_name": "requirement",
            "field_name": "resource",
            "term": "fchollet",
        },
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Keras"]


# make_curator


def test_make_curator_gives_staff_status_and_the_group(client, django_user_model):
    user = django_user_model.objects.create_user(username="ada", password="x")

    call_command("make_curator", "ada", stdout=StringIO())

    user.refresh_from_db()
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Curators"]
    client.force_login(user)
    assert client.get("/admin/catalog/topic/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_make_curator_finds_the_account_by_email_and_can_be_repeated(django_user_model, capsys):
    user = django_user_model.objects.create_user(username="ada", email="ada@example.org")

    call_command("make_curator", "ADA@example.org")
    call_command("make_curator", "ada")

    assert "ada is now a curator of " in capsys.readouterr().out
    assert user.groups.count() == 1


def test_make_curator_refuses_an_unknown_account(db):
    with pytest.raises(CommandError, match="No account with username or email “nobody”"):
        call_command("make_curator", "nobody")


def test_make_curator_explains_a_missing_group(django_user_model):
    django_user_model.objects.create_user(username="ada")
    Group.objects.filter(name="Curators").delete()

    with pytest.raises(CommandError, match=r"run `manage\.py migrate`"):
        call_command("make_curator", "ada")
