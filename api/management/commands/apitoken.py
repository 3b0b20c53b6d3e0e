"""Issue, list and revoke API tokens (for CI): the secret is printed once, only its hash is stored."""
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from api.models import ApiToken
from api.tokens import api_token_create
from debtboard.commands import DebtboardCommand


class Command(DebtboardCommand):
    help = "Manage API tokens: create USER NAME | list | revoke PREFIX"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token for a user.")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. 'ci'.")
        sub.add_parser("list", help="List tokens (prefixes only).")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def run(self, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
            issued = api_token_create(user=user, name=options["name"])
            self.stdout.write(issued.secret)
            self.stderr.write("Store this token now: it is shown once. Use it as 'Authorization: Bearer <token>'.")
        elif action == "list":
            for token in ApiToken.objects.select_related("user"):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}…  {token.name:<20} {token.user.get_username():<16} {state}")
        else:
            updated = ApiToken.objects.filter(prefix=options["prefix"], revoked_at=None).update(
                revoked_at=timezone.now())
            if not updated:
                raise CommandError(f"No active token with prefix {options['prefix']!r}.")
            self.stdout.write(f"Revoked {updated} token(s).")
