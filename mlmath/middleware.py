"""Project-wide middleware: a request body that cannot be parsed is refused once, up front;
pages made for a signed-in person are never stored by any cache."""

import logging

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpResponseBadRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

UNPARSABLE_BODY_ERRORS = (
    BadRequest,  # a form body in another charset than UTF-8
    MultiPartParserError,  # a multipart body without a valid boundary
    SuspiciousOperation,  # too big, too many fields or files
    UnreadablePostError,  # the client went away mid-body
)


class RejectUnparsableBodyMiddleware:
    """Parse a POST body here, and answer 400 naming the problem when it cannot be parsed.

    Without this, the CSRF check and every error page (which look for a token in
    `request.POST`) would each parse the same body again, fail again, and end in a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                _ = request.POST
            except UNPARSABLE_BODY_ERRORS as error:
                logger.warning("Refused an unparsable request body on %s: %s", request.path, error)
                return HttpResponseBadRequest(
                    f"The request body could not be read: {error}",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


# allauth's pages (sign-in, password reset links with live tokens) and the account settings.
ACCOUNT_PATH_PREFIXES = ("/accounts/", "/account/")


class PrivateResponsesMiddleware:
    """`Cache-Control: private, no-store` on every response made for a signed-in person and
    on every account page: a learner's notes, evidence and progress appear on most pages
    (the catalog shows them beside each resource), so the rule is by person, not by URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ACCOUNT_PATH_PREFIXES) or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
