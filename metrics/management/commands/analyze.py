"""`analyze PATH [--rev REV]` prints radon, flake8 and debt-marker results per file of a git revision."""
from dataclasses import asdict
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.data import RepositoryConfig
from metrics.management.output import Column, ScanProgressDisplay, render_json, render_table
from metrics.selectors.repositories import repository_get
from metrics.services.analysis import (
    RevisionAnalysis,
    RevisionFile,
    analysis_config_for,
    analysis_config_from,
    revision_analyze,
)

COLUMNS = [
    Column("path"),
    Column("status", show=lambda v: v),
    Column("loc", right=True),
    Column("sloc", right=True),
    Column("total_complexity", "cc", right=True),
    Column("max_complexity", "max cc", right=True),
    Column("mi", "MI", right=True, show=lambda v: "" if v is None else f"{v:.1f}"),
    Column("mi_rank", "rank"),
    Column("violation_count", "flake8", right=True),
    Column("marker_count", "markers", right=True),
    Column("suppression_count", "noqa", right=True),
]
METRICS = (
    "size_bytes", "loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments", "mi", "mi_rank",
    "h_volume", "h_difficulty", "h_effort", "h_bugs", "total_complexity", "max_complexity",
    "function_count", "violation_count", "marker_count", "suppression_count",
)


def _file_row(item: RevisionFile) -> dict[str, Any]:
    analysis = item.analysis
    status = analysis.status if analysis.status == "ok" else f"error: {analysis.error_kind}"
    return {"path": item.path, "status": status, **{name: getattr(analysis, name) for name in METRICS}}


def _file_json(item: RevisionFile) -> dict[str, Any]:
    analysis = item.analysis
    return {
        "path": item.path,
        "blob": item.blob_sha,
        "status": analysis.status,
        "error_kind": analysis.error_kind,
        "error": analysis.error,
        **{name: getattr(analysis, name) for name in METRICS},
        "functions": [
            {"kind": f.kind, "name": f.name, "qualname": f.qualname, "lineno": f.lineno, "endline": f.endline,
             "complexity": f.complexity, "rank": f.rank, "sloc": f.sloc, "h_volume": f.h_volume,
             "h_difficulty": f.h_difficulty, "h_effort": f.h_effort, "h_bugs": f.h_bugs, "mi": f.mi}
            for f in analysis.functions.all()
        ],
        "violations": [
            {"code": v.code, "line": v.line, "column": v.column, "message": v.message}
            for v in analysis.violations.all()
        ],
        "markers": [
            {"kind": m.kind, "tag": m.tag, "line": m.line, "text": m.text} for m in analysis.markers.all()
        ],
    }


def _summary(outcome: RevisionAnalysis) -> str:
    result = outcome.result
    parts = [
        f"{result.files} Python files at {outcome.commit_sha[:12]}",
        f"{result.analysed} analysed, {result.cached} from the cache",
        f"{result.errors} with errors",
    ]
    if result.excluded:
        parts.append(f"{result.excluded} excluded")
    if result.skipped_symlinks or result.skipped_submodules:
        parts.append(f"{result.skipped_symlinks} symlinks and {result.skipped_submodules} submodules skipped")
    return ", ".join(parts) + f" ({result.duration:.2f} s)"


class Command(DebtboardCommand):
    help = "Analyse the Python files of a git revision (radon, flake8, debt markers) and print them per file."
    requires_system_checks: list[str] = []  # a repository tool: the URL and admin checks are not its business

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help="path of a git repository")
        parser.add_argument("--rev", default="HEAD", help="revision to analyse (default HEAD)")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument("--repository", metavar="NAME",
                            help="use the analysis settings of this registered repository (default: defaults)")
        parser.add_argument("--workers", type=int, default=None,
                            help="analysis processes (default DEBTBOARD_ANALYSIS_WORKERS; 0: one per CPU)")

    def run(self, **options: Any) -> None:
        if options["workers"] is not None and options["workers"] < 0:
            raise CommandError("--workers must be 0 (one per CPU) or more.")
        display = ScanProgressDisplay(self.stderr._out, label="analyze")
        try:
            if options["repository"]:
                config = analysis_config_for(repository=repository_get(name=options["repository"]))
            else:
                config = analysis_config_from(config=RepositoryConfig())
            outcome = revision_analyze(
                repo_path=options["path"], revision=options["rev"], config=config, workers=options["workers"],
                progress=lambda done, total: display("analysis", done, total),
            )
        finally:
            display.close()
        if options["format"] == "json":
            self.stdout.write(render_json({
                "commit": outcome.commit_sha,
                "summary": asdict(outcome.result),
                "files": [_file_json(item) for item in outcome.files],
            }))
            return
        self.stdout.write(render_table([_file_row(item) for item in outcome.files], COLUMNS))
        self.stdout.write(_summary(outcome))
