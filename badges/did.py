"""The site as a DID issuer: its did:web, its Ed25519 key ring and its DID document.

The Ed25519 key ring signs Data Integrity proofs (`badges.dataintegrity`), as the RSA ring of
`badges.signing` signs VC-JWTs, and is kept the same way: PEM text, oldest key first, the last
private key signs; rotating keeps every earlier key's public half (its private half is dropped)
so that credentials signed before keep verifying. It comes from `BADGES_DID_KEY` (the PEM text)
or else the file `BADGES_DID_KEY_FILE` (generated on first use in development). Each key's id is
its Multikey `publicKeyMultibase` ("z6Mk…"), the fragment of its verification method
`did:web:<host>#z6Mk…`.

The DID document (`/.well-known/did.json`) lists every key of the ring in `verificationMethod`
and `assertionMethod`, newest first, so that every proof ever made verifies; a retired key is
told apart by being absent from `authentication` (its private half no longer exists, so it can
authenticate nothing). Retired keys are not marked `revoked` or `expires`: those say the key
must no longer be trusted, and verifiers would reject the credentials it signed.
"""

import functools
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured

from badges.dataintegrity import UnresolvableKey
from badges.multikey import MultikeyError, did_key_public_key, public_key_multibase
from badges.signing import PEM_BLOCK, configured_pem, configured_source, rotate_ring_file

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
PRIVATE_LABEL = "PRIVATE KEY"
PUBLIC_LABEL = "PUBLIC KEY"


class DidKeyRingError(ValueError):
    """The Ed25519 key ring text cannot be used; the message says why."""


@dataclass(frozen=True)
class DidKeyRing:
    """The Ed25519 signing key and every published public key (oldest first, signing key last)."""

    signing_key: Ed25519PrivateKey
    public_keys: tuple[Ed25519PublicKey, ...]

    @property
    def signing_key_id(self):
        return public_key_multibase(self.signing_key.public_key())

    @property
    def key_ids(self):
        return tuple(public_key_multibase(key) for key in self.public_keys)

    def public_key(self, wanted_key_id):
        """The public key with this id (its publicKeyMultibase), or None."""
        for key in self.public_keys:
            if public_key_multibase(key) == wanted_key_id:
                return key
        return None


def generate_did_key_pem():
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def public_key_pem(public_key):
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def private_key_pem(private_key):
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def parse_did_key_ring(pem_text):
    """Read an Ed25519 key ring from PEM text; raise DidKeyRingError naming the problem."""
    text = pem_text.replace("\\n", "\n")
    public_keys = {}
    signing_key = None
    for number, block in enumerate(PEM_BLOCK.finditer(text), start=1):
        label = block.group("label")
        if label not in (PRIVATE_LABEL, PUBLIC_LABEL):
            raise DidKeyRingError(f"PEM block {number} is a {label}, not an Ed25519 key.")
        data = block.group(0).encode("ascii")
        try:
            if label == PRIVATE_LABEL:
                key = serialization.load_pem_private_key(data, password=None)
            else:
                key = serialization.load_pem_public_key(data)
        except (ValueError, TypeError) as error:
            raise DidKeyRingError(f"PEM block {number} is not a readable key ({error}).") from error
        if not isinstance(key, Ed25519PrivateKey | Ed25519PublicKey):
            raise DidKeyRingError(f"PEM block {number} is not an Ed25519 key.")
        if isinstance(key, Ed25519PrivateKey):
            signing_key = key
            key = key.public_key()
        public_keys[public_key_multibase(key)] = key
    if signing_key is None:
        raise DidKeyRingError("it holds no Ed25519 private key (-----BEGIN PRIVATE KEY-----).")
    signing_id = public_key_multibase(signing_key.public_key())
    # The signing key is published last, whatever its place in the text.
    others = [key for key_id, key in public_keys.items() if key_id != signing_id]
    return DidKeyRing(signing_key=signing_key, public_keys=(*others, signing_key.public_key()))


