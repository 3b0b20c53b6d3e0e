"""`hotspots REPO` prints the repository's hotspot ranking (files, or functions with --functions)."""
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.data import repository_config_from_json
from metrics.management.output import FORMATS, Column, render
from metrics.choices import DEFAULT_WINDOW, WINDOWS
from metrics.selectors.hotspots import file_score_list, function_score_list
from metrics.selectors.repositories import repository_get, scan_current

FILE_COLUMNS = [
    Column("hotspot_rank", "rank", right=True),
    Column("path"),
    Column("hotspot_score", "score", right=True),
    Column("revisions", right=True),
    Column("churn", right=True),
    Column("complexity", right=True),
    Column("loc", right=True),
    Column("health", right=True, show=lambda v: f"{v:.1f}"),
    Column("authors", right=True),
    Column("main_author", "main author"),
    Column("file_class", "class"),
    Column("rank_status", "status"),
]
FUNCTION_COLUMNS = [
    Column("hotspot_rank", "rank", right=True),
    Column("path"),
    Column("qualname", "function"),
    Column("lineno", "line", right=True),
    Column("complexity", right=True),
    Column("sloc", right=True),
    Column("mi", right=True, show=lambda v: "" if v is None else f"{v:.0f}"),
    Column("h_volume", "volume", right=True, show=lambda v: f"{v:.0f}"),
    Column("changes", right=True),
    Column("hotspot_score", "score", right=True),
    Column("h_difficulty", "difficulty", show=lambda v: f"{v:.1f}", right=True),
    Column("h_effort", "effort", show=lambda v: f"{v:.0f}", right=True),
    Column("h_bugs", "bugs", show=lambda v: f"{v:.2f}", right=True),
]


class Command(DebtboardCommand):
    help = "Print the hotspot ranking of a repository's current scan (complex code that changes often)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repo", metavar="REPO", help="repository name")
        parser.add_argument("--top", type=int, default=20, help="how many rows (default 20; 0: all)")
        parser.add_argument("--window", type=int, choices=WINDOWS, default=DEFAULT_WINDOW,
                            help=f"history window in days, 0 for all history (default {DEFAULT_WINDOW})")
        parser.add_argument("--functions", action="store_true",
                            help="rank functions instead of files (over the repository's function_history_days; "
                                 "--window does not apply)")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def run(self, **options: Any) -> None:
        if options["top"] < 0:
            raise CommandError("--top must be 0 (all) or more.")
        repository = repository_get(name=options["repo"])
        scan = scan_current(repository=repository)
        function_days = repository_config_from_json(repository.config).function_history_days
        if options["functions"]:
            queryset, columns = function_score_list(scan=scan, window_days=function_days), FUNCTION_COLUMNS
        else:
            queryset, columns = file_score_list(scan=scan, window_days=options["window"]), FILE_COLUMNS
        if options["top"]:
            queryset = queryset[: options["top"]]
        rows = list(queryset.values(*[column.key for column in columns]))
        self.stdout.write(render(rows, columns, options["format"]))
