"""Open Badges 3.0 over HTTP: the signed credential (VC-JWT and Data Integrity), the public keys
(JWKS and the DID document) and the revocation list."""

import json
import logging

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from badges.awards import (
    award_resources_narrative,
    degree_criteria_narrative,
    shared_award_or_404,
)
from badges.baking import OB3_CREDENTIAL, bake_png, bake_svg
from badges.did import did_document, issuer_did, load_did_key_ring
from badges.images import badge_png, badge_svg
from badges.ob3 import (
    VC_CONTENT_TYPE,
    VC_JWT_CONTENT_TYPE,
    build_credential,
    credential_facts,
    credential_url,
    revocation_list,
    sign_credential,
    sign_credential_data_integrity,
    signing_key_url,
)
from badges.signing import load_key_ring, public_jwk
from badges.site import site_issuer, site_origin
from badges.status_views import MissingStatusEntry, credential_status_of
from badges.views import image_response
from progress.models import DegreeAward

logger = logging.getLogger(__name__)


def json_response(document, content_type):
    response = HttpResponse(json.dumps(document, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def unsigned_credential(request, award, credit=None):
    """The award (degree and learner loaded) as an unsigned OpenBadgeCredential (`credit`: the
    learner's `degree_credit`, when the caller read it already)."""
    facts = credential_facts(
        award,
        origin=site_origin(request),
        issuer=site_issuer(request),
        criteria_narrative=degree_criteria_narrative(award.degree),
        subject_narrative=award_resources_narrative(award, credit),
    )
    return build_credential(facts)


def signed_credential(request, award):
    """The award (degree and learner loaded) as a VC-JWT signed with the current key."""
    key_ring = load_key_ring()
    kid = signing_key_url(site_origin(request), key_ring.signing_key_id)
    return sign_credential(unsigned_credential(request, award), key_ring.signing_key, kid)


def data_integrity_credential(request, award, subject_id=None, credit=None):
    """The award (degree, learner and status list entry loaded) issued by the site's did:web,
    with its revocation status list entry and a Data Integrity proof made with the current
    Ed25519 key (`credit`: the learner's `degree_credit`, when the caller read it already).

    `subject_id`: the holder's DID, for a credential issued to a wallet (`badges.exchanges`);
    else the award's own urn:uuid."""
    ring = load_did_key_ring()
    origin = site_origin(request)
    credential = unsigned_credential(request, award, credit)
    if subject_id is not None:
        credential["credentialSubject"]["id"] = subject_id
    return sign_credential_data_integrity(
        credential,
        ring.signing_key,
        issuer_did(origin),
        ring.signing_key_id,
        credential_status=credential_status_of(award, origin),
    )


@require_safe
def credential_jwt(request, public_id):
    award = shared_award_or_404(public_id, signable=True)
    response = HttpResponse(signed_credential(request, award), content_type=VC_JWT_CONTENT_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    # Sharing, revocation and key rotation change the answer: caches must check back.
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def credential_json(request, public_id):
    award = shared_award_or_404(public_id, signable=True)
    try:
        credential = data_integrity_credential(request, award)
    except MissingStatusEntry:
        # Cannot happen (every award is recorded with its entry); a GET never draws one.
        logger.error("Award %s has no status list entry: run the badges migrations.", public_id)
        response = HttpResponse(
            "This credential cannot be issued right now.", status=503, content_type="text/plain"
        )
        patch_cache_control(response, no_cache=True)
        return response
    response = json_response(credential, VC_CONTENT_TYPE)
    # Sharing, revocation and key rotation change the answer: caches must check back.
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def baked_credential_png(request, public_id):
    award = shared_award_or_404(public_id, signable=True)
    image = badge_png(award.degree.title, award.degree.rank)
    png = bake_png(image, signed_credential(request, award), OB3_CREDENTIAL)
    return image_response(png, "image/png", filename=f"mlmath-{award.degree.slug}-ob3.png")


@require_safe
def baked_credential_svg(request, public_id):
    award = shared_award_or_404(public_id, signable=True)
    image = badge_svg(award.degree.title, award.degree.rank)
    svg = bake_svg(image, baking_format=OB3_CREDENTIAL, content=signed_credential(request, award))
    return image_response(svg, "image/svg+xml", filename=f"mlmath-{award.degree.slug}-ob3.svg")


@require_safe
def jwks(request):
    origin = site_origin(request)
    # Newest first: clients that take the first key pick the one signing new credentials.
    newest_first = reversed(load_key_ring().public_keys)
    keys = [public_jwk(key, signing_key_url(origin, key.thumbprint())) for key in newest_first]
    return json_response({"keys": keys}, "application/jwk-set+json")


@require_safe
def did_json(request):
    """The site's DID document: every Ed25519 key ever used, newest first (`badges.did`)."""
    document = did_document(issuer_did(site_origin(request)), load_did_key_ring())
    return json_response(document, "application/did+ld+json")


@require_safe
def signing_key(request, key_id):
    key = load_key_ring().public_key(key_id)
    if key is None:
        raise Http404("No signing key with this id.")
    jwk = public_jwk(key, signing_key_url(site_origin(request), key_id))
    return json_response(jwk, "application/jwk+json")


@require_safe
def revocation_list_view(request):
    origin = site_origin(request)
    # A badge never made public has no credential outside the site: nothing to tell anyone.
    revoked = (
        DegreeAward.objects.revoked()
        .ever_shared()
        .order_by("revoked_at", "pk")
        .values_list("public_id", flat=True)
    )
    document = revocation_list(
        list_url=origin + request.path,
        issuer_id=site_issuer(request).id,
        revoked_credential_ids=[credential_url(origin, public_id) for public_id in revoked],
    )
    return json_response(document, "application/json")
