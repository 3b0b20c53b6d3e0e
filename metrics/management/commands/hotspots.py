"""`hotspots REPO` prints the repository's hotspot ranking (files, or functions with --functions)."""
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.data import repository_config_from_json
from metrics.management.output import FORMATS, Column, render
from metrics.choices import DEFAULT_WINDOW, WINDOWS, Window, window_label
from metrics.selectors.hotspots import file_score_list, function_score_list
from metrics.selectors.repositories import repository_get, scan_current


def _health(value: float) -> str:
    return f"{value:.1f}"


def window_tag(window_days: int) -> str:
    """A window in a column heading, one word: "90d", "365d", "all"."""
    return "all" if window_days == Window.ALL else f"{window_days}d"


def file_columns(window_days: int) -> list[Column]:
    """The file ranking's columns; a window-dependent figure's heading names its window ("revisions 365 d").

    Keys are the API's field names (JSON and CSV): loc is physical lines, sloc source lines.
    """
    window = window_tag(window_days)
    return [
        Column("hotspot_rank", f"rank {window}", right=True),
        Column("path"),
        Column("hotspot_score", f"score {window}", right=True),
        Column("revisions", f"revisions {window}", right=True),
        Column("churn", f"churn {window}", right=True),
        Column("complexity", right=True),
        Column("loc", "lines", right=True),
        Column("sloc", "sloc", right=True),
        Column("health", f"health {window}", right=True, show=_health),
        Column("authors", f"authors {window}", right=True),
        Column("main_author", f"main author {window}"),
        Column("file_class", "class"),
        Column("rank_status", "status"),
        Column("window_days", "window", right=True),
    ]


FILE_COLUMNS = file_columns(DEFAULT_WINDOW)
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
    Column("window_days", "window", right=True),  # of changes and score: the function history window
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
            window = function_days
            queryset, columns = function_score_list(scan=scan, window_days=window), FUNCTION_COLUMNS
        else:
            window = options["window"]
            queryset, columns = file_score_list(scan=scan, window_days=window), file_columns(window)
        if options["top"]:
            queryset = queryset[: options["top"]]
        rows = list(queryset.values(*[column.key for column in columns]))
        self.stdout.write(render(rows, columns, options["format"]))
        if options["format"] == "table":
            self.stdout.write(f"\nColumns marked {window_tag(window)} cover {window_label(window)}. The hotspot "
                              "score is relative to this repository (never compare it across repositories); code "
                              "health is absolute. lines: physical lines; sloc: source lines.")
