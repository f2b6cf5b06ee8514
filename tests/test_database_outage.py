"""A database outage answers 503 with Retry-After (a page, or JSON for the health check),
never 500, wherever the failure happens; other errors stay 500."""

import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from mlmath import versions
from tests.processes import run_app_process, unused_port

# Requests made by the real app in a fresh process whose database cannot be reached.
REQUESTS_DURING_OUTAGE = """
import json
from django.conf import settings
from django.test import Client
client = Client(raise_request_exception=False)
# A signed-in learner's browser: the session cookie makes every request need the database.
client.cookies["sessionid"] = "a-learners-session-key"
answers = {}
for method, path in [("get", "/"), ("head", "/topics/calculus/"), ("get", "/healthz"),
                     ("post", "/progress/resources/keras/status/"), ("get", "/progress/")]:
    response = getattr(client, method)(path)
    answers[f"{method.upper()} {path}"] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "content_type": response["Content-Type"],
        "body": response.content.decode(),
    }
print(json.dumps({"answers": answers, "options": settings.DATABASES["default"]["OPTIONS"]}))
"""


def closed_port():
    return unused_port(18601, 18699)


def requests_with_database(database_url):
    output = run_app_process(
        REQUESTS_DURING_OUTAGE, database_url=database_url, LOG_LEVEL="CRITICAL"
    )
    return json.loads(output)


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(f"postgres://postgres@127.0.0.1:{closed_port()}/mlmath", id="postgresql"),
        pytest.param("sqlite:////nonexistent-directory/db.sqlite3", id="sqlite"),
    ],
)
def test_every_request_answers_503_with_retry_after_when_the_database_is_down(database_url):
    answers = requests_with_database(database_url)["answers"]

    for request, answer in answers.items():
        assert (request, answer["status"]) == (request, 503)
        assert answer["retry_after"] == "30"
    assert answers["GET /"]["content_type"].startswith("text/html")
    assert "cannot reach its database" in answers["GET /"]["body"]
    assert json.loads(answers["GET /healthz"]["body"]) == {
        "status": "error",
        "database": "unavailable",
    }


def test_postgresql_gives_up_connecting_after_a_few_seconds():
    url = f"postgres://postgres@127.0.0.1:{closed_port()}/mlmath"

    assert requests_with_database(url)["options"]["connect_timeout"] == 5


@pytest.fixture
def client_seeing_errors(db):
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("error", [OperationalError("server closed"), InterfaceError("closed")])
def test_a_lost_connection_during_a_page_is_a_503_page(client_seeing_errors, error):
    with mock.patch.object(CursorWrapper, "execute", side_effect=error):
        response = client_seeing_errors.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert b"Back in a moment" in response.content


def test_other_errors_stay_500(client_seeing_errors):
    with mock.patch("catalog.views.render", side_effect=ValueError("a bug")):
        response = client_seeing_errors.get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_request_starts_without_asking_the_database():
    """A transaction the outage rolled back leaves this thread's own version tokens; the next
    request's start clears them without connecting (Django's error handling has not begun
    there, so a failed connection was a bare 500, not a 503). pytest-django refuses any
    database access in this test."""
    versions._uncommitted_tokens()["mlmath:test-version"] = "left by a rollback"
    versions._start_request()  # what `request_started` runs of ours
    assert not versions._uncommitted_tokens()
    versions._finish_request()
