"""Write the published catalog as awesome-list Markdown (see catalog/awesome/export.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.awesome import DEFAULT_EXPORT_TITLE, render_awesome_list


class Command(BaseCommand):
    help = (
        "Write the default curriculum (DEFAULT_CURRICULUM) as an awesome-list README: title, "
        "contents, topics in order with their guidance and published resources, and the degrees."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write to this file (UTF-8) instead of standard output.",
        )
        parser.add_argument(
            "--title",
            default=DEFAULT_EXPORT_TITLE,
            help=f"The list's title (default: {DEFAULT_EXPORT_TITLE}).",
        )

    def handle(self, *args, output, title, **options):
        markdown = render_awesome_list(title=title)
        if not output:
            self.stdout.write(markdown, ending="")
            return
        try:
            Path(output).write_text(markdown, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: cannot write the file ({error.strerror}).") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote the catalog to {output}."))
