"""Create or update topics and resources from an awesome-list README (see catalog/awesome/),
in the default curriculum or one named with --curriculum (created, unpublished, if missing)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.awesome import AwesomeListError, import_awesome_list, read_awesome_list
from catalog.models import Curriculum, default_curriculum, default_curriculum_slug


class Command(BaseCommand):
    help = (
        "Read an awesome-list README (Markdown) and create or update its topics and resources "
        "in the default curriculum (DEFAULT_CURRICULUM), or in the curriculum --curriculum names: "
        "one that does not exist yet is created, unpublished, with --title, --source-url and "
        "--licence. "
        "Re-importing the same file changes nothing; resources are matched by URL. Text the "
        "catalog has is never erased, and replaced only with --replace-text."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The awesome list's Markdown file, in UTF-8.")
        parser.add_argument(
            "--curriculum",
            metavar="SLUG",
            help=(
                "The curriculum to import into (default: DEFAULT_CURRICULUM); created, "
                "unpublished, if there is none with this slug."
            ),
        )
        parser.add_argument(
            "--title", help="A new curriculum's title (default: the list's own title)."
        )
        parser.add_argument(
            "--source-url", default="", help="A new curriculum's source: the list's repository."
        )
        parser.add_argument(
            "--licence", default="", help="A new curriculum's licence, e.g. CC0-1.0 or MIT."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the curriculum after the import (new curricula start unpublished).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would change and write nothing.",
        )
        parser.add_argument(
            "--unpublished",
            action="store_true",
            help=(
                "Create new resources unpublished, so curators can review them first; a new "
                "topic stays hidden from learners until one of its resources is published."
            ),
        )
        parser.add_argument(
            "--replace-text",
            action="store_true",
            help=(
                "Replace titles, guidance and notes that differ from the list's with the list's. "
                "Without it the catalog's text is kept (and reported). Text the list leaves out "
                "is never erased."
            ),
        )

    def handle(self, *args, file, dry_run, unpublished, replace_text, verbosity, **options):
        slug = options["curriculum"]
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file ({error.strerror}).") from error
        try:
            awesome_list = read_awesome_list(data, source=file)
            if slug:
                curriculum = Curriculum.objects.filter(slug=slug).first() or Curriculum(
                    slug=slug,
                    title=options["title"] or awesome_list.title or slug,
                    source_url=options["source_url"],
                    licence=options["licence"],
                )
            else:
                curriculum = default_curriculum()
            if curriculum is None:
                raise CommandError(
                    f"There is no curriculum “{default_curriculum_slug()}” (DEFAULT_CURRICULUM) "
                    "to import into: load the seed catalog (loaddata catalog) or add it in the "
                    "admin."
                )
            report = import_awesome_list(
                awesome_list,
                curriculum=curriculum,
                publish_new=not unpublished,
                replace_text=replace_text,
                dry_run=dry_run,
            )
        except AwesomeListError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            problems = "; ".join(
                f"{field.replace('_', ' ')}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
            raise CommandError(f"Cannot create the curriculum “{slug}”: {problems}") from error
        if options["publish"] and not dry_run and not curriculum.is_published:
            curriculum.is_published = True
            curriculum.save(update_fields=["is_published", "updated_at"])
            self.stdout.write(f"Published the curriculum “{curriculum}”.")
        if verbosity >= 1:
            for line in report.details(verbose=verbosity >= 2):
                self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
