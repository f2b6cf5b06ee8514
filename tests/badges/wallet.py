"""A simulated wallet for tests: an Ed25519 key made in the test, its did:key, and the
presentation a wallet signs to answer a VC-API exchange's DID authentication request."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.dataintegrity import sign_document
from badges.multikey import did_key, did_key_verification_method

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
SIGNED_AT = "2026-03-04T05:06:07Z"


@dataclass
class Wallet:
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def did(self):
        return did_key(self.key.public_key())

    def presentation(self, *, challenge, domain, holder=None, purpose="authentication"):
        """A VerifiablePresentation of no credential, signed by this wallet's did:key."""
        unsigned = {
            "@context": [VC_CONTEXT],
            "type": ["VerifiablePresentation"],
            "holder": holder or self.did,
        }
        return sign_document(
            unsigned,
            self.key,
            did_key_verification_method(self.key.public_key()),
            SIGNED_AT,
            purpose,
            challenge=challenge,
            domain=domain,
        )

    def answer(self, request):
        """The body answering a `verifiablePresentationRequest` (as the exchange sent it)."""
        asked = request["verifiablePresentationRequest"]
        presentation = self.presentation(challenge=asked["challenge"], domain=asked["domain"])
        return {"verifiablePresentation": presentation}


def post_json(url, body):
    """POST JSON to a live server as a wallet does (no cookie, no CSRF token): (status, JSON)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def complete_exchange_live(exchange_url, wallet):
    """Play the wallet against a live server: ask, sign, answer; the credential it receives."""
    status, request = post_json(exchange_url, {})
    assert status == 200, request
    status, answer = post_json(exchange_url, wallet.answer(request))
    assert status == 200, answer
    [credential] = answer["verifiablePresentation"]["verifiableCredential"]
    return credential
