"""`check --deploy` refuses production without a way to send email, and clearsessions runs."""

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from mlmath.checks import email_is_sent_in_production
from tests.processes import production_secret_key, run_python


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


@pytest.mark.django_db
def test_clearsessions_removes_only_expired_sessions():
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now)
    Session.objects.create(
        session_key="current", session_data="", expire_date=now + timezone.timedelta(days=1)
    )

    call_command("clearsessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
