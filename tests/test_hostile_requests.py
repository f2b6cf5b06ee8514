"""Odd requests that once answered 500: each gets a clear 4xx and nothing is saved."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CSRF_COOKIE = "a" * 32

UNPARSABLE_BODIES = [
    pytest.param(
        "application/x-www-form-urlencoded; charset=latin-1", b"status=\xe9t\xe9", id="latin-1"
    ),
    pytest.param(
        "application/x-www-form-urlencoded; charset=utf-16",
        "status=completed".encode("utf-16"),
        id="utf-16",
    ),
    pytest.param("multipart/form-data", b"garbage\xff", id="multipart-without-boundary"),
    pytest.param("multipart/form-data; boundary=", b"--\r\n", id="multipart-empty-boundary"),
]


@pytest.fixture
def browser():
    """A client that checks CSRF as a browser's request is checked, and shows 500s as such."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = CSRF_COOKIE
    return client


@pytest.mark.parametrize(("content_type", "body"), UNPARSABLE_BODIES)
@pytest.mark.parametrize("path", ["/", "/nope", "/progress/resources/keras/status/"])
def test_an_unparsable_body_is_a_400_naming_the_problem(browser, path, content_type, body):
    response = browser.generic("POST", path, data=body, content_type=content_type)

    assert response.status_code == 400
    assert response.content.decode().startswith("The request body could not be read:")


def test_a_readable_body_without_a_token_is_still_refused_by_the_csrf_check(browser):
    response = browser.post("/progress/resources/keras/status/", {"status": "completed"})

    assert response.status_code == 403


def test_a_multipart_post_to_an_unknown_page_is_a_404(browser):
    response = browser.post("/nope", {"field": "value"})

    assert response.status_code in {403, 404}
    assert response.status_code < 500
