"""Check every published resource's link and record the result (see catalog/links.py)."""

from django.core.management.base import BaseCommand, CommandError

from catalog.links import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, check_resources, summarize
from catalog.models import Resource


class Command(BaseCommand):
    help = (
        "Check the URL of every published resource (HEAD, or GET where HEAD is refused, "
        "following redirects) and record the time, HTTP status and whether it is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            metavar="S",
            help=f"Seconds to wait for each request (default {DEFAULT_TIMEOUT:g}).",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=DEFAULT_CONCURRENCY,
            metavar="N",
            help=f"Requests in flight at once (default {DEFAULT_CONCURRENCY}).",
        )

    def handle(self, *args, timeout, concurrency, verbosity, **options):
        if timeout <= 0:
            raise CommandError("--timeout must be more than 0 seconds.")
        if concurrency < 1:
            raise CommandError("--concurrency must be at least 1.")
        resources = Resource.objects.published().in_main_listing_order()
        results = check_resources(resources, timeout=timeout, concurrency=concurrency)
        for resource, check in results:
            if check.outcome != "ok" or verbosity >= 2:
                self.stdout.write(f"  {check.describe()}: “{resource.title}” <{resource.url}>")
        summary = summarize(check for _, check in results)
        broken = any(check.is_broken for _, check in results)
        self.stdout.write(self.style.WARNING(summary) if broken else self.style.SUCCESS(summary))
