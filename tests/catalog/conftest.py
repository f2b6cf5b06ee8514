"""Catalog factories: small helpers over model_bakery that fill in what tests don't care about."""

import itertools

import pytest
from django.contrib.auth.models import Group
from model_bakery import baker

from catalog.models import Degree, Requirement, Resource, Topic

_sequence = itertools.count(1)


def make_topic(**fields):
    number = next(_sequence)
    fields.setdefault("slug", f"topic-{number}")
    fields.setdefault("title", f"Topic {number}")
    fields.setdefault("position", number)
    return baker.make(Topic, **fields)


def make_resource(topic=None, **fields):
    number = next(_sequence)
    fields.setdefault("slug", f"resource-{number}")
    fields.setdefault("title", f"Resource {number}")
    fields.setdefault("url", f"https://example.org/resources/{number}")
    fields.setdefault("position", number)
    fields.setdefault("is_published", True)
    return baker.make(Resource, topic=topic or make_topic(), **fields)


def make_resources(topic, count, **fields):
    """Many resources of one topic in a single INSERT."""
    resources = []
    for _ in range(count):
        number = next(_sequence)
        resources.append(
            Resource(
                topic=topic,
                slug=f"resource-{number}",
                title=f"Resource {number}",
                url=f"https://example.org/resources/{number}",
                position=number,
                **fields,
            )
        )
    return Resource.objects.bulk_create(resources)


def make_degree(**fields):
    number = next(_sequence)
    fields.setdefault("slug", f"degree-{number}")
    fields.setdefault("title", f"Degree {number}")
    fields.setdefault("rank", number)
    return baker.make(Degree, **fields)


def make_requirement(degree=None, **fields):
    number = next(_sequence)
    fields.setdefault("slug", f"requirement-{number}")
    return baker.make(Requirement, degree=degree or make_degree(), **fields)


@pytest.fixture
def curator(django_user_model):
    """A staff user in the Curators group, and nothing more."""
    user = django_user_model.objects.create_user(
        username="curator", email="curator@example.org", password="curator-password"
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client
