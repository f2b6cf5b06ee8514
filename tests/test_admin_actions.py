"""Every admin action, of every app, needs a permission beyond viewing: a staff user who may
only view a list is never offered its actions, and posting one anyway changes nothing.

The actions are read from the admin site's registry, so an action added later without
`permissions=[...]` fails here.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from model_bakery import baker

from catalog.models import Curriculum
from tests.factories import make_resource, make_search_synonym
from tests.html import elements


def registered_actions():
    """(model, action name) for each action each registered ModelAdmin has, site-wide ones too."""
    return [
        pytest.param(model, name, id=f"{model._meta.label}.{name}")
        for model, model_admin in admin.site._registry.items()
        for _function, name, _description in model_admin._get_base_actions()
    ]


def offered_actions(response):
    return {
        dict(option.attributes)["value"]
        for select in elements(response, "select", name="action")
        for option in elements(select, "option")
    } - {""}


def one_row(model):
    if model._meta.label == "catalog.Resource":
        return make_resource(is_published=False)
    if model._meta.label == "catalog.SearchSynonym":
        return make_search_synonym()
    if model._meta.label == "progress.KnownResource":
        return baker.make(model, status="known")  # its list shows only rows already known
    if model._meta.label == "accounts.Profile":
        return baker.make(get_user_model()).profile  # every account gets one when it is made
    return baker.make(model)


def rows(model):
    return list(model._default_manager.order_by("pk").values())


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(("model", "action"), registered_actions())
def test_every_action_declares_the_permissions_it_needs(model, action):
    model_admin = admin.site._registry[model]
    function = {name: f for f, name, _ in model_admin._get_base_actions()}[action]
    assert getattr(function, "allowed_permissions", ()), f"{action} declares no permissions"


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "action"), registered_actions())
def test_a_staff_user_who_may_only_view_cannot_run_an_action(
    client, django_user_model, model, action
):
    row = one_row(model)
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=model._meta.app_label,
            codename=f"view_{model._meta.model_name}",
        )
    )
    viewer.curated_curricula.set(Curriculum.objects.all())  # the row's curriculum is theirs
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(superuser)
    assert action in offered_actions(client.get(changelist(model)))  # the action exists
    client.force_login(viewer)
    listing = client.get(changelist(model))
    before = rows(model)

    response = client.post(
        changelist(model),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [row.pk],
            "index": 0,
            "apply": "yes",  # the confirmation of actions that ask for a reason
            "reason": "Not allowed to do this.",
            "post": "yes",  # the confirmation of "delete selected"
        },
    )

    # With no action to offer, the admin shows the list again; else it says "No action selected".
    # A row in no curriculum of theirs (a learner's row on a resource listed nowhere) is refused.
    assert response.status_code in (200, 302, 403)
    assert rows(model) == before
    assert listing.status_code == 200
    assert action not in offered_actions(listing)
