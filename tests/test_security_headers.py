"""Browser-side protections: Content-Security-Policy without inline code, Permissions-Policy,
private pages never stored by a cache, and a CSRF cookie scripts cannot read."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.html import by_id, elements
from tests.processes import production_secret_key, run_python

pytestmark = pytest.mark.usefixtures("seed_catalog")

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_only_run_this_sites_own_scripts_and_styles(client):
    policy = directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("template", sorted(TEMPLATES_DIR.rglob("*.html")), ids=str)
def test_no_template_has_inline_script_or_style(template):
    html = template.read_text()

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_htmx_is_told_not_to_insert_its_indicator_styles(client):
    html = client.get("/").content.decode()

    assert '"includeIndicatorStyles": false' in html


def test_production_enforces_the_policy_and_debug_only_reports_it():
    show = "from django.conf import settings as s; print(bool(s.CONTENT_SECURITY_POLICY))"
    production = run_python(
        ["-c", f"import django; django.setup(); {show}"], SECRET_KEY=production_secret_key()
    )
    debug = run_python(["-c", f"import django; django.setup(); {show}"], DEBUG="1")

    assert production.stdout.strip() == "True", production.stderr
    assert debug.stdout.strip() == "False", debug.stderr


def test_pages_refuse_browser_features_they_do_not_use(client):
    policy = client.get("/")["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize(
    "url", ["/progress/", "/topics/calculus/", "/", "/account/", "/account/export/"]
)
def test_pages_made_for_a_signed_in_learner_are_never_stored(learner_client, url):
    cache_control = learner_client.get(url)["Cache-Control"]

    assert "private" in cache_control
    assert "no-store" in cache_control
    assert "public" not in cache_control


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_account_pages_are_never_stored_even_for_visitors(client, url):
    assert "no-store" in client.get(url)["Cache-Control"]


def test_public_pages_for_visitors_are_not_marked_private(client):
    assert "private" not in client.get("/topics/calculus/").get("Cache-Control", "")


def test_the_csrf_cookie_is_http_only_and_htmx_posts_still_pass_the_check(django_user_model):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_user("ada", password="x-unused-x"))

    page = browser.get("/topics/calculus/")
    [body] = elements(page, "body")
    token = json.loads(dict(body.attributes)["hx-headers"])["X-CSRFToken"]
    marked = browser.post(
        "/progress/resources/khan-academy-calculus/status/",
        {"status": "completed"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    refused = browser.post(
        "/progress/resources/khan-academy-calculus/status/",
        {"status": "skipped"},
        HTTP_HX_REQUEST="true",
    )

    assert page.cookies["csrftoken"]["httponly"] is True
    assert marked.status_code == 200
    card = by_id(marked, "resource-khan-academy-calculus")
    assert "resource--completed" in dict(card.attributes)["class"].split()
    assert refused.status_code == 403
