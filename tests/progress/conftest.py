import pytest
from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def make_learner(db):
    def make(username="ada"):
        return get_user_model().objects.create_user(
            username=username, email=f"{username}@example.com", password=PASSWORD
        )

    return make


@pytest.fixture
def learner(make_learner):
    return make_learner("ada")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def hx(**headers):
    """Headers of an HTMX request made from `current_url`."""
    return {"HTTP_HX_REQUEST": "true", **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
