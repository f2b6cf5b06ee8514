"""System checks: production must have usable badge signing keys (RSA for VC-JWTs, Ed25519
for Data Integrity proofs) and an https SITE_URL (`check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from badges.did import load_did_key_ring
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
                hint="Badges cannot be signed. See docs/credentials.md, 'The signing key'.",
                id="badges.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def badge_did_key_check(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    try:
        load_did_key_ring()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Data Integrity proofs cannot be signed and /.well-known/did.json has no "
                "key. See docs/credentials.md, 'The DID keys'.",
                id="badges.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """Every badge document names its ids, and every baked badge its assertion, on SITE_URL:
    without it they would carry whatever Host each request had, and they outlive the request."""
    if settings.DEBUG:
        return []
    site_url = urlsplit(settings.SITE_URL)
    is_https_origin = site_url.scheme == "https" and site_url.hostname
    if is_https_origin and not (site_url.path or site_url.query or site_url.fragment):
        return []
    if settings.SITE_URL:
        problem = f"SITE_URL ({settings.SITE_URL!r}) is not an https origin"
    else:
        problem = "SITE_URL is not set: badges would name their ids on each request's Host"
    return [
        Error(
            f"DEBUG is off and {problem}.",
            hint="Set SITE_URL to the site's public origin, https and no path, e.g. "
            "https://mlmath.example.org, and keep it: shared badges point at it.",
            id="badges.E002",
        )
    ]
