"""The keys that sign Open Badges 3.0 credentials: load, generate, rotate and publish them.

A key ring is PEM text holding RSA keys, oldest first. The last private key signs new
credentials; every key's public half stays published (JWKS), so credentials signed before a
rotation still verify. Rotating turns the current private key into its public key (the private
material of a retired key is not kept) and appends a fresh private key.

Where the key ring comes from (docs/credentials.md, "The signing key"):
- `BADGES_SIGNING_KEY`: the PEM text itself (production, from the environment);
- else `BADGES_SIGNING_KEY_FILE`: a file holding it (production: a secret file; in
  development the default file is generated on first use and git-ignored).
"""

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import RSAKey

SIGNING_ALGORITHM = "RS256"
KEY_SIZE = 2048

PEM_BLOCK = re.compile(
    r"-----BEGIN (?P<label>[A-Z ]+)-----\s.*?-----END (?P=label)-----", re.DOTALL
)
PRIVATE_LABELS = {"PRIVATE KEY", "RSA PRIVATE KEY"}
PUBLIC_LABELS = {"PUBLIC KEY", "RSA PUBLIC KEY"}


class KeyRingError(ValueError):
    """The key ring text cannot be used; the message says why."""


@dataclass(frozen=True)
class KeyRing:
    """The signing key and every published public key (oldest first, the signing key last)."""

    signing_key: RSAKey
    public_keys: tuple[RSAKey, ...]

    @property
    def signing_key_id(self):
        return key_id(self.signing_key)

    def public_key(self, wanted_key_id):
        """The public key with this id (its RFC 7638 thumbprint), or None."""
        for key in self.public_keys:
            if key_id(key) == wanted_key_id:
                return key
        return None


def key_id(key):
    """A key's id: its RFC 7638 thumbprint, the last part of its `kid` URL."""
    return key.thumbprint()


def public_jwk(key, kid_url):
    """The bare public JWK, as served at its `kid` URL and listed in the JWKS."""
    return {**key.as_dict(private=False), "kid": kid_url, "use": "sig", "alg": SIGNING_ALGORITHM}


def generate_private_key_pem():
    return RSAKey.generate_key(KEY_SIZE).as_pem(private=True).decode("ascii")


def parse_key_ring(pem_text):
    """Read a key ring from PEM text; raise KeyRingError naming the problem."""
    # Platforms that cannot hold newlines in a variable get "\n" written out.
    text = pem_text.replace("\\n", "\n")
    public_keys = []
    signing_key = None
    for number, block in enumerate(PEM_BLOCK.finditer(text), start=1):
        label = block.group("label")
        if label not in PRIVATE_LABELS | PUBLIC_LABELS:
            raise KeyRingError(f"PEM block {number} is a {label}, not an RSA key.")
        try:
            key = RSAKey.import_key(block.group(0))
        except Exception as error:  # joserfc raises several types for unreadable keys
            raise KeyRingError(
                f"PEM block {number} is not a readable RSA key ({error})."
            ) from error
        if key.raw_value.key_size < KEY_SIZE:
            raise KeyRingError(
                f"PEM block {number} is a {key.raw_value.key_size}-bit key; "
                f"signing keys must have at least {KEY_SIZE} bits."
            )
        if label in PRIVATE_LABELS:
            signing_key = key
        public_keys.append(RSAKey.import_key(key.as_pem(private=False)))
    if signing_key is None:
        raise KeyRingError("it holds no RSA private key (-----BEGIN PRIVATE KEY-----).")
    signing_id = key_id(signing_key)
    # The signing key is published last, whatever its place in the text.
    others = [key for key in public_keys if key_id(key) != signing_id]
    unique = {key_id(key): key for key in others}
    return KeyRing(
        signing_key=signing_key,
        public_keys=(*unique.values(), RSAKey.import_key(signing_key.as_pem(private=False))),
    )


def key_ring_pem(ring):
    """A key ring as PEM text: the published keys, then the private signing key last."""
    retired = [key.as_pem(private=False).decode("ascii") for key in ring.public_keys[:-1]]
    return "".join([*retired, ring.signing_key.as_pem(private=True).decode("ascii")])


def rotated_key_ring_pem(pem_text, new_private_pem=None):
    """The key ring text after a rotation: old keys kept as public keys, a new signing key last."""
    ring = parse_key_ring(pem_text)
    new_private_pem = new_private_pem or generate_private_key_pem()
    retired = [key.as_pem(private=False).decode("ascii") for key in ring.public_keys]
    return "".join(block.strip() + "\n" for block in [*retired, new_private_pem])


def write_private_file(path, text):
    """Write `text` to `path` readable by its owner only, atomically (never a half-written key)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as temporary_file:
            temporary_file.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Parsing checks each RSA key, which costs milliseconds; a ring's text rarely changes.
_parse_cached = functools.lru_cache(maxsize=1)(parse_key_ring)


def configured_source(setting, missing):
    """Where a key ring comes from: ("environment", None) when the setting holds its PEM text,
    ("file", path) when `<setting>_FILE` names a file; else ImproperlyConfigured(`missing`)."""
    if getattr(settings, setting).strip():
        return "environment", None
    if getattr(settings, f"{setting}_FILE"):
        return "file", Path(getattr(settings, f"{setting}_FILE"))
    raise ImproperlyConfigured(missing)


def key_ring_source():
    """Where the key ring comes from: ("environment", None) or ("file", path); else an error."""
    return configured_source(
        "BADGES_SIGNING_KEY",
        "No badge signing key: set BADGES_SIGNING_KEY to the PEM text of an RSA private key, "
        "or BADGES_SIGNING_KEY_FILE to a file holding it "
        "(see docs/credentials.md, 'The signing key').",
    )


def configured_pem(source, path, setting, generate):
    """The PEM text of a key ring and where it was read, as a message names it: the setting's
    value, or its file's (`path`; in development, DEBUG, generated by `generate` if missing)."""
    if source == "environment":
        return getattr(settings, setting), setting
    where = f"{setting}_FILE ({path})"
    if not path.exists():
        if not settings.DEBUG:
            raise ImproperlyConfigured(f"{where} does not exist.")
        write_private_file(path, generate())
    return path.read_text(encoding="ascii"), where


def load_key_ring():
    """The configured key ring. In development (DEBUG) a missing key file is generated."""
    pem_text, where = configured_pem(
        *key_ring_source(), "BADGES_SIGNING_KEY", generate_private_key_pem
    )
    try:
        return _parse_cached(pem_text)
    except KeyRingError as error:
        raise ImproperlyConfigured(f"{where} cannot be used: {error}") from error


def rotate_ring_file(path, *, rotated_pem, generate, parse):
    """Rotate the key ring in `path` with `rotated_pem` (creating it with `generate` when
    missing); return the new key ring, as `parse` reads it."""
    path = Path(path)
    new_text = rotated_pem(path.read_text(encoding="ascii")) if path.exists() else generate()
    write_private_file(path, new_text)
    return parse(new_text)


def rotate_key_file(path):
    """Rotate the key ring in `path` (creating it when missing); return the new key ring."""
    return rotate_ring_file(
        path,
        rotated_pem=rotated_key_ring_pem,
        generate=generate_private_key_pem,
        parse=parse_key_ring,
    )
