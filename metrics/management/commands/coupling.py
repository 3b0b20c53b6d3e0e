"""`coupling REPO [--file PATH]` prints files that change together (change coupling)."""
from dataclasses import replace
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.management.output import FORMATS, Column, percent, render
from metrics.choices import DEFAULT_WINDOW, WINDOWS
from metrics.selectors.hotspots import coupling_list
from metrics.selectors.repositories import repository_get, scan_current

COLUMNS = [
    Column("path_a", "file"),
    Column("path_b", "coupled with"),
    Column("degree", right=True, show=percent),
    Column("shared_revisions", "shared", right=True),
    Column("revisions_a", "revs a", right=True),
    Column("revisions_b", "revs b", right=True),
]


def columns(window_days: int) -> list[Column]:
    """The columns, each window-dependent heading naming its window ("degree 365d"); keys stay the same."""
    tag = "all" if window_days == 0 else f"{window_days}d"
    return [replace(column, title=f"{column.heading()} {tag}") if column.key not in ("path_a", "path_b") else column
            for column in COLUMNS]


class Command(DebtboardCommand):
    help = "Print change coupling at a repository's current scan: pairs of files that are changed together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repo", metavar="REPO", help="repository name")
        parser.add_argument("--file", default="", metavar="PATH", help="only pairs involving this file")
        parser.add_argument("--top", type=int, default=20, help="how many pairs (default 20; 0: all)")
        parser.add_argument("--window", type=int, choices=WINDOWS, default=DEFAULT_WINDOW,
                            help=f"history window in days, 0 for all history (default {DEFAULT_WINDOW})")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def run(self, **options: Any) -> None:
        if options["top"] < 0:
            raise CommandError("--top must be 0 (all) or more.")
        scan = scan_current(repository=repository_get(name=options["repo"]))
        queryset = coupling_list(scan=scan, path=options["file"], window_days=options["window"])
        if options["top"]:
            queryset = queryset[: options["top"]]
        rows = list(queryset.values(*[column.key for column in COLUMNS]))
        if options["file"]:
            # Show the given file first in every pair, whichever side it is stored on.
            for row in rows:
                if row["path_b"] == options["file"]:
                    row["path_a"], row["path_b"] = row["path_b"], row["path_a"]
                    row["revisions_a"], row["revisions_b"] = row["revisions_b"], row["revisions_a"]
        self.stdout.write(render(rows, columns(options["window"]), options["format"]))
