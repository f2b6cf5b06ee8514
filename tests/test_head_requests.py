"""Every page that answers GET answers HEAD the same way, without a body (health checks and
link checkers use HEAD); neither changes anything."""

import pytest

pytestmark = pytest.mark.usefixtures("seed_catalog")

PUBLIC_PAGES = [
    "/",
    "/healthz",
    "/topics/calculus/",
    "/degrees/",
    "/degrees/practitioner/",
    "/search/?q=calculus",
    "/favicon.ico",
    "/manifest.webmanifest",
]
LEARNER_PAGES = [
    "/progress/",
    "/account/",
    "/account/export/",
    "/account/export/progress.json",
    "/account/export/progress.csv",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_head_answers_like_get_without_a_body(client, url):
    got = client.get(url)
    head = client.head(url)

    assert (head.status_code, head["Content-Type"]) == (got.status_code, got["Content-Type"])
    assert head.status_code in {200, 301}
    assert head.content == b""


@pytest.mark.parametrize("url", LEARNER_PAGES)
def test_head_on_a_learners_pages(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("ada", password="x-unused-x"))

    assert client.head(url).status_code == client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/topics/no-such-topic/", "/degrees/no-such-degree/"])
def test_head_on_an_unknown_object_is_404(client, url):
    assert client.head(url).status_code == 404
