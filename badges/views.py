"""Public badge pages and documents: the share page, Open Badges 2.0 JSON-LD, badge images.

Everything about an award answers 404 while its learner keeps it private, exactly like an
id that does not exist; a revoked award says so (the assertion answers 410 Gone).
"""

from urllib.parse import quote, urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from badges import ob2
from badges.awards import (
    degree_criteria_narrative,
    load_shared_badge,
    shared_award_or_404,
)
from badges.baking import bake_png, bake_svg
from badges.images import badge_png, badge_svg, image_description
from badges.site import absolute_url, site_issuer
from catalog.models import Degree
from progress.models import PUBLIC_REVOCATION_REASON

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"
# What a shared badge's link preview says of a degree without a summary.
DEGREE_DESCRIPTION = "A degree of the mlmath curriculum: the math you need for machine learning."


def json_ld_response(request, document, status=200):
    """JSON-LD, or plain JSON for a client that accepts only that; readable from any origin."""
    accepts_only_json = request.accepts("application/json") and not request.accepts(ob2.LD_JSON)
    response = JsonResponse(
        document,
        status=status,
        content_type="application/json" if accepts_only_json else ob2.LD_JSON,
        json_dumps_params={"indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ["Accept"])
    # Sharing and revocation change the answer: caches must check back every time.
    patch_cache_control(response, no_cache=True)
    return response


def image_response(content, content_type, filename=None):
    response = HttpResponse(content, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, no_cache=True)
    return response


def degree_urls(request, degree):
    return {
        "badge_class": absolute_url(
            request, reverse("badges:badge_class", args=[degree.public_id])
        ),
        "image": absolute_url(request, reverse("badges:degree_png", args=[degree.public_id])),
        "criteria": absolute_url(request, degree.get_absolute_url()),
    }


@require_safe
def issuer(request):
    return json_ld_response(request, ob2.issuer_document(site_issuer(request)))


@require_safe
def badge_class(request, public_id):
    degree = get_object_or_404(Degree.objects.select_related("curriculum"), public_id=public_id)
    urls = degree_urls(request, degree)
    document = ob2.badge_class_document(
        badge_class_url=urls["badge_class"],
        degree=degree,
        narrative=degree_criteria_narrative(degree),
        criteria_url=urls["criteria"],
        image_url=urls["image"],
        issuer_id=site_issuer(request).id,
    )
    return json_ld_response(request, document)


@require_safe
def degree_png(request, public_id):
    degree = get_object_or_404(Degree, public_id=public_id)
    return image_response(badge_png(degree.title, degree.rank), "image/png")


@require_safe
def degree_svg(request, public_id):
    degree = get_object_or_404(Degree, public_id=public_id)
    return image_response(badge_svg(degree.title, degree.rank), "image/svg+xml")


def assertion_url(request, award):
    return absolute_url(request, reverse("badges:assertion", args=[award.public_id]))


@require_safe
def assertion(request, public_id):
    award = shared_award_or_404(public_id)
    url = assertion_url(request, award)
    if award.is_revoked or award.learner is None:
        document = ob2.revoked_assertion_document(assertion_url=url)
        return json_ld_response(request, document, status=410)
    urls = degree_urls(request, award.degree)
    document = ob2.assertion_document(
        assertion_url=url,
        badge_class_url=urls["badge_class"],
        image_url=absolute_url(request, reverse("badges:baked_png", args=[award.public_id])),
        badge=load_shared_badge(award),
        recipient_email=award.learner.email,
    )
    return json_ld_response(request, document)


def download_name(award, extension):
    return f"mlmath-{award.degree.slug}-badge.{extension}"


@require_safe
def baked_png(request, public_id):
    award = shared_award_or_404(public_id)
    png = bake_png(badge_png(award.degree.title, award.degree.rank), assertion_url(request, award))
    return image_response(png, "image/png", filename=download_name(award, "png"))


@require_safe
def baked_svg(request, public_id):
    award = shared_award_or_404(public_id)
    svg = bake_svg(
        badge_svg(award.degree.title, award.degree.rank), verify_url=assertion_url(request, award)
    )
    return image_response(svg, "image/svg+xml", filename=download_name(award, "svg"))


def linkedin_fields(badge, share_url, issuer_name):
    """What LinkedIn's add-to-profile form needs, in the order its URL takes them."""
    return {
        "startTask": "CERTIFICATION_NAME",
        "name": f"{badge.degree.title} degree",
        "organizationName": issuer_name,
        "issueYear": str(badge.award.awarded_at.year),
        "issueMonth": str(badge.award.awarded_at.month),
        "certUrl": share_url,
        "certId": str(badge.award.public_id),
    }


def linkedin_url(fields):
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(fields, quote_via=quote)}"


def credential_url(request, award, view_name="badges:credential_jwt"):
    """The Open Badges 3.0 credential's URL (served by `badges.ob3`'s view), if there is one;
    `badges:credential_json` for its Data Integrity form."""
    try:
        return absolute_url(request, reverse(view_name, args=[award.public_id]))
    except NoReverseMatch:
        return None


def share_page_context(request, award):
    """Everything the share page shows of a shared award (degree and learner loaded)."""
    badge = load_shared_badge(award)
    share_url = absolute_url(request, reverse("badges:share", args=[award.public_id]))
    issuer = site_issuer(request)
    fields = linkedin_fields(badge, share_url, issuer.name)
    image_alt = image_description(award.degree.title, award.degree.rank)
    png_url = absolute_url(request, reverse("badges:degree_png", args=[award.degree.public_id]))
    preview = {
        "type": "website",
        "url": share_url,
        "title": f"{badge.display_name} earned the mlmath {award.degree.title} degree",
        "description": (
            PUBLIC_REVOCATION_REASON
            if award.is_revoked
            else award.degree.summary or DEGREE_DESCRIPTION
        ),
        "image_url": png_url,
        "image_alt": image_alt,
    }
    context = {
        "badge": badge,
        "award": award,
        "issuer": issuer,
        "share_url": share_url,
        "assertion_url": assertion_url(request, award),
        "image_alt": image_alt,
        "preview": preview,
        "credential_url": credential_url(request, award),
        "credential_json_url": credential_url(request, award, "badges:credential_json"),
        "linkedin_url": linkedin_url(fields),
        "linkedin_fields": fields,
        "public_revocation_reason": PUBLIC_REVOCATION_REASON,
        # Only the learner may put the badge in their wallet (badges.exchange_views.start).
        "is_owner": request.user.is_authenticated and award.learner_id == request.user.pk,
    }
    return context


@require_safe
def award_detail(request, public_id):
    award = shared_award_or_404(public_id)
    response = render(request, "badges/award_detail.html", share_page_context(request, award))
    patch_cache_control(response, no_cache=True)
    return response
