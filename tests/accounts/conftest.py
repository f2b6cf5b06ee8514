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
