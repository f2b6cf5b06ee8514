"""System checks: production must have a usable badge signing key (`check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from badges.signing import load_key_ring


@register(Tags.security, deploy=True)
def badge_signing_key_check(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    try:
        load_key_ring()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Badges cannot be signed. See README, 'Verifiable badges'.",
                id="badges.E001",
            )
        ]
    return []
