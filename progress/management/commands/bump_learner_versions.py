"""Make learners' cached pages stale on every app server, after an edit the ORM did not see."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from mlmath.invalidation import bump_learners


class Command(BaseCommand):
    help = (
        "Replace the named learners' versions (every learner's, with no name) in the shared "
        "cache, so every app server renders their pages afresh. Their own requests, the admin, "
        "imports and saves of single rows do this by themselves; run it after a bulk update() "
        "of their rows in the shell or an edit in raw SQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", metavar="USERNAME")

    def handle(self, *args, usernames, **options):
        learners = get_user_model().objects.all()
        if usernames:
            learners = learners.filter(username__in=usernames)
            unknown = set(usernames) - set(learners.values_list("username", flat=True))
            if unknown:
                raise CommandError(f"No such learner: {', '.join(sorted(unknown))}.")
        learner_ids = list(learners.values_list("pk", flat=True))
        bump_learners(learner_ids, awards=True)
        count = len(learner_ids)
        self.stdout.write(
            ngettext(
                "Versions replaced for %(count)d learner.",
                "Versions replaced for %(count)d learners.",
                count,
            )
            % {"count": count}
        )
