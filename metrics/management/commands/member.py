"""`member REPO USER ROLE` gives a user a role on a repository; `member REPO USER --remove` takes it away."""
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.choices import Role
from metrics.selectors.repositories import repository_get
from metrics.services.access import repository_member_remove, repository_member_set


class Command(DebtboardCommand):
    help = (
        "Give a user a role on a repository (viewer, member or maintainer), or take their membership away with "
        "--remove. Staff users need no membership."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", help="The repository's name.")
        parser.add_argument("username")
        parser.add_argument("role", nargs="?", choices=Role.values, help="viewer, member or maintainer.")
        parser.add_argument("--remove", action="store_true", help="Remove the user's membership.")

    def run(self, **options: Any) -> None:
        repository = repository_get(name=options["repository"])
        username = options["username"]
        if options["remove"] == bool(options["role"]):
            raise CommandError("Give either a ROLE or --remove.")
        if options["remove"]:
            repository_member_remove(repository=repository, username=username)
            self.stdout.write(f"Removed {username} from {repository.name}.")
            return
        repository_member_set(repository=repository, username=username, role=options["role"])
        self.stdout.write(f"{username} is now {options['role']} of {repository.name}.")