def did_key_ring_pem(ring):
    """A key ring as PEM text: the retired public keys, then the private signing key last."""
    return "".join([*map(public_key_pem, ring.public_keys[:-1]), private_key_pem(ring.signing_key)])


def rotated_did_key_ring_pem(pem_text, new_private_pem=None):
    """The key ring text after a rotation: old keys kept as public keys, a new signing key last."""
    ring = parse_did_key_ring(pem_text)
    new_private_pem = new_private_pem or generate_did_key_pem()
    blocks = [*map(public_key_pem, ring.public_keys), new_private_pem]
    return "".join(block.strip() + "\n" for block in blocks)


_parse_cached = functools.lru_cache(maxsize=1)(parse_did_key_ring)


def did_key_ring_source():
    """Where the key ring comes from: ("environment", None) or ("file", path); else an error."""
    return configured_source(
        "BADGES_DID_KEY",
        "No badge DID key: set BADGES_DID_KEY to the PEM text of an Ed25519 private key, or "
        "BADGES_DID_KEY_FILE to a file holding it (see docs/credentials.md, 'The DID keys').",
    )


def load_did_key_ring():
    """The configured Ed25519 key ring. In development (DEBUG) a missing key file is generated."""
    pem_text, where = configured_pem(*did_key_ring_source(), "BADGES_DID_KEY", generate_did_key_pem)
    try:
        return _parse_cached(pem_text)
    except DidKeyRingError as error:
        raise ImproperlyConfigured(f"{where} cannot be used: {error}") from error


def rotate_did_key_file(path):
    """Rotate the key ring in `path` (creating it when missing); return the new key ring."""
    return rotate_ring_file(
        path,
        rotated_pem=rotated_did_key_ring_pem,
        generate=generate_did_key_pem,
        parse=parse_did_key_ring,
    )


def did_web_for(origin):
    """The did:web of a site URL: 'did:web:host', the port's ':' as %3A, a path's '/' as ':'.

    https://mlmath.example.org → did:web:mlmath.example.org;
    http://localhost:8000 → did:web:localhost%3A8000;
    https://example.org/mlmath → did:web:example.org:mlmath (resolved at /mlmath/did.json).
    """
    parts = urlsplit(origin)
    if not parts.hostname:
        raise ValueError(f"{origin!r} has no host to make a did:web of.")
    host = parts.hostname.lower()
    if parts.port:
        host += quote(f":{parts.port}", safe="")
    segments = [quote(unquote(segment), safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def issuer_did(origin):
    """This site's did:web, for its public origin (`badges.site.site_origin`)."""
    return did_web_for(origin)


def verification_method_id(did, key_id):
    return f"{did}#{key_id}"


def did_document(did, ring):
    """The DID document of `did` publishing every key of `ring`, newest first."""
    newest_first = list(reversed(ring.public_keys))
    methods = [
        {
            "id": verification_method_id(did, public_key_multibase(key)),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(key),
        }
        for key in newest_first
    ]
    return {
        "@context": list(DID_CONTEXT),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
        "authentication": [verification_method_id(did, ring.signing_key_id)],
    }


def key_resolver(did, ring):
    """A `resolve_key` for `badges.dataintegrity.verify_document`: this site's did:web from its
    key ring (retired keys included) and any did:key, both offline; any other DID is
    UnresolvableKey (never fetched)."""

    def resolve_key(verification_method):
        if not isinstance(verification_method, str):
            raise UnresolvableKey("The proof names no verification method.")
        if verification_method.startswith("did:key:"):
            try:
                return did_key_public_key(verification_method)
            except MultikeyError as error:
                raise UnresolvableKey(f"The did:key cannot be read: {error}") from error
        controller, _, key_id = verification_method.partition("#")
        if controller == did:
            key = ring.public_key(key_id)
            if key is None:
                raise UnresolvableKey(
                    "The proof names a key of this site's DID that this site never published: "
                    "it was not signed here."
                )
            return key
        raise UnresolvableKey(
            f"The issuer's key {verification_method[:120]!r} is not resolvable offline: this "
            "site checks its own did:web and did:key issuers, and never fetches other DIDs."
        )

    return resolve_key
