"""/verify/: anyone checks a badge link, a VC-JWT or a baked badge image against this site.

Links to this site are resolved inside the application (nothing is fetched over the network);
links elsewhere are refused with an explanation.
"""

from urllib.parse import urlsplit

from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_http_methods

from badges.forms import VerifyBadgeForm
from badges.ob3 import issuer_profile, key_id_for_kid, same_origin
from badges.ob3_views import public_origin, signed_credential
from badges.signing import load_key_ring
from badges.verify import (
    Verdict,
    VerificationProblem,
    read_submission,
    verdict_for_claims,
    verify_credential_jwt,
)
from progress.models import DegreeAward

PASTED_JWT = "A signed credential (VC-JWT)"
LINK = "A badge link"


def badge_route(url, origin):
    """The public id of the award a URL of this site addresses, or a VerificationProblem."""
    if not same_origin(url, origin):
        raise VerificationProblem(
            f"This link is not on this site ({origin}). Only badges issued here can be checked "
            "here, and this page never fetches other sites.",
            issued_here=False,
        )
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        match = None
    if match is None or match.namespace != "badges" or "public_id" not in match.kwargs:
        raise VerificationProblem(
            "This address on this site is not a badge. Paste the link of a badge's share page.",
            issued_here=False,
        )
    return match.kwargs["public_id"]


def award_state(credential_id, origin):
    """(revoked, reason) of the award a credential id names; a VerificationProblem if none."""
    try:
        public_id = badge_route(credential_id, origin)
    except VerificationProblem:
        public_id = None
    state = (
        DegreeAward.objects.filter(public_id=public_id)
        .values_list("revoked_at", "revocation_reason")
        .first()
        if public_id
        else None
    )
    if state is None:
        raise VerificationProblem(
            "The signature is this site's, but this site has no record of the award.",
            issued_here=True,
            signature_valid=True,
        )
    revoked_at, reason = state
    return revoked_at is not None, reason


def check_jwt(token, *, email, origin, source):
    claims = verify_credential_jwt(
        token,
        key_ring=load_key_ring(),
        key_id_for_kid=lambda kid: key_id_for_kid(kid, origin),
        issuer_id=issuer_profile(origin)["id"],
    )
    revoked, reason = award_state(claims["jti"], origin)
    return verdict_for_claims(
        claims, source=source, revoked=revoked, revocation_reason=reason, email=email
    )


def check_link(url, *, email, origin):
    public_id = badge_route(url, origin)
    award = (
        DegreeAward.objects.shared()
        .filter(public_id=public_id)
        .select_related("degree", "learner")
        .first()
    )
    if award is None:
        raise VerificationProblem(
            "There is no shared badge at this address: it does not exist, or its owner has made "
            "it private."
        )
    if award.learner is None:
        # The account was deleted, which revokes its awards; there is nothing left to sign.
        return Verdict(
            source=LINK,
            issued_here=True,
            revoked=True,
            revocation_reason=award.revocation_reason or "The account was deleted.",
            degree_name=award.degree.title,
            awarded_at=award.awarded_at,
        )
    token = signed_credential(award, origin=origin)
    return check_jwt(token, email=email, origin=origin, source=LINK)


def check_submission(*, text, email, origin):
    """The verdict on what was submitted; every problem becomes a verdict, never an error."""
    source = LINK
    try:
        submission = read_submission(text)
        if submission.kind == "jwt":
            source = PASTED_JWT
            return check_jwt(submission.value, email=email, origin=origin, source=source)
        return check_link(submission.value, email=email, origin=origin)
    except VerificationProblem as problem:
        return problem.verdict(source)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    verdict = None
    status = 200
    if request.method == "POST" or "badge" in request.GET:
        # A GET with ?badge= lets a share page link straight to its verdict.
        bound = request.POST if request.method == "POST" else request.GET
        form = VerifyBadgeForm(bound, request.FILES or None)
        if form.is_valid():
            verdict = check_submission(
                text=form.cleaned_data["badge"],
                email=form.cleaned_data["email"],
                origin=public_origin(request),
            )
        else:
            status = 422
    else:
        form = VerifyBadgeForm()
    template = "badges/verify.html"
    if request.htmx and not request.htmx.boosted:
        template += "#verify-panel"
    return render(request, template, {"form": form, "verdict": verdict}, status=status)
