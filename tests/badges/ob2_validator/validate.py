"""Run 1EdTech's Open Badges 2.0 validator offline; print its report as JSON.

Usage: validate.py BADGE_URL_OR_IMAGE_PATH [RECIPIENT_EMAIL]

Runs in the validator's own virtualenv (see test_ob2_validator.py). Only loopback servers are
reachable: the JSON-LD context https://w3id.org/openbadges/v2 is answered from the copy the
validator ships, and any other address fails at once, so nothing reaches the internet.
"""

import json
import sys
from urllib.parse import urlsplit

import requests
from openbadges import verify
from openbadges.verifier.openbadges_context import (
    OPENBADGES_CONTEXT_V2_DICT,
    OPENBADGES_CONTEXT_V2_URI,
)
from requests.adapters import HTTPAdapter

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
reached = []
original_send = HTTPAdapter.send


def local_response(request, body):
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(body).encode("utf-8")
    response.headers["Content-Type"] = "application/ld+json"
    response.encoding = "utf-8"
    response.url = request.url
    response.request = request
    return response


def offline_send(adapter, request, **kwargs):
    reached.append(request.url)
    if request.url.rstrip("/") == OPENBADGES_CONTEXT_V2_URI:
        return local_response(request, OPENBADGES_CONTEXT_V2_DICT)
    if urlsplit(request.url).hostname not in LOOPBACK_HOSTS:
        raise requests.ConnectionError(f"blocked in tests (no internet): {request.url}")
    return original_send(adapter, request, **kwargs)


HTTPAdapter.send = offline_send


def main(badge_input, email=None):
    recipient = {"email": email} if email else None
    if badge_input.startswith(("http://", "https://")):
        result = verify(badge_input, recipient_profile=recipient, use_cache=False)
    else:  # a baked image
        with open(badge_input, "rb") as image:
            result = verify(image, recipient_profile=recipient, use_cache=False)
    report = result["report"]
    report["reached"] = reached
    json.dump(report, sys.stdout, indent=2, default=str)


if __name__ == "__main__":
    main(*sys.argv[1:])
