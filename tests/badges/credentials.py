"""Fetching a badge's credential and checking it as an outsider would: PyJWT and the JWKS only."""

import json

import jwt as pyjwt
from django.urls import reverse


def fetch_credential(client, award):
    response = client.get(reverse("badges:credential_jwt", args=[award.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def published_key(client, token):
    """The public key for `token`, found only through what the site publishes."""
    jwks = client.get(reverse("badges:jwks"))
    assert jwks["Content-Type"] == "application/jwk-set+json"
    kid = pyjwt.get_unverified_header(token)["kid"]
    return pyjwt.PyJWKSet.from_dict(json.loads(jwks.content))[kid].key


def verified_claims(client, token):
    return pyjwt.decode(token, published_key(client, token), algorithms=["RS256"])
