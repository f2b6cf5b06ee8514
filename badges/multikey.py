"""Ed25519 keys as Multikey (multibase base58btc, multicodec-prefixed) and as did:key.

`publicKeyMultibase` is "z" + base58btc(0xed 0x01 + the 32-byte public key), so it always starts
with "z6Mk"; a did:key of such a key is "did:key:" + that value, and its one verification
method is "<did>#<same value>" (W3C Controlled Identifiers, Multikey; did:key method).
"""

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

BASE58BTC = "z"
ED25519_PUBLIC_PREFIX = bytes([0xED, 0x01])
ED25519_PRIVATE_PREFIX = bytes([0x80, 0x26])
KEY_LENGTH = 32


class MultikeyError(ValueError):
    """A multibase key or did:key that cannot be read; the message says why."""


def multibase_encode(data):
    return BASE58BTC + base58.b58encode(data).decode("ascii")


def multibase_decode(value):
    if not isinstance(value, str) or not value.startswith(BASE58BTC) or len(value) < 2:
        raise MultikeyError("a multibase value must be base58btc text starting with 'z'.")
    try:
        return base58.b58decode(value[1:])
    except ValueError as error:
        raise MultikeyError("the multibase value is not valid base58btc.") from error


def raw_public_key(public_key):
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(public_key):
    """The Multikey `publicKeyMultibase` of an Ed25519 public key ('z6Mk…')."""
    return multibase_encode(ED25519_PUBLIC_PREFIX + raw_public_key(public_key))


def _decode_prefixed(value, prefix, what):
    data = multibase_decode(value)
    if not data.startswith(prefix) or len(data) != len(prefix) + KEY_LENGTH:
        raise MultikeyError(f"{value[:16]}… is not an Ed25519 {what} key in Multikey form.")
    return data[len(prefix) :]


def decode_public_key_multibase(value):
    """The Ed25519 public key of a `publicKeyMultibase`; MultikeyError if it is not one."""
    return Ed25519PublicKey.from_public_bytes(
        _decode_prefixed(value, ED25519_PUBLIC_PREFIX, "public")
    )


def decode_private_key_multibase(value):
    """The Ed25519 private key of a `secretKeyMultibase` (multicodec 0x1300, bytes 0x80 0x26)."""
    return Ed25519PrivateKey.from_private_bytes(
        _decode_prefixed(value, ED25519_PRIVATE_PREFIX, "private")
    )


def did_key(public_key):
    """The did:key naming an Ed25519 public key."""
    return "did:key:" + public_key_multibase(public_key)


def did_key_verification_method(public_key):
    """The id of a did:key's one verification method: '<did>#<publicKeyMultibase>'."""
    multibase = public_key_multibase(public_key)
    return f"did:key:{multibase}#{multibase}"


def did_key_public_key(did):
    """The Ed25519 public key a did:key names (a '#fragment' is allowed and must repeat it)."""
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise MultikeyError(f"{str(did)[:60]!r} is not a did:key.")
    identifier, _, fragment = did.removeprefix("did:key:").partition("#")
    if fragment and fragment != identifier:
        raise MultikeyError("a did:key's verification method must be '<did>#<its own key>'.")
    return decode_public_key_multibase(identifier)
