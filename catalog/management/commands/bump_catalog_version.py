"""Make every cached catalog page stale on every app server, after an edit the ORM did not see."""

from django.core.management.base import BaseCommand

from mlmath.invalidation import bump_catalog_version


class Command(BaseCommand):
    help = (
        "Replace the catalog version in the shared cache, so every app server renders catalog "
        "pages afresh. The admin, imports, loaddata and saves of single rows do this by "
        "themselves; run it after a bulk update() in the shell or an edit in raw SQL."
    )

    def handle(self, *args, **options):
        bump_catalog_version()
        self.stdout.write("Catalog version replaced: cached catalog pages are stale everywhere.")
