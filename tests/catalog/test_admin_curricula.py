"""Curators per curriculum: a curator of one curriculum finds nothing of another in the admin.

Every registered admin whose rows belong to a curriculum (read from the admin site's registry,
so an admin added later without the scoping fails here) is tried as a curator of the default
curriculum, holding every permission on the model, on a row of another curriculum: the list
leaves it out, its change, delete and history pages are not found, an action posted on it is
refused, and nothing changes. A superuser sees every curriculum's rows.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse
from model_bakery import baker

from catalog.curators import CurriculumScopedAdmin, curricula_of
from catalog.models import Curriculum, Degree, Milestone, Resource, Topic
from progress.models import Activity, DegreeAward, Evidence, KnownResource, ResourceProgress
from tests.factories import (
    default_curriculum,
    make_curriculum,
    make_degree,
    make_milestone,
    make_resource,
    make_topic,
)
from tests.html import elements, text

pytestmark = pytest.mark.django_db


def resource_in(curriculum):
    return make_resource(make_topic(curriculum=curriculum), is_published=False)


# A row of `curriculum`, for each model whose admin is scoped to curricula.
ROW_IN = {
    Curriculum: lambda curriculum: curriculum,
    Topic: lambda curriculum: make_topic(curriculum=curriculum),
    Degree: lambda curriculum: make_degree(curriculum=curriculum),
    Milestone: lambda curriculum: make_milestone(curriculum=curriculum),
    Resource: resource_in,
    ResourceProgress: lambda c: baker.make(ResourceProgress, resource=resource_in(c)),
    KnownResource: lambda c: baker.make(KnownResource, resource=resource_in(c), status="known"),
    Activity: lambda c: baker.make(Activity, resource=resource_in(c)),
    DegreeAward: lambda c: baker.make(DegreeAward, degree=make_degree(curriculum=c)),
    Evidence: lambda c: baker.make(Evidence, milestone=make_milestone(curriculum=c)),
}


def scoped_models():
    return [
        pytest.param(model, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CurriculumScopedAdmin)
    ]


def scoped_actions():
    return [
        pytest.param(model, name, id=f"{model._meta.label}.{name}")
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CurriculumScopedAdmin)
        for _function, name, _description in model_admin._get_base_actions()
    ]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def rows(model):
    return list(model._default_manager.order_by("pk").values())


def linked(response):
    """The addresses the page links to (a list links each row's change page)."""
    return {dict(link.attributes).get("href") for link in elements(response, "a")}


@pytest.fixture
def curator_with_every_permission(curator):
    """The curator of the default curriculum, allowed everything on every scoped model, so
    only the scoping stands between them and another curriculum's rows."""
    curator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["catalog", "progress"])
    )
    return curator


@pytest.fixture
def other_curriculum():
    return make_curriculum(title="Information theory", slug="information-theory")


def test_every_model_of_a_curriculum_is_scoped():
    assert {param.values[0] for param in scoped_models()} == set(ROW_IN)


def test_curricula_of_a_curator_are_theirs_and_a_superuser_has_all(
    curator, other_curriculum, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw")

    assert list(curricula_of(curator)) == [default_curriculum()]
    assert set(curricula_of(root)) == {default_curriculum(), other_curriculum}


@pytest.mark.parametrize("model", scoped_models())
def test_the_list_shows_a_curator_only_their_curricula_rows(
    client, curator_with_every_permission, other_curriculum, model
):
    theirs = ROW_IN[model](default_curriculum())
    another = ROW_IN[model](other_curriculum)
    client.force_login(curator_with_every_permission)

    response = client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert admin_url(model, "change", theirs.pk) in linked(response)
    assert admin_url(model, "change", another.pk) not in linked(response)


@pytest.mark.parametrize("model", scoped_models())
def test_a_superuser_lists_every_curriculum_rows(client, admin_user, other_curriculum, model):
    theirs = ROW_IN[model](default_curriculum())
    another = ROW_IN[model](other_curriculum)
    client.force_login(admin_user)

    response = client.get(admin_url(model, "changelist"))

    assert admin_url(model, "change", theirs.pk) in linked(response)
    assert admin_url(model, "change", another.pk) in linked(response)


@pytest.mark.parametrize("model", scoped_models())
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_curriculum_row_is_not_found_and_stays(
    client, curator_with_every_permission, other_curriculum, model, view
):
    another = ROW_IN[model](other_curriculum)
    client.force_login(curator_with_every_permission)
    before = rows(model)

    shown = client.get(admin_url(model, view, another.pk))
    posted = client.post(admin_url(model, view, another.pk), {"post": "yes", "title": "Mine"})

    assert shown.status_code == 404
    assert posted.status_code == 404
    assert rows(model) == before


@pytest.mark.parametrize(("model", "action"), scoped_actions())
def test_an_action_on_another_curriculum_row_is_refused(
    client, curator_with_every_permission, other_curriculum, model, action
):
    theirs = ROW_IN[model](default_curriculum())
    another = ROW_IN[model](other_curriculum)
    client.force_login(curator_with_every_permission)
    before = rows(model)

    response = client.post(
        admin_url(model, "changelist"),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [theirs.pk, another.pk],
            "index": 0,
            "apply": "yes",  # the confirmation of actions that ask for a reason
            "reason": "Not theirs.",
            "post": "yes",  # the confirmation of "delete selected"
        },
    )

    assert response.status_code == 403
    assert rows(model) == before


