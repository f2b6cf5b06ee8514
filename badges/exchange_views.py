"""Add to wallet over HTTP: the learner starts an exchange on their badge's page, and the
wallet completes it at the exchange URL (a VC-API exchange endpoint; rules in `badges.exchanges`).
"""

import json
from urllib.parse import quote

import segno
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from badges.exchanges import (
    MAX_REQUEST_BYTES,
    MAX_REQUEST_DEPTH,
    ExchangeRefused,
    complete_exchange,
    holder_of_presentation,
    open_exchange,
    presentation_request,
    start_exchange,
)
from badges.ob3 import CREDENTIAL_CONTEXT
from badges.ob3_views import data_integrity_credential
from badges.site import absolute_url, site_origin
from badges.views import share_page_context
from mlmath.bounded import InputTooLarge, load_json
from progress.models import DegreeAward
from progress.views import learner_required

# The Learner Credential Wallet's universal link for a "Wallet API request": the wallet reads
# the JSON in `request` and POSTs to its `protocols.vcapi` URL (an interaction the Digital
# Credentials Consortium's exchanger and LCW both speak).
LCW_REQUEST_URL = "https://lcw.app/request"
QR_LABEL = "QR code: scan it with your wallet app to add this badge"


def exchange_url(request, exchange):
    return absolute_url(request, exchange.get_absolute_url())


def wallet_request(origin, url):
    """The request a wallet reads from the deep link: where to run the VC-API exchange."""
    return {"credentialRequestOrigin": origin, "protocols": {"vcapi": url}}


def lcw_deep_link(origin, url):
    text = json.dumps(wallet_request(origin, url), separators=(",", ":"))
    return f"{LCW_REQUEST_URL}?request={quote(text, safe='')}"


def qr_code_svg(text, label):
    """`text` as an inline SVG QR code with an accessible name (segno)."""
    svg = segno.make(text, error="m").svg_inline(scale=3, border=2, dark="#000", light="#fff")
    named = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(named)  # segno writes the SVG; the label is escaped


def wallet_offer(request, exchange):
    """What the badge's page shows for a started exchange: the deep link, its QR code, when it
    expires."""
    url = exchange_url(request, exchange)
    link = lcw_deep_link(site_origin(request), url)
    return {
        "exchange": exchange,
        "exchange_url": url,
        "deep_link": link,
        "qr_svg": qr_code_svg(link, QR_LABEL),
    }


@require_POST
@learner_required
def start(request, public_id):
    """Start an exchange for one of the learner's own shared, valid badges (else 404)."""
    award = get_object_or_404(
        DegreeAward.objects.for_learner(request.user)
        .shared()
        .valid()
        .select_related("degree__curriculum", "learner__profile"),
        public_id=public_id,
    )
    exchange = start_exchange(award=award, learner=request.user, now=timezone.now())
    context = {"award": award, "is_owner": True, "wallet": wallet_offer(request, exchange)}
    if request.htmx:
        response = render(request, "badges/award_detail.html#add-to-wallet", context)
    else:
        context = {**share_page_context(request, award), **context}
        response = render(request, "badges/award_detail.html", context)
    patch_cache_control(response, no_store=True, private=True)
    return response


def exchange_json(document, status=200):
    response = JsonResponse(document, status=status, json_dumps_params={"indent": 2})
    # Web wallets call from their own origin; the exchange id is the only credential.
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, no_store=True)
    return response


def refused(error):
    return exchange_json({"error": error.message}, status=error.status)


def read_body(request):
    """The request's JSON object (an empty body is `{}`), within bounds; else ExchangeRefused."""
    if not request.body.strip():
        return {}
    try:
        body = load_json(
            request.body,
            max_bytes=MAX_REQUEST_BYTES,
            max_depth=MAX_REQUEST_DEPTH,
            what="The request",
        )
    except InputTooLarge as error:
        raise ExchangeRefused(413, str(error)) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ExchangeRefused(400, "The request body is not JSON.") from error
    if not isinstance(body, dict):
        raise ExchangeRefused(400, "The request body must be a JSON object.")
    return body


# A machine endpoint, not a form: a wallet has no session or CSRF token, and nothing here acts
# on a cookie; the unguessable exchange id in the URL (256 random bits) is what authorizes it.
@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def exchange(request, token):
    """The VC-API exchange endpoint: `{}` → the presentation request; `{"verifiablePresentation":
    …}` → the credential, issued to the presentation's holder."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        return response
    now = timezone.now()
    try:
        body = read_body(request)
        current = open_exchange(token, now)
        origin = site_origin(request)
        if "verifiablePresentation" not in body:
            if body:
                raise ExchangeRefused(
                    400, "Send {} to get the presentation request, or a verifiablePresentation."
                )
            url = exchange_url(request, current)
            return exchange_json(presentation_request(current, origin=origin, exchange_url=url))
        holder = holder_of_presentation(
            body["verifiablePresentation"], challenge=current.challenge, domain=origin
        )
        complete_exchange(current, holder=holder, now=now)
    except ExchangeRefused as error:
        return refused(error)
    credential = data_integrity_credential(request, current.award, subject_id=holder.did)
    return exchange_json(
        {
            "verifiablePresentation": {
                "@context": [CREDENTIAL_CONTEXT[0]],
                "type": ["VerifiablePresentation"],
                "verifiableCredential": [credential],
            }
        }
    )
