"""The site as an Open Badges issuer: its public origin and its issuer fields (settings)."""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse


def site_origin(request):
    """The public origin badge documents live on: SITE_URL, else this request's origin."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path):
    return site_origin(request) + path


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str
    url: str
    email: str


def site_issuer(request):
    """The issuer profile's facts; each setting has a default drawn from the site itself."""
    return Issuer(
        id=absolute_url(request, reverse("badges:issuer")),
        name=settings.BADGES_ISSUER_NAME,
        url=settings.BADGES_ISSUER_URL or absolute_url(request, "/"),
        email=settings.BADGES_ISSUER_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
    )
