"""Spare keys for tests, generated once per run: generating an RSA key takes a fraction of a
second."""

from functools import cache

from badges.did import generate_did_key_pem
from badges.signing import generate_private_key_pem


@cache
def private_key_pem(number):
    """The `number`th spare RSA private key, in PEM; the same text for the same number."""
    return generate_private_key_pem()


@cache
def did_private_key_pem(number):
    """The `number`th spare Ed25519 private key, in PEM; the same text for the same number."""
    return generate_did_key_pem()
