"""Requests the load test's fuzz pass (deploy/fuzz.py, seed 12) answered with 500 before the
body-parsing fix, replayed through Django's test client: each now gets a 4xx and saves nothing.

The fuzz pass sent them signed in, with a valid CSRF token in the `X-CSRFToken` header (so
the request reaches the view), to pages all over the site; tests/test_hostile_requests.py
holds the original findings, these are the variants the fuzzer found besides them.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from progress.models import Evidence, ResourceProgress
from tests import factories

pytestmark = pytest.mark.django_db

CSRF_TOKEN = "f" * 32
MULTIPART_BODY = (
    b'------fuzz595\r\nContent-Disposition: form-data; name="status"\r\n\r\n'
    b"completed\r\n------fuzz595--\r\n"
)


FUZZ_FOUND_BODIES = [
    pytest.param(
        "application/x-www-form-urlencoded; charset=utf-32",
        "status=completed&url=https%3A%2F%2Fexample.org%2Fe&description=x".encode("utf-32"),
        id="urlencoded-utf-32",
    ),
    pytest.param(
        "application/x-www-form-urlencoded; charset=iso-8859-1",
        "status=completed&description=r\xe9sum\xe9".encode("latin-1"),
        id="urlencoded-iso-8859-1",
    ),
    pytest.param(
        "application/x-www-form-urlencoded; charset=utf-16",
        "status=completed&note=n".encode("utf-16"),
        id="urlencoded-utf-16",
    ),
    pytest.param(
        "multipart/form-data; charset=x-nope",
        MULTIPART_BODY,
        id="multipart-without-boundary-with-charset",
    ),
]


@pytest.fixture
def study(db):
    resource = factories.make_resource(slug="keras-guide")
    milestone = factories.make_milestone(slug="mlp-from-scratch")
    return resource, milestone


@pytest.fixture
def fuzz_client(learner):
    """Signed in, CSRF cookie and header agreeing, 500s returned rather than raised."""
    client = Client(
        enforce_csrf_checks=True, raise_request_exception=False, HTTP_X_CSRFTOKEN=CSRF_TOKEN
    )
    client.cookies["csrftoken"] = CSRF_TOKEN
    client.force_login(learner)
    return client


@pytest.mark.parametrize(("content_type", "body"), FUZZ_FOUND_BODIES)
@pytest.mark.parametrize(
    "path",
    [
        "/progress/resources/keras-guide/status/",
        "/progress/resources/keras-guide/note/",
        "/progress/milestones/mlp-from-scratch/evidence/",
        "/progress/milestones/mlp-from-scratch/evidence/withdraw/",
    ],
)
def test_an_unreadable_write_is_refused_and_saves_nothing(
    fuzz_client, study, path, content_type, body
):
    response = fuzz_client.generic(
        "POST", path, data=body, content_type=content_type, HTTP_HX_REQUEST="true"
    )

    assert 400 <= response.status_code < 500
    assert not ResourceProgress.objects.exists()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("content_type", "body"), FUZZ_FOUND_BODIES)
@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/degrees/",
        "/topics/no-such-topic/",
        "/search/",
        "/admin/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/account/",
    ],
)
def test_an_unreadable_post_anywhere_is_a_client_error(
    fuzz_client, study, path, content_type, body
):
    users_before = get_user_model().objects.count()

    response = fuzz_client.generic("POST", path, data=body, content_type=content_type)

    assert 400 <= response.status_code < 500
    assert get_user_model().objects.count() == users_before