@pytest.mark.parametrize("model", [Topic, Degree, Milestone])
def test_a_new_row_goes_only_in_the_curator_curricula(
    client, curator_with_every_permission, other_curriculum, model
):
    client.force_login(curator_with_every_permission)
    form = client.get(admin_url(model, "add"))
    before = rows(model)

    response = client.post(
        admin_url(model, "add"),
        {"curriculum": other_curriculum.pk, "title": "Smuggled", "slug": "smuggled", "rank": 7},
    )

    offered = {
        dict(option.attributes)["value"]
        for select in elements(form, "select", name="curriculum")
        for option in elements(select, "option")
    } - {""}
    assert offered == {str(default_curriculum().pk)}
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert rows(model) == before


def test_a_degree_requires_nothing_of_another_curriculum(
    client, curator_with_every_permission, other_curriculum, management_form
):
    degree = make_degree()
    foreign_topic = make_topic(curriculum=other_curriculum)
    client.force_login(curator_with_every_permission)

    response = client.post(
        admin_url(Degree, "change", degree.pk),
        {
            "curriculum": degree.curriculum_id,
            "title": degree.title,
            "slug": degree.slug,
            "rank": degree.rank,
            **management_form("requirements", total=1, initial=0),
            "requirements-0-slug": "smuggled",
            "requirements-0-topic": foreign_topic.pk,
            "requirements-0-position": 1,
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not degree.requirements.exists()


def test_a_resource_is_listed_only_in_the_curator_curricula(
    client, curator_with_every_permission, other_curriculum, management_form
):
    foreign_topic = make_topic(curriculum=other_curriculum)
    client.force_login(curator_with_every_permission)

    response = client.post(
        admin_url(Resource, "add"),
        {
            "title": "Smuggled",
            "slug": "smuggled",
            "url": "https://example.org/smuggled",
            "kind": "course",
            "level": "introductory",
            **management_form("listings", total=1, initial=0),
            "listings-0-topic": foreign_topic.pk,
            "listings-0-position": 1,
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not Resource.objects.filter(slug="smuggled").exists()


def test_a_curator_edits_their_curriculum_but_neither_adds_nor_deletes_one(
    client, curator_with_every_permission
):
    curriculum = default_curriculum()
    client.force_login(curator_with_every_permission)

    change = client.get(admin_url(Curriculum, "change", curriculum.pk))
    add = client.get(admin_url(Curriculum, "add"))
    delete = client.get(admin_url(Curriculum, "delete", curriculum.pk))

    assert change.status_code == 200
    assert not elements(change, "select", name="curators")  # only superusers choose curators
    assert add.status_code == 403
    assert delete.status_code == 403


@pytest.mark.parametrize("model", [Resource, Evidence, DegreeAward])
def test_list_filters_name_nothing_of_another_curriculum(
    client, curator_with_every_permission, other_curriculum, model
):
    ROW_IN[model](default_curriculum())
    foreign_topic = make_topic(curriculum=other_curriculum, title="Quantum secrets")
    make_resource(foreign_topic)
    baker.make(Evidence, milestone=make_milestone(curriculum=other_curriculum, title="Secret"))
    baker.make(DegreeAward, degree=make_degree(curriculum=other_curriculum, title="Hidden"))
    client.force_login(curator_with_every_permission)

    page = text(client.get(admin_url(model, "changelist")))

    assert "Quantum secrets" not in page
    assert "Secret" not in page
    assert "Hidden" not in page
