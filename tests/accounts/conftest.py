import pytest
from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def make_learner(db):
    def make(username="ada", **fields):
        return get_user_model().objects.create_user(
            username=username, email=f"{username}@example.com", password=PASSWORD, **fields
        )

    return make


@pytest.fixture
def learner(make_learner):
    return make_learner("ada")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def resource(db):
    from model_bakery import baker

    return baker.make("catalog.Resource", is_published=True, url="https://example.org/r")


def at(text):
    """An aware UTC datetime from ISO text such as "2026-03-11T14:30"."""
    import datetime

    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)
