"""Curators review what learners say they already know: the admin lists it, by topic and learner,
read-only and without the learners' private notes."""

import pytest
from django.contrib.auth.models import Group, Permission

from progress.models import ResourceProgress
from tests.factories import complete
from tests.html import by_id, elements, main_text, text
from tests.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.usefixtures("study_catalog")

CHANGELIST = "/admin/progress/knownresource/"


def rows(response):
    """Each row of the change list: learner, resource, topic, known by this learner."""
    columns = ["learner", "resource", "topic", "known_by_learner"]
    return sorted(
        tuple(text(elements(row, class_=f"field-{column}")[0]) for column in columns)
        for row in elements(by_id(response, "result_list"), "tr")
        if elements(row, "td")
    )


def test_curators_see_every_known_resource_and_nothing_else(
    curator_client, learner, make_learner, resources
):
    complete(learner, resources.calculus, resources.algebra, status="known")
    complete(learner, resources.keras)
    complete(make_learner("grace"), resources.calculus, status="known")
    ResourceProgress.objects.filter(learner=learner).update(note="My private thoughts")

    listing = curator_client.get(CHANGELIST)

    words = main_text(listing)
    assert "3 already known resources" in words
    assert "Keras" not in words  # completed, not known
    assert "My private thoughts" not in words
    assert rows(listing) == [
        ("ada", "Khan Academy Calculus", "Calculus", "2"),
        ("ada", "Khan Academy Linear Algebra", "Linear Algebra", "2"),
        ("grace", "Khan Academy Calculus", "Calculus", "1"),
    ]


def test_curators_filter_known_resources_by_topic_and_search_by_learner(
    curator_client, learner, make_learner, resources
):
    complete(learner, resources.calculus, resources.algebra, status="known")
    complete(make_learner("grace"), resources.calculus, status="known")
    calculus = resources.calculus.main_listing.topic_id

    by_topic = main_text(
        curator_client.get(f"{CHANGELIST}?resource__listings__topic__id__exact={calculus}")
    )
    assert "2 already known resources" in by_topic
    assert "Khan Academy Linear Algebra" not in by_topic

    by_learner = main_text(curator_client.get(f"{CHANGELIST}?q=grace"))
    assert "1 already known resource" in by_learner


def test_each_row_links_to_the_learners_awards_which_curators_may_revoke(
    curator_client, learner, resources
):
    complete(learner, resources.calculus, status="known")
    listing = by_id(curator_client.get(CHANGELIST), "result_list")
    (link,) = [a for a in elements(listing, "a") if text(a) == "ada’s awards"]
    assert dict(link.attributes)["href"] == "/admin/progress/degreeaward/?q=ada"
    assert curator_client.get("/admin/progress/degreeaward/?q=ada").status_code == 200


def test_curators_cannot_add_change_or_delete_known_resources(curator_client, learner, resources):
    complete(learner, resources.calculus, status="known")
    known = ResourceProgress.objects.get(learner=learner)
    change_url = f"{CHANGELIST}{known.pk}/change/"
    page = curator_client.get(change_url)
    assert page.status_code == 200
    assert "My private" not in main_text(page)
    assert not elements(page, "textarea")
    assert curator_client.post(change_url, {"status": "completed"}).status_code == 403
    assert curator_client.get(f"{CHANGELIST}add/").status_code == 403
    delete = curator_client.post(f"{CHANGELIST}{known.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    known.refresh_from_db()
    assert known.status == "known"


def test_staff_outside_the_curators_group_cannot_see_known_resources(client, make_learner):
    client.force_login(make_learner("staff", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


def test_administrators_filter_all_progress_by_the_known_status(admin_client, learner, resources):
    complete(learner, resources.calculus, status="known")
    complete(learner, resources.keras)
    listing = main_text(admin_client.get("/admin/progress/resourceprogress/?status__exact=known"))
    assert "Khan Academy Calculus" in listing
    assert "Keras" not in listing


@pytest.mark.django_db(transaction=True)
def test_the_migration_lets_curators_view_known_resources_and_nothing_more():
    migrate([("progress", "0008_known_status")])
    try:
        migrate([("progress", "0009_curators_review_known")])
        curators = Group.objects.get(name="Curators")
        granted = set(
            curators.permissions.filter(content_type__model="knownresource").values_list(
                "codename", flat=True
            )
        )
        assert granted == {"view_knownresource"}
        assert Permission.objects.filter(codename="change_knownresource").exists()
    finally:
        migrate_to_latest()
