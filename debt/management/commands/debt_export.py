"""Write a repository's debt register as CSV or JSON to standard output or a file."""
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from debt.services.transfer import debt_item_export
from debtboard.commands import DebtboardCommand
from metrics.selectors.repositories import repository_get


class Command(DebtboardCommand):
    help = "Export a repository's debt items with every field (CSV or JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", help="Repository name.")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def run(self, **options: Any) -> None:
        repository = repository_get(name=options["repository"])
        text = debt_item_export(repository=repository, format=options["format"])
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
