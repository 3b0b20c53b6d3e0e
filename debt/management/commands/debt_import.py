"""Bring an existing debt list (CSV or JSON) into a repository's register, reporting refused rows."""
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debt.services.transfer import debt_item_import
from debtboard.commands import DebtboardCommand
from metrics.selectors.repositories import repository_get


class Command(DebtboardCommand):
    help = "Import debt items from CSV or JSON; valid rows are saved, refused rows are listed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", help="Repository name.")
        parser.add_argument("file", help="The CSV or JSON file.")
        parser.add_argument("--format", choices=["csv", "json"], help="Default: from the file's extension.")

    def run(self, **options: Any) -> None:
        path = Path(options["file"])
        file_format = options["format"] or ("json" if path.suffix.lower() == ".json" else "csv")
        try:
            repository = repository_get(name=options["repository"])
            report = debt_item_import(repository=repository, content=path.read_bytes(), format=file_format)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        for error in report.refused:
            self.stderr.write(f"row {error.row}: {error.field or '-'}: {error.message}")
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.refused_rows)} rows refused"
        )
        if report.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(report.ignored_columns)}")
