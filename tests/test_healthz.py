"""The load balancer's health check: 200 while the database answers, 503 when it does not."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_json_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_healthz_answers_503_when_the_database_cannot_be_reached(client):
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert response["Retry-After"] == "30"


def test_healthz_answers_503_when_the_query_fails(client):
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("server gone")):
        response = client.get("/healthz")

    assert response.status_code == 503


def test_healthz_answers_plain_http_even_when_https_is_enforced(client, settings):
    # Load balancers probe the app server directly, over HTTP.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_answers_get_and_head_only(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
