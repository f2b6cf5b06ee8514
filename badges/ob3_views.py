"""Open Badges 3.0 over HTTP: the signed credential, the public keys and the revocation list."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from badges.ob3 import (
    VC_JWT_CONTENT_TYPE,
    build_credential,
    credential_facts,
    credential_url,
    issuer_profile,
    revocation_list,
    sign_credential,
    signing_key_url,
)
from badges.signing import load_key_ring, public_jwk
from progress.models import DegreeAward


def public_origin(request):
    """The site's public origin: `SITE_URL` when set, else the origin of this request."""
    site_url = getattr(settings, "SITE_URL", "")
    if site_url:
        return site_url.rstrip("/")
    return f"{request.scheme}://{request.get_host()}"


def json_response(document, content_type):
    return HttpResponse(json.dumps(document, indent=2), content_type=content_type)


def signed_credential(award, *, origin):
    """The award (degree and learner loaded) as a VC-JWT signed with the current key."""
    key_ring = load_key_ring()
    credential = build_credential(credential_facts(award, origin=origin))
    kid = signing_key_url(origin, key_ring.signing_key_id)
    return sign_credential(credential, key_ring.signing_key, kid)


def shared_award_or_404(public_id):
    """A shared award whose learner still exists; anything else is indistinguishable from none."""
    awards = DegreeAward.objects.shared().filter(learner__isnull=False)
    return get_object_or_404(awards.select_related("degree", "learner"), public_id=public_id)


@require_GET
def credential_jwt(request, public_id):
    award = shared_award_or_404(public_id)
    token = signed_credential(award, origin=public_origin(request))
    return HttpResponse(token, content_type=VC_JWT_CONTENT_TYPE)


@require_GET
def jwks(request):
    origin = public_origin(request)
    # Newest first: clients that take the first key pick the one signing new credentials.
    newest_first = reversed(load_key_ring().public_keys)
    keys = [public_jwk(key, signing_key_url(origin, key.thumbprint())) for key in newest_first]
    return json_response({"keys": keys}, "application/jwk-set+json")


@require_GET
def signing_key(request, key_id):
    key = load_key_ring().public_key(key_id)
    if key is None:
        raise Http404("No signing key with this id.")
    jwk = public_jwk(key, signing_key_url(public_origin(request), key_id))
    return json_response(jwk, "application/jwk+json")


@require_GET
def revocation_list_view(request):
    origin = public_origin(request)
    revoked = (
        DegreeAward.objects.revoked()
        .order_by("revoked_at", "pk")
        .values_list("public_id", "revocation_reason")
    )
    document = revocation_list(
        list_url=origin + request.path,
        issuer_id=issuer_profile(origin)["id"],
        revoked=[(credential_url(origin, public_id), reason) for public_id, reason in revoked],
    )
    return json_response(document, "application/json")
