"""W3C Bitstring Status List v1.0: the bitstring, its encoding, a credential's status entry and
the status list credential, as plain functions over plain values.

The bitstring has one bit per index, index 0 the left-most (most significant) bit of the first
byte; it is GZIP-compressed and written in multibase base64url without padding ("u…"). The
list credential is signed like the badge credentials (`badges.dataintegrity`), by the same
did:web.
"""

import base64
import gzip
import zlib

from badges.dataintegrity import sign_document
from badges.models import LIST_LENGTH, REVOCATION

STATUS_CONTEXT = ["https://www.w3.org/ns/credentials/v2"]
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE = ["VerifiableCredential", "BitstringStatusListCredential"]
LIST_TYPE = "BitstringStatusList"
MULTIBASE_BASE64URL = "u"
# How long a verifier may keep a list before fetching it again: the list's `ttl` (milliseconds)
# and its HTTP max-age (seconds) say the same, as the specification asks.
TTL_SECONDS = 60


class StatusListError(ValueError):
    """An encoded list that cannot be read; the message says why."""


def bitstring(indexes, length=LIST_LENGTH):
    """The bits of a list of `length` entries with the bits at `indexes` set, as bytes."""
    bits = bytearray(length // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def bit_is_set(bits, index):
    """Whether the bit at `index` is set (False past the end of the list)."""
    if not 0 <= index < len(bits) * 8:
        return False
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode_list(bits):
    """`encodedList`: multibase base64url (no padding) of the GZIP-compressed bits.

    GZIP's header holds a modification time: it is zero, so the same bits always give the same
    text (and the same signature)."""
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_list(encoded, max_length=LIST_LENGTH * 8):
    """The bits of an `encodedList`; StatusListError when it is not one (or longer than
    `max_length` bits, checked while inflating)."""
    if not isinstance(encoded, str) or not encoded.startswith(MULTIBASE_BASE64URL):
        raise StatusListError("An encodedList is multibase base64url: it starts with 'u'.")
    text = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise StatusListError("The encodedList is not base64url.") from error
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # a GZIP stream
    try:
        bits = inflater.decompress(compressed, max_length // 8 + 1)
    except zlib.error as error:
        raise StatusListError("The encodedList is not GZIP-compressed.") from error
    if len(bits) > max_length // 8 or inflater.unconsumed_tail:
        raise StatusListError(f"The list is longer than {max_length} bits.")
    if not inflater.eof:
        raise StatusListError("The encodedList is cut short.")
    return bits


def status_entry(list_url, index):
    """A credential's `credentialStatus`: its revocation bit `index` in the list at `list_url`."""
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": REVOCATION,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(*, list_url, issuer_id, valid_from, bits):
    """The unsigned BitstringStatusListCredential publishing `bits` for revocation.

    No `validUntil`: a list that expires must be signed again before it does, whether or not
    it changed; freshness is told by `ttl` and the HTTP caching headers instead.
    """
    return {
        "@context": list(STATUS_CONTEXT),
        "id": list_url,
        "type": list(LIST_CREDENTIAL_TYPE),
        "issuer": issuer_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": LIST_TYPE,
            "statusPurpose": REVOCATION,
            "encodedList": encode_list(bits),
            "ttl": TTL_SECONDS * 1000,
        },
    }


def sign_status_list(credential, signing_key, verification_method):
    """The list credential with an eddsa-rdfc-2022 proof made when the list last changed (its
    `validFrom`): the same list always gives the same bytes until the key rotates."""
    return sign_document(
        credential, signing_key, verification_method, created=credential["validFrom"]
    )
