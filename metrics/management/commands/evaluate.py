"""`evaluate REPO --at DATE --horizon DAYS`: does the hotspot ranking at DATE foresee where fixes land next?"""
from datetime import datetime, time, timezone
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.choices import WINDOWS
from metrics.core.evaluation import DEFAULT_FIX_PATTERN, PRECISION_AT, Evaluation
from metrics.management.output import Column, percent, render_json, render_table
from metrics.services.evaluation import repository_evaluate


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


COLUMNS = [
    Column("ranking"),
    Column("top_share", "fixes in top 10%", right=True, show=percent),
    *(Column(f"p{k}", f"precision@{k}", right=True, show=percent) for k in PRECISION_AT),
    Column("spearman", "Spearman", right=True, show=_number),
]
TOP_COLUMNS = [
    Column("rank", right=True),
    Column("path"),
    Column("score", right=True, show=lambda v: f"{v:.1f}"),
    Column("fixes", "fix touches", right=True),
]


def parse_moment(text: str) -> datetime:
    """A date (YYYY-MM-DD, meaning 00:00 UTC) or an ISO 8601 moment (UTC when it names no zone)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at {text[:40]!r} is not a date (YYYY-MM-DD) or an ISO 8601 moment.") from None
    if len(text) <= 10:
        moment = datetime.combine(moment.date(), time(), tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def render_evaluation(result: Evaluation, repo: str, *, top: int = 10) -> str:
    """The evaluation as text: what was compared, one line per ranking, then the head of the hotspot list."""
    population = "production files" if result.classes else "files (every class)"
    lines = [
        f"{repo}: ranked at {result.at:%Y-%m-%d %H:%M} UTC from commit {result.cut_sha[:12]} "
        f"(committed {result.cut_at:%Y-%m-%d %H:%M}), window {result.window_days or 'all'} days",
        f"Fixes landed after it until {result.until:%Y-%m-%d %H:%M} ({result.horizon_days} days), "
        f"subject matching /{result.fix_pattern}/i, merges excluded",
        f"{len(result.files)} {population}: {result.fix_commits} fix commits touched {result.files_fixed} of them "
        f"{result.fix_touches} times ({result.outside_touches} touches of other files)",
    ]
    if not result.complete:
        lines.append("Warning: the repository's history ends before the horizon does (fewer fixes are counted).")
    rows = [{"ranking": item.ranking, "top_share": item.top_share, "spearman": item.spearman,
             **{f"p{k}": value for k, value in item.precision.items()}} for item in result.rankings]
    head = [{"rank": rank, "path": item.path, "score": item.hotspot_score, "fixes": fixes}
            for rank, (item, fixes) in enumerate(result.files[:top], start=1)]
    return "\n".join([*lines, "", render_table(rows, COLUMNS), "", "Head of the hotspot ranking:",
                      render_table(head, TOP_COLUMNS)])


class Command(DebtboardCommand):
    help = ("Check the hotspot score against history: rank files with the history up to --at only, count the "
            "bug-fix commits of the next --horizon days per file, and compare the ranking with simple baselines.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repo", metavar="REPO", help="a registered repository's name, or a git repository's path")
        parser.add_argument("--at", required=True, metavar="DATE",
                            help="rank as of this moment: YYYY-MM-DD (00:00 UTC) or ISO 8601")
        parser.add_argument("--horizon", type=int, default=180, metavar="DAYS",
                            help="count fixes landed in this many days after DATE (default 180)")
        parser.add_argument("--window", type=int, choices=WINDOWS, default=None,
                            help="history window of the ranking in days, 0 for all (default: the repository's)")
        parser.add_argument("--fix-pattern", default=DEFAULT_FIX_PATTERN, metavar="REGEX",
                            help="a commit is a fix when its subject matches (case-insensitive; default "
                                 "%(default)s)")
        parser.add_argument("--all-classes", action="store_true",
                            help="rank test, generated, vendored and migration files too (default: production)")
        parser.add_argument("--workers", type=int, default=None,
                            help="analysis processes (default DEBTBOARD_ANALYSIS_WORKERS; 0: one per CPU)")
        parser.add_argument("--top", type=int, default=10,
                            help="files of the hotspot ranking shown in the table (default 10; JSON lists all)")
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def run(self, **options: Any) -> None:
        if options["workers"] is not None and options["workers"] < 0:
            raise CommandError("--workers must be 0 (one per CPU) or more.")
        if options["top"] < 0:
            raise CommandError("--top must be 0 or more.")
        result = repository_evaluate(
            repo=options["repo"], at=parse_moment(options["at"]), horizon_days=options["horizon"],
            window_days=options["window"], fix_pattern=options["fix_pattern"],
            all_classes=options["all_classes"], workers=options["workers"],
        )
        if options["format"] == "json":
            self.stdout.write(render_json({"repository": options["repo"], **result.as_json()}))
        else:
            self.stdout.write(render_evaluation(result, options["repo"], top=options["top"]))
