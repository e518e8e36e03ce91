from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zora.accounts.models import User
from zora.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Print a new personal API token for an existing user (send as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The user's e-mail address.")
        parser.add_argument("--name", default="CLI", help="What the token is for (default: CLI).")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The user {email!r} is deactivated.")
        created = api_token_create(user=user, name=name)
        self.stdout.write(created.raw)
