"""Issue, list and revoke API tokens (for CI): the secret is printed once, only its hash is stored."""
from datetime import datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from api.scopes import ALL_SCOPES
from api.tokens import api_token_create, api_token_list, api_token_revoke
from debtboard.commands import DebtboardCommand
from metrics.selectors.repositories import repository_get


def expiry_from(text: str | None) -> datetime | None:
    """An --expires value (YYYY-MM-DD: the end of that day, local time; or an ISO date-time), or None."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--expires {text!r}: use a date like 2027-06-30 or an ISO date-time.") from None
    if len(text) <= 10:
        moment = datetime.combine(moment.date(), time.max)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def describe(token: Any) -> str:
    """One line of `apitoken list`: prefix, name, user, state, scopes, repositories, expiry, last use."""
    state = "revoked" if token.revoked_at else (
        "expired" if token.expires_at and token.expires_at <= timezone.now() else "active")
    repositories = "all" if token.all_repositories else ",".join(sorted(r.name for r in token.repositories.all()))
    expires = token.expires_at.date().isoformat() if token.expires_at else "never"
    used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
    return (f"{token.prefix}…  {token.name:<20} {token.user.get_username():<16} {state:<8} "
            f"scopes={','.join(token.scopes)} repositories={repositories} expires={expires} last_used={used}")


class Command(DebtboardCommand):
    help = ("Manage API tokens: create USER NAME [--scope S]… [--repository R]… [--expires DATE] | list [USER] | "
            "revoke PREFIX")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token for a user.")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. 'ci'.")
        create.add_argument("--scope", action="append", choices=ALL_SCOPES, dest="scopes",
                            help="Repeat for several; default: every scope.")
        create.add_argument("--repository", action="append", dest="repositories", metavar="NAME",
                            help="Limit the token to this repository (repeat for several); default: all.")
        create.add_argument("--expires", help="Last day of validity, YYYY-MM-DD; default: never.")
        listing = sub.add_parser("list", help="List tokens (prefixes only).")
        listing.add_argument("username", nargs="?", help="Only this user's tokens.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def run(self, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self.create(**options)
        elif action == "list":
            user = self.user_named(options["username"]) if options["username"] else None
            for token in api_token_list(user=user):
                self.stdout.write(describe(token))
        else:
            revoked = api_token_revoke(prefix=options["prefix"])
            self.stdout.write(f"Revoked {revoked} token(s).")

    def create(self, **options: Any) -> None:
        names = options["repositories"]
        repositories = None if not names else [repository_get(name=name) for name in names]
        issued = api_token_create(user=self.user_named(options["username"]), name=options["name"],
                                  scopes=options["scopes"], repositories=repositories,
                                  expires_at=expiry_from(options["expires"]))
        self.stdout.write(issued.secret)
        self.stderr.write("Store this token now: it is shown once. Use it as 'Authorization: Bearer <token>'.")

    @staticmethod
    def user_named(username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user
