"""Accounts through allauth: sign up, sign in, sign out, password reset, throttling."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD
from tests.html import elements, parsed, text

pytestmark = pytest.mark.usefixtures("study_catalog", "fresh_rate_limits")


def test_sign_up_signs_in_at_once_and_sends_a_confirmation_link(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "username": "newbie",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/progress/"
    assert client.get("/progress/").status_code == 200
    assert get_user_model().objects.filter(username="newbie", email="new@example.com").exists()
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_sign_up_rejects_a_weak_password_with_a_message(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "w@example.com", "username": "weak", "password1": "12345", "password2": "12345"},
    )
    assert response.status_code == 200
    assert "This password is too short" in text(response)
    assert not get_user_model().objects.filter(username="weak").exists()


def test_sign_in_by_email_or_username_and_sign_out_by_post(client, learner):
    for login in ("ada@example.com", "ada"):
        response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert response.status_code == 302, login
        assert client.get("/progress/").status_code == 200
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/progress/").status_code == 302


def test_sign_in_returns_to_the_page_the_learner_came_from(client, learner):
    response = client.post(
        "/accounts/login/?next=/topics/calculus/",
        {"login": "ada", "password": PASSWORD, "next": "/topics/calculus/"},
    )
    assert response["Location"] == "/topics/calculus/"


def test_password_reset_through_email(client, learner):
    response = client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_url = client.get(link.group(1)).url  # allauth moves the key into the session
    new_password = "a-brand-new-passphrase-77"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert client.login(username="ada", password=new_password)


def test_repeated_failed_sign_ins_are_throttled(client, learner):
    statuses = [
        client.post("/accounts/login/", {"login": "ada", "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5
    # Even the right password is refused until the limit (5 per 5 minutes) resets.
    response = client.post("/accounts/login/", {"login": "ada", "password": PASSWORD})
    assert "Too many failed login attempts" in text(response)
    assert client.get("/progress/").status_code == 302


def test_account_pages_use_the_site_layout(client):
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        page = parsed(client.get(url))
        assert elements(page, class_="site-header"), url
        stylesheets = [dict(link.attributes).get("href", "") for link in elements(page, "link")]
        assert any("css/site.css" in href for href in stylesheets), url
        labels = [dict(label.attributes).get("for", "") for label in elements(page, "label")]
        assert any(target.startswith("id_") for target in labels), url


def test_password_change_keeps_the_learner_signed_in(client, learner):
    client.force_login(learner)
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200
    assert elements(page, class_="site-header")
    new_password = "another-long-passphrase-88"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert client.get("/progress/").status_code == 200
    learner.refresh_from_db()
    assert learner.check_password(new_password)


def test_password_change_with_a_wrong_current_password_changes_nothing(client, learner):
    client.force_login(learner)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": "x-long-pass-123", "password2": "x-long-pass-123"},
    )
    assert response.status_code == 200
    assert "Please type your current password." in text(response)
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)
