"""/verify/: anyone checks a badge link, a VC-JWT, a JSON credential with a Data Integrity proof
or a baked badge image against this site.

Links to this site are resolved inside the application (nothing is fetched over the network);
links elsewhere are refused with an explanation.
"""

from urllib.parse import urlsplit

from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_http_methods

from badges.baking import (
    OB2_ASSERTION,
    OB3_CREDENTIAL,
    PNG_SIGNATURE,
    BakingError,
    unbake_png,
    unbake_svg,
)
from badges.clr import CLR_TYPE
from badges.did import issuer_did, key_resolver, load_did_key_ring
from badges.forms import VerifyBadgeForm
from badges.ob3 import key_id_for_kid, same_origin
from badges.ob3_views import signed_credential
from badges.signing import load_key_ring
from badges.site import site_issuer, site_origin
from badges.status_views import revoked_in_list
from badges.verify import (
    Submission,
    Verdict,
    VerificationProblem,
    badge_facts,
    read_json_credential,
    read_submission,
    verdict_for_claims,
    verdict_for_foreign_credential,
    verdict_for_learner_record,
    verify_credential_jwt,
    verify_data_integrity_credential,
)
from progress.models import PUBLIC_REVOCATION_REASON, DegreeAward

PASTED_JWT = "A signed credential (VC-JWT)"
PASTED_JSON = "A signed credential (JSON-LD, Data Integrity)"
UPLOADED_JSON = "An uploaded credential (JSON-LD, Data Integrity)"
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


def read_baked_image(upload):
    """What a baked PNG or SVG carries, with words for its source; else a VerificationProblem."""
    content = upload.read()
    if content.lstrip()[:1] == b"{":
        try:
            return Submission("json", content.decode("utf-8")), UPLOADED_JSON
        except UnicodeDecodeError as error:
            raise VerificationProblem("This JSON file is not UTF-8 text.") from error
    if content.startswith(PNG_SIGNATURE):
        kind, unbake = "PNG", unbake_png
    elif b"<svg" in content[:4096].lower():
        kind, unbake = "SVG", unbake_svg
    else:
        raise VerificationProblem(
            "This file is neither a PNG nor an SVG image. Upload the badge image as downloaded "
            "from its share page."
        )
    try:
        token = unbake(content, OB3_CREDENTIAL)
        assertion_url = None if token else unbake(content, OB2_ASSERTION)
    except BakingError as error:
        raise VerificationProblem(f"{error} Upload the badge image as downloaded.") from error
    if token:
        return Submission("jwt", "".join(token.split())), f"A baked {kind} (Open Badges 3.0)"
    if assertion_url:
        return Submission("url", assertion_url.strip()), f"A baked {kind} (Open Badges 2.0)"
    raise VerificationProblem(
        f"This {kind} image carries no badge: it was never baked, or its badge data was removed."
    )


def award_is_revoked(credential_id, origin):
    """Whether the award a credential id names is revoked; a VerificationProblem if none."""
    try:
        public_id = badge_route(credential_id, origin)
    except VerificationProblem:
        public_id = None
    state = (
        DegreeAward.objects.filter(public_id=public_id).values_list("revoked_at").first()
        if public_id
        else None
    )
    if state is None:
        raise VerificationProblem(
            "The signature is this site's, but this site has no record of the award.",
            issued_here=True,
            signature_valid=True,
        )
    return state[0] is not None


def check_jwt(request, token, *, email, source):
    origin = site_origin(request)
    claims = verify_credential_jwt(
        token,
        key_ring=load_key_ring(),
        key_id_for_kid=lambda kid: key_id_for_kid(kid, origin),
        issuer_id=site_issuer(request).id,
    )
    revoked = award_is_revoked(claims["jti"], origin)
    return verdict_for_claims(claims, source=source, revoked=revoked, email=email)


def is_learner_record(document):
    types = document.get("type")
    return isinstance(types, list) and CLR_TYPE[-1] in types


def check_json(request, text, *, email, source):
    """The verdict on a credential with a Data Integrity proof, checked offline."""
    origin = site_origin(request)
    our_did = issuer_did(origin)
    document, issued_here = verify_data_integrity_credential(
        read_json_credential(text),
        resolve_key=key_resolver(our_did, load_did_key_ring()),
        issuer_did=our_did,
    )
    if not issued_here:
        return verdict_for_foreign_credential(document, source=source)
    if is_learner_record(document):
        return verdict_for_learner_record(document, source=source, email=email)
    if badge_facts(document) is None or not isinstance(document.get("id"), str):
        raise VerificationProblem(
            "This credential is signed by this site but is not an Open Badges credential.",
            issued_here=True,
            signature_valid=True,
        )
    revoked = award_is_revoked(document["id"], origin)
    if "credentialStatus" in document:
        # Both say the same (a list's bits are its revoked awards'); either is enough.
        revoked = listed_as_revoked(document["credentialStatus"], origin) or revoked
    return verdict_for_claims(document, source=source, revoked=revoked, email=email)


def listed_as_revoked(credential_status, origin):
    """Whether this site's status list sets the bit a credential's status entry names; a
    VerificationProblem for an entry that names no list of this site."""
    try:
        index = int(credential_status["statusListIndex"])
        match = resolve(urlsplit(credential_status["statusListCredential"]).path)
        is_ours = (
            credential_status["type"] == "BitstringStatusListEntry"
            and credential_status["statusPurpose"] == "revocation"
            and same_origin(credential_status["statusListCredential"], origin)
            and match.view_name == "badges:status_list"
            and index >= 0
        )
    except (KeyError, TypeError, ValueError, AttributeError, Resolver404):
        is_ours = False
    if not is_ours:
        raise VerificationProblem(
            "The signature is this site's, but its revocation status names no status list of "
            "this site.",
            issued_here=True,
            signature_valid=True,
        )
    return revoked_in_list(int(match.kwargs["number"]), index)


def check_link(request, url, *, email, source):
    public_id = badge_route(url, site_origin(request))
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
            source=source,
            issued_here=True,
            revoked=True,
            degree_name=award.degree.title,
            awarded_at=award.awarded_at,
        )
    token = signed_credential(request, award)
    return check_jwt(request, token, email=email, source=source)


def check_submission(request, *, text, image, email):
    """The verdict on what was submitted; every problem becomes a verdict, never an error."""
    source = "A badge image" if image else LINK
    try:
        if image:
            submission, source = read_baked_image(image)
        else:
            submission = read_submission(text)
            source = {"jwt": PASTED_JWT, "json": PASTED_JSON}.get(submission.kind, LINK)
        if submission.kind == "jwt":
            return check_jwt(request, submission.value, email=email, source=source)
        if submission.kind == "json":
            return check_json(request, submission.value, email=email, source=source)
        return check_link(request, submission.value, email=email, source=source)
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
                request,
                text=form.cleaned_data["badge"],
                image=form.cleaned_data["image"],
                email=form.cleaned_data["email"],
            )
        else:
            status = 422
    else:
        form = VerifyBadgeForm()
    template = "badges/verify.html"
    if request.htmx and not request.htmx.boosted:
        template += "#verify-panel"
    context = {
        "form": form,
        "verdict": verdict,
        "public_revocation_reason": PUBLIC_REVOCATION_REASON,
    }
    return render(request, template, context, status=status)
