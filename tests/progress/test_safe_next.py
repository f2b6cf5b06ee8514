"""Where `next` may send a learner: a path on this site, decided by one function everywhere."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from progress.context_processors import first_safe_url, safe_local_path
from progress.models import ResourceProgress, Status
from tests.html import elements

pytestmark = pytest.mark.usefixtures("study_catalog")

BACK_TO_THE_RESOURCE = "/topics/calculus/#resource-khan-academy-calculus"

UNSAFE_NEXTS = [
    "foo",  # a bare word: redirect() would look it up as a URL name and fail
    "account_login",  # a URL name: redirect() would follow it
    "progress:dashboard",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "http://testserver//evil.example/",
    "javascript:alert(1)",
    "topics/calculus/",
    " ",
]


@pytest.mark.parametrize("unsafe_next", UNSAFE_NEXTS)
def test_an_unsafe_next_saves_the_change_and_goes_back_to_the_resource(
    learner_client, learner, unsafe_next
):
    response = learner_client.post(
        reverse("progress:set_status", args=["khan-academy-calculus"]),
        {"status": "completed", "next": unsafe_next},
    )

    assert response.status_code == 302
    assert response["Location"] == BACK_TO_THE_RESOURCE
    assert ResourceProgress.objects.get(learner=learner).status == Status.COMPLETED


@pytest.mark.parametrize("unsafe_next", UNSAFE_NEXTS)
def test_an_unsafe_next_on_notes_and_evidence_never_errs(learner_client, unsafe_next):
    note = learner_client.post(
        reverse("progress:update_note", args=["khan-academy-calculus"]),
        {"khan-academy-calculus-note": "Chain rule first.", "next": unsafe_next},
    )
    withdrawal = learner_client.post(
        reverse("progress:withdraw_evidence", args=["kaggle-keras-xgboost"]),
        {"next": unsafe_next},
    )

    assert note["Location"] == BACK_TO_THE_RESOURCE
    assert withdrawal["Location"] == "/progress/#milestone-kaggle-keras-xgboost"


@pytest.mark.parametrize("unsafe_next", UNSAFE_NEXTS)
def test_a_visitor_with_an_unsafe_next_signs_in_and_comes_back_to_the_form(client, unsafe_next):
    response = client.post(
        reverse("progress:set_status", args=["keras"]), {"status": "completed", "next": unsafe_next}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/progress/resources/keras/status/"


def test_a_local_path_keeps_its_query_and_comes_back_to_the_resource(learner_client):
    response = learner_client.post(
        reverse("progress:set_status", args=["khan-academy-calculus"]),
        {"status": "in_progress", "next": "/search/?q=calculus#results"},
    )

    assert response["Location"] == "/search/?q=calculus#resource-khan-academy-calculus"


def test_a_page_sends_its_progress_forms_back_to_itself(learner_client):
    """Without JavaScript, every card's buttons submit the page's one form, whose `next` is
    the page: the learner comes back to where they pressed."""
    page = learner_client.get("/topics/calculus/?page=1")

    (form,) = elements(page, "form", id="progress-form")
    assert elements(form, "input", name="next", value="/topics/calculus/?page=1")
    assert elements(form, "input", name="csrfmiddlewaretoken")
    buttons = elements(page, "button", form="progress-form")
    assert {dict(b.attributes)["formaction"] for b in buttons} >= {
        "/progress/resources/khan-academy-calculus/status/"
    }


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/topics/calculus/", "/topics/calculus/"),
        ("http://testserver/degrees/?x=1", "/degrees/?x=1"),
        ("https://testserver/degrees/", "/degrees/"),
        ("http://other.example/degrees/", None),
        ("foo", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_local_path(url, path):
    request = RequestFactory().get("/")

    assert safe_local_path(request, url) == path


def test_a_page_served_over_https_never_sends_the_learner_to_plain_http():
    request = RequestFactory().get("/", secure=True)

    assert safe_local_path(request, "http://testserver/degrees/") is None
    assert safe_local_path(request, "https://testserver/degrees/") == "/degrees/"


def test_first_safe_url_skips_unsafe_candidates():
    request = RequestFactory().get("/")

    assert first_safe_url(request, "account_login", "https://evil.example/", "/progress/") == (
        "/progress/"
    )
