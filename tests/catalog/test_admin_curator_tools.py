"""Curator tools in the admin: link status column, filter and action; the awesome-list upload."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from catalog.admin import ResourceAdmin
from catalog.models import Resource, Topic
from tests.factories import make_resource, make_topic
from tests.html import by_id, elements, text

pytestmark = pytest.mark.django_db

RESOURCES_URL = "/admin/catalog/resource/"
TOPICS_URL = "/admin/catalog/topic/"
IMPORT_URL = "/admin/catalog/resource/import-awesome-list/"
CHECKED = timezone.make_aware(datetime.datetime(2026, 1, 5, 12, 0))

SMALL_LIST = b"""# Awesome Calculus

## Calculus

Start with limits.

- [Calculus Made Easy](https://www.gutenberg.org/ebooks/33283) - Silvanus P. Thompson.
- [Notes](notes.md)
"""


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def upload(content, name="awesome.md"):
    return SimpleUploadedFile(name, content, content_type="text/markdown")


@pytest.fixture
def link_states():
    """One resource in each link state a curator can meet."""
    return {
        "unchecked": make_resource(title="Never checked"),
        "ok": make_resource(title="Answers fine", link_checked_at=CHECKED, link_status_code=200),
        "missing": make_resource(
            title="Gone away", link_checked_at=CHECKED, link_status_code=404, link_is_broken=True
        ),
        "slow": make_resource(
            title="Too slow",
            link_checked_at=CHECKED,
            link_is_broken=True,
            link_error="timed out after 0.5 s",
        ),
        "moved": make_resource(
            title="Relocated",
            link_checked_at=CHECKED,
            link_status_code=200,
            link_redirect_url="https://example.org/new-home",
        ),
    }


# The link status column and filter


def test_resource_list_shows_each_link_status_in_plain_words(curator_client, link_states):
    page = curator_client.get(RESOURCES_URL)
    statuses = {text(cell) for cell in elements(page, "td", class_="field-link_status")}

    assert "link status" in text(by_id(page, "result_list")).lower()
    assert {"not checked", "ok (200)", "broken: 404 Not Found"} <= statuses
    assert "broken: timed out after 0.5 s" in statuses
    (moved,) = [cell for cell in elements(page, "td") if "moved to" in text(cell)]
    assert elements(moved, "a", href="https://example.org/new-home", target="_blank")


@pytest.mark.parametrize(
    ("choice", "shown"),
    [
        ("broken", {"Gone away", "Too slow"}),
        ("moved", {"Relocated"}),
        ("ok", {"Answers fine"}),
        ("unchecked", {"Never checked"}),
    ],
)
def test_link_status_filter_shows_only_matching_resources(
    curator_client, link_states, choice, shown
):
    response = curator_client.get(RESOURCES_URL, {"link": choice})

    listed = {resource.title for resource in response.context["cl"].result_list}
    assert listed == shown


def test_link_status_filter_is_labelled_for_curators(curator_client, link_states):
    page = curator_client.get(RESOURCES_URL)

    assert "By link status" in text(page)
    filters = {text(link): dict(link.attributes)["href"] for link in elements(page, "a")}
    assert filters["Broken"] == "?link=broken"
    assert filters["Moved (update the URL)"] == "?link=moved"


# The "Check links now" action


def check_links_now(client, *resources):
    """Run the admin action on these resources, as a curator ticking them and choosing it."""
    selected = [resource.pk for resource in resources]
    data = {"action": "check_links_now", "_selected_action": selected}
    return client.post(RESOURCES_URL, data, follow=True)


def test_check_links_now_checks_the_selected_resources_and_reports(curator_client, site):
    fine = make_resource(title="Fine", url=site.url("/ok"))
    gone = make_resource(title="Gone", url=site.url("/missing"))
    moved = make_resource(title="Relocated", url=site.url("/moved"))
    untouched = make_resource(title="Not selected", url=site.url("/error"))

    response = check_links_now(curator_client, fine, gone, moved)

    assert response.status_code == 200
    (message,) = messages_of(response)
    assert message.startswith("Checked 3 links: 1 ok, 1 moved, 1 broken.")
    assert "“Gone”: broken: 404 Not Found" in message
    assert f"“Relocated”: moved to {site.url('/ok')}" in message
    gone.refresh_from_db()
    assert (gone.link_is_broken, gone.link_status_code) == (True, 404)
    assert gone.link_checked_at is not None
    untouched.refresh_from_db()
    assert untouched.link_checked_at is None
    assert ("HEAD", "/error") not in site.requests


def test_check_links_now_uses_the_admin_timeout(curator_client, monkeypatch, site, refused_url):
    monkeypatch.setattr(ResourceAdmin, "link_check_timeout", 0.5)
    slow = make_resource(title="Sluggish", url=site.url("/slow"))
    refused = make_resource(title="Nobody home", url=refused_url)

    response = check_links_now(curator_client, slow, refused)

    (message,) = messages_of(response)
    assert "“Sluggish”: broken: timed out after 0.5 s" in message
    assert "“Nobody home”: broken: connection refused" in message


def test_check_links_now_refuses_too_many_at_once(curator_client, monkeypatch):
    monkeypatch.setattr(ResourceAdmin, "link_check_limit", 1)
    first, second = make_resource(), make_resource()

    response = check_links_now(curator_client, first, second)

    (message,) = messages_of(response)
    assert "Select at most 1 resources" in message
    assert "manage.py check_links" in message
    assert not Resource.objects.filter(link_checked_at__isnull=False).exists()


# The awesome-list upload page


@pytest.mark.parametrize("changelist", [RESOURCES_URL, TOPICS_URL])
def test_changelists_link_to_the_import_page(curator_client, changelist):
    response = curator_client.get(changelist)

    assertContains(response, f'<a href="{IMPORT_URL}">Import awesome list</a>', html=True)


def test_import_page_shows_the_upload_form(curator_client):
    response = curator_client.get(IMPORT_URL)

    assert response.status_code == 200
    (form,) = elements(response, "form", enctype="multipart/form-data")
    for field in ("csrfmiddlewaretoken", "dry_run", "unpublished", "replace_text"):
        assert elements(form, "input", name=field), field
    assert elements(form, "input", type="file", name="file")


def test_uploading_a_list_imports_it_and_reports_what_happened(curator_client):
    response = curator_client.post(IMPORT_URL, {"file": upload(SMALL_LIST)}, follow=True)

    assert response.redirect_chain == [(RESOURCES_URL, 302)]
    summary, skipped = messages_of(response)
    assert summary == (
        "Imported awesome.md. Topics: 1 created, 0 updated, 0 unchanged; "
        "resources: 1 created, 0 updated, 0 unchanged; 1 skipped (relative link: 1)."
    )
    assert skipped == (
        "Skipped line 8: [Notes](notes.md) "
        "(relative link: a file or page beside the list, not a web address)."
    )
    topic = Topic.objects.get()
    assert (topic.title, topic.guidance) == ("Calculus", "Start with limits.")
    resource = topic.listings.get().resource
    assert (resource.title, resource.note, resource.is_published) == (
        "Calculus Made Easy",
        "Silvanus P. Thompson.",
        True,
    )


def test_uploading_with_unpublished_creates_unpublished_resources(curator_client):
    curator_client.post(IMPORT_URL, {"file": upload(SMALL_LIST), "unpublished": "on"})

    assert Resource.objects.get().is_published is False


def test_a_dry_run_upload_shows_what_would_change_and_writes_nothing(curator_client):
    response = curator_client.post(IMPORT_URL, {"file": upload(SMALL_LIST), "dry_run": "on"})

    words = text(response)
    assert response.status_code == 200
    assert "Dry run: what importing awesome.md would change" in words
    created = [text(item) for item in elements(by_id(response, "import-report"), "li")]
    assert created[:2] == [
        "Topic “Calculus” (learners see it at once: it holds published resources)",
        "Resource “Calculus Made Easy” (in “Calculus”)",
    ]
    assert (
        "Skipped line 8: [Notes](notes.md) "
        "(relative link: a file or page beside the list, not a web address)" in words
    )
    assert "1 skipped (relative link: 1)." in words
    assert not Topic.objects.exists()
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("## Café\n- [x](https://example.org)\n".encode("latin-1"), "latin.md, line 1: not UTF-8"),
        (b"", "latin.md: the file is empty."),
        (b"## Calculus\n\nNo links here.\n", "latin.md: no links to import"),
    ],
)
def test_a_bad_file_shows_the_form_again_with_the_error_and_writes_nothing(
    curator_client, content, error
):
    response = curator_client.post(IMPORT_URL, {"file": upload(content, name="latin.md")})

    assert response.status_code == 200
    assert "Nothing was imported" in text(response)
    assert error in text(response)
    assert elements(response, "input", type="file", name="file")
    assert not Topic.objects.exists()
    assert not Resource.objects.exists()


def test_a_file_that_is_too_large_is_refused(curator_client):
    content = b"## Big\n- [x](https://example.org/x)\n" + b"a" * 1_000_000

    response = curator_client.post(IMPORT_URL, {"file": upload(content, name="big.md")})

    assert "The file is 1.1 MB; the limit is 1 MB." in text(response)
    assert not Topic.objects.exists()


def test_the_import_page_needs_add_and_change_permissions(client, django_user_model):
    viewer = django_user_model.objects.create_user(username="viewer", password="x", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_resource", "view_topic"])
    )
    client.force_login(viewer)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(SMALL_LIST)}).status_code == 403
    resources = client.get(RESOURCES_URL)
    assert resources.status_code == 200
    assert "Import awesome list" not in text(resources)
    assert not Topic.objects.exists()


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_upload_without_the_csrf_token_is_refused(curator):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(curator)

    response = csrf_client.post(IMPORT_URL, {"file": upload(SMALL_LIST)})

    assert response.status_code == 403
    assert not Topic.objects.exists()


def test_a_superuser_can_import_too(admin_client):
    make_topic(title="Calculus", slug="calculus")

    response = admin_client.post(IMPORT_URL, {"file": upload(SMALL_LIST)})

    assert response.status_code == 302
    assert Topic.objects.get().listings.count() == 1
