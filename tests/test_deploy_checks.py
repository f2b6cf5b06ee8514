"""`check --deploy` refuses production without a way to send email or without an https
SITE_URL, and clearsessions runs."""

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from badges.checks import site_url_check
from mlmath.checks import email_is_sent_in_production
from tests.badges.keys import did_private_key_pem, private_key_pem
from tests.processes import production_secret_key, run_python


def production(**environment):
    """A production environment that passes every other deployment check."""
    return {
        "SECRET_KEY": production_secret_key(),
        "ALLOWED_HOSTS": "mlmath.example.org",
        "BADGES_SIGNING_KEY": private_key_pem(1),
        "BADGES_DID_KEY": did_private_key_pem(1),
        "EMAIL_HOST": "smtp.example.org",
        **environment,
    }


def test_deploy_check_fails_in_production_when_email_would_go_to_the_log():
    result = run_python(
        ["manage.py", "check", "--deploy"],
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="mlmath.example.org",
    )

    assert result.returncode != 0
    assert "mlmath.E001" in result.stderr
    assert "password-reset" in result.stderr


def test_the_email_check_passes_with_smtp_or_in_development(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert email_is_sent_in_production(None) == []

    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert email_is_sent_in_production(None) == []

    settings.DEBUG = False
    assert [error.id for error in email_is_sent_in_production(None)] == ["mlmath.E001"]


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        (None, "SITE_URL is not set"),
        ("http://mlmath.example.org", "SITE_URL ('http://mlmath.example.org') is not an https"),
    ],
)
def test_deploy_check_fails_in_production_without_an_https_site_url(site_url, problem):
    environment = production() if site_url is None else production(SITE_URL=site_url)

    result = run_python(["manage.py", "check", "--deploy"], **environment)

    assert result.returncode != 0
    assert "badges.E002" in result.stderr
    assert problem in result.stderr


def test_deploy_check_passes_with_an_https_site_url():
    result = run_python(
        ["manage.py", "check", "--deploy"], **production(SITE_URL="https://mlmath.example.org")
    )

    assert result.returncode == 0, result.stderr
    assert "badges.E002" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "site_url",
    ["", "http://mlmath.example.org", "https://", "https://mlmath.example.org/badges", "ftp://x"],
)
def test_the_site_url_check_refuses_anything_but_an_https_origin(settings, site_url):
    settings.DEBUG = False
    settings.SITE_URL = site_url

    assert [error.id for error in site_url_check(None)] == ["badges.E002"]


def test_the_site_url_check_passes_an_https_origin_or_in_development(settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://mlmath.example.org"
    assert site_url_check(None) == []
    settings.SITE_URL = "https://127.0.0.1:18750"
    assert site_url_check(None) == []

    settings.DEBUG = True
    settings.SITE_URL = ""
    assert site_url_check(None) == []


@pytest.mark.django_db
def test_clearsessions_removes_only_expired_sessions():
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now)
    Session.objects.create(
        session_key="current", session_data="", expire_date=now + timezone.timedelta(days=1)
    )

    call_command("clearsessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
