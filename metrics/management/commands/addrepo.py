"""`addrepo PATH_OR_URL [--name NAME]` registers a repository; `addrepo --list` lists the registered ones."""
from django.core.management.base import BaseCommand, CommandError

from debtboard.errors import DebtboardError
from metrics.management.output import FORMATS, Column, render
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


class Command(BaseCommand):
    help = (
        "Register a git repository by local path or by remote URL (https://, ssh://, user@host:path, git://); "
        "remotes are cloned as mirrors into the data directory. --list shows registered repositories."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", nargs="?", metavar="PATH_OR_URL", help="local folder or remote URL")
        parser.add_argument("--name", help="repository name (a slug); default: the last path component")
        parser.add_argument("--list", action="store_true", help="list registered repositories")
        parser.add_argument("--format", choices=FORMATS, default="table", help="output format of --list")

    def handle(self, *args, **options) -> None:
        if not options["source"] and not options["list"]:
            raise CommandError("Give a PATH_OR_URL to register, or --list.")
        if options["source"]:
            try:
                repository = repository_create(source=options["source"], name=options["name"])
            except DebtboardError as exc:
                raise CommandError(exc.message) from exc
            where = repository.url or repository.path
            registered = self.style.SUCCESS(f"Registered {repository.name} ({where}).")
            self.stdout.write(f"{registered} Scan it with: debtboard scan {repository.name}")
        if options["list"]:
            rows = [
                {
                    "name": repository.name,
                    "kind": "remote" if repository.is_remote else "local",
                    "source": repository.url or repository.path,
                    "default_revision": repository.default_revision,
                    "current_commit": repository.current_scan.commit_sha if repository.current_scan else None,
                    "scanned_at": repository.current_scan.finished_at if repository.current_scan else None,
                }
                for repository in repository_list()
            ]
            self.stdout.write(render(rows, LIST_COLUMNS, options["format"]))
