"""Create or rotate a badge signing key ring: a new key signs from now on, old public keys stay
published. RSA (VC-JWTs, the JWKS) by default; `--ed25519` for the did:web key ring (Data
Integrity proofs, /.well-known/did.json)."""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from badges import did, signing


@dataclass(frozen=True)
class Ring:
    """One kind of key ring, as the command handles it."""

    variable: str
    published_at: str
    source: object
    load: object
    pem: object
    rotated_pem: object
    rotate_file: object
    errors: tuple


RSA = Ring(
    variable="BADGES_SIGNING_KEY",
    published_at="/.well-known/jwks.json",
    source=signing.key_ring_source,
    load=signing.load_key_ring,
    pem=signing.key_ring_pem,
    rotated_pem=signing.rotated_key_ring_pem,
    rotate_file=signing.rotate_key_file,
    errors=(ImproperlyConfigured, signing.KeyRingError),
)
ED25519 = Ring(
    variable="BADGES_DID_KEY",
    published_at="/.well-known/did.json",
    source=did.did_key_ring_source,
    load=did.load_did_key_ring,
    pem=did.did_key_ring_pem,
    rotated_pem=did.rotated_did_key_ring_pem,
    rotate_file=did.rotate_did_key_file,
    errors=(ImproperlyConfigured, did.DidKeyRingError),
)


class Command(BaseCommand):
    help = (
        "Add a new badge signing key (creating the key file when missing). Credentials signed "
        "before keep verifying: the old keys' public halves stay in the key ring and are still "
        "published (/.well-known/jwks.json, or /.well-known/did.json with --ed25519)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ed25519",
            action="store_true",
            help="Rotate the Ed25519 key ring of the site's did:web (Data Integrity proofs; "
            "BADGES_DID_KEY / BADGES_DID_KEY_FILE) instead of the RSA one (VC-JWTs).",
        )
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="Print the rotated key ring instead of writing the key file (for a key ring "
            "kept in the BADGES_SIGNING_KEY or BADGES_DID_KEY environment variable).",
        )

    def handle(self, *args, ed25519, print_only, **options):
        ring = ED25519 if ed25519 else RSA
        try:
            source, path = ring.source()
            if print_only:
                self.stdout.write(ring.rotated_pem(ring.pem(ring.load())), ending="")
                return
            if source == "environment":
                raise CommandError(
                    f"The key ring comes from {ring.variable}. Run with --print, put the output "
                    "in that variable and restart the application."
                )
            old_key_id = ring.load().signing_key_id if path.exists() else None
            new_ring = ring.rotate_file(path)
        except ring.errors as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"New signing key {new_ring.signing_key_id} in {path}.")
        if old_key_id:
            self.stdout.write(
                f"The previous key {old_key_id} stays published for verification "
                f"({ring.published_at})."
            )
