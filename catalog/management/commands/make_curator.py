from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Curriculum, default_curriculum_slug

CURATORS = "Curators"


class Command(BaseCommand):
    help = (
        "Let an existing user edit curricula in the admin (staff status + Curators group): the "
        "default curriculum (DEFAULT_CURRICULUM), or those named with --curriculum."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Username or email address of the account.")
        parser.add_argument(
            "--curriculum",
            action="append",
            dest="curricula",
            metavar="SLUG",
            help="A curriculum they keep (repeat for several); the default curriculum if none.",
        )

    def handle(self, *args, username, curricula, **options):
        User = get_user_model()
        user = (
            User.objects.filter(username=username).first()
            or User.objects.filter(email__iexact=username).first()
        )
        if user is None:
            raise CommandError(f"No account with username or email “{username}”.")
        slugs = curricula or [default_curriculum_slug()]
        kept = list(Curriculum.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {curriculum.slug for curriculum in kept})
        if missing:
            raise CommandError(f"No curriculum “{'”, “'.join(missing)}”.")
        try:
            curators = Group.objects.get(name=CURATORS)
        except Group.DoesNotExist as error:
            raise CommandError("The Curators group is missing: run `manage.py migrate`.") from error
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(curators)
        user.curated_curricula.add(*kept)
        titles = ", ".join(curriculum.title for curriculum in kept)
        self.stdout.write(self.style.SUCCESS(f"{user.username} is now a curator of {titles}."))
