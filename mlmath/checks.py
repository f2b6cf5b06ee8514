"""Deployment checks of our own, shown by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, register

CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def email_is_sent_in_production(app_configs, **kwargs):
    """Without EMAIL_HOST, emails go to the console: in production that is the server log, and
    password-reset emails carry links with live tokens."""
    if settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE_EMAIL_BACKEND:
        return []
    return [
        Error(
            "DEBUG is off but no email backend is configured: emails, including password-reset "
            "links with live tokens, would be printed to the server log.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "EMAIL_USE_TLS, DEFAULT_FROM_EMAIL) in the environment; see .env.example.",
            id="mlmath.E001",
        )
    ]
