"""`addrepo PATH_OR_URL [--name NAME]` registers a repository; `addrepo --list` lists the registered ones."""
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.management.output import FORMATS, Column, render
from metrics.models import Repository
from metrics.selectors.repositories import repository_list
from metrics.services.repositories import repository_create

LIST_COLUMNS = [
    Column("name"),
    Column("kind"),
    Column("source"),
    Column("default_revision", "revision"),
    Column("current_commit", "current commit"),
    Column("scanned_at", "scanned at"),
]


def _list_row(repository: Repository) -> dict[str, Any]:
    current = repository.current_scan
    return {
        "name": repository.name,
        "kind": "remote" if repository.is_remote else "local",
        "source": repository.url or repository.path,
        "default_revision": repository.default_revision,
        "current_commit": current.commit_sha if current else None,
        "scanned_at": current.finished_at if current else None,
    }


class Command(DebtboardCommand):
    help = (
        "Register a git repository by local path or by remote URL (https://, ssh://, user@host:path, git://); "
        "remotes are cloned as mirrors into the data directory. --list shows registered repositories."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", metavar="PATH_OR_URL", help="local folder or remote URL")
        parser.add_argument("--name", help="repository name (a slug); default: the last path component")
        parser.add_argument("--list", action="store_true", help="list registered repositories")
        parser.add_argument("--format", choices=FORMATS, default="table", help="output format of --list")

    def run(self, **options: Any) -> None:
        if not options["source"] and not options["list"]:
            raise CommandError("Give a PATH_OR_URL to register, or --list.")
        if options["source"]:
            repository = repository_create(source=options["source"], name=options["name"])
            where = repository.url or repository.path
            registered = self.style.SUCCESS(f"Registered {repository.name} ({where}).")
            self.stdout.write(f"{registered} Scan it with: debtboard scan {repository.name}")
        if options["list"]:
            rows = [_list_row(repository) for repository in repository_list()]
            self.stdout.write(render(rows, LIST_COLUMNS, options["format"]))
