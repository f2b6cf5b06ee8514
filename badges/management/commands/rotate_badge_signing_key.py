"""Rotate the badge signing key: a new key signs from now on, old public keys stay published."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from badges.signing import (
    KeyRingError,
    key_ring_pem,
    key_ring_source,
    load_key_ring,
    rotate_key_file,
    rotated_key_ring_pem,
)


class Command(BaseCommand):
    help = (
        "Add a new badge signing key. Credentials signed before keep verifying: the old keys' "
        "public halves stay in the key ring and in /.well-known/jwks.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="Print the rotated key ring instead of writing the key file (for a key ring "
            "kept in the BADGES_SIGNING_KEY environment variable).",
        )

    def handle(self, *args, print_only, **options):
        try:
            source, path = key_ring_source()
            if print_only:
                self.stdout.write(rotated_key_ring_pem(key_ring_pem(load_key_ring())), ending="")
                return
            if source == "environment":
                raise CommandError(
                    "The key ring comes from BADGES_SIGNING_KEY. Run with --print, put the output "
                    "in that variable and restart the application."
                )
            old_key_id = load_key_ring().signing_key_id if path.exists() else None
            ring = rotate_key_file(path)
        except (ImproperlyConfigured, KeyRingError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"New signing key {ring.signing_key_id} in {path}.")
        if old_key_id:
            self.stdout.write(f"The previous key {old_key_id} stays published for verification.")
