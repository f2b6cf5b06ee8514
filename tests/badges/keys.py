"""Spare RSA keys for tests, generated once per run: generating one takes a fraction of a second."""

from functools import cache

from badges.signing import generate_private_key_pem


@cache
def private_key_pem(number):
    """The `number`th spare private key, in PEM; the same text for the same number."""
    return generate_private_key_pem()
