from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

CURATORS = "Curators"


class Command(BaseCommand):
    help = "Let an existing user edit the catalog in the admin (staff status + Curators group)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Username or email address of the account.")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = (
            User.objects.filter(username=username).first()
            or User.objects.filter(email__iexact=username).first()
        )
        if user is None:
            raise CommandError(f"No account with username or email “{username}”.")
        try:
            curators = Group.objects.get(name=CURATORS)
        except Group.DoesNotExist as error:
            raise CommandError("The Curators group is missing: run `manage.py migrate`.") from error
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(curators)
        self.stdout.write(self.style.SUCCESS(f"{user.username} is now a curator."))
