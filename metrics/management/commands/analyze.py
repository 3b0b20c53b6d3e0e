"""`analyze PATH [--rev REV]` prints radon, flake8 and debt-marker results per file of a git revision.

With a migrated database it reuses and fills the blob cache (the server's BlobAnalysis rows); without one (a CI
runner, a laptop) or with --no-cache it analyses every file in memory and stores nothing.
"""
from dataclasses import asdict
from typing import Any, NamedTuple

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.core.analysis import AnalysisConfig, FileAnalysis
from metrics.core.markers import DEBT
from metrics.data import ChangedFileFigures, RepositoryConfig
from metrics.management.output import Column, ScanProgressDisplay, render_json, render_table
from metrics.selectors.repositories import repository_get
from metrics.services.analysis import (
    RevisionAnalysis,
    analysis_config_for,
    analysis_config_from,
    revision_analyze,
)
from metrics.services.uncached_analysis import UncachedAnalysis, analysis_cache_available, revision_analyze_uncached

COLUMNS = [
    Column("path"),
    Column("status", show=lambda v: v),
    Column("loc", "lines", right=True),  # physical lines; sloc: source lines (docs/scoring.md "Labels of figures")
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


class _Item(NamedTuple):
    """One analysed file, from the cache (a BlobAnalysis row) or computed in memory (a core FileAnalysis)."""

    path: str
    blob_sha: str
    analysis: Any  # BlobAnalysis | FileAnalysis

    def children(self, name: str) -> list[Any]:
        value = getattr(self.analysis, name)
        return list(value) if isinstance(self.analysis, FileAnalysis) else list(value.all())

    def metric(self, name: str) -> Any:
        if isinstance(self.analysis, FileAnalysis) and name in _COUNTED:
            return _COUNTED[name](self.analysis)
        return getattr(self.analysis, name)

    def contract(self) -> ChangedFileFigures:
        """The file's figures in the CI contract (the shape `debtboard check` posts)."""
        if isinstance(self.analysis, FileAnalysis):
            return ChangedFileFigures.from_analysis(self.analysis)
        analysis = self.analysis
        if analysis.status != "ok":
            return ChangedFileFigures(path=self.path, status="error", error=analysis.error or analysis.error_kind)
        return ChangedFileFigures(
            path=self.path, loc=analysis.loc, total_complexity=analysis.total_complexity,
            violation_count=analysis.violation_count, marker_count=analysis.marker_count, mi=analysis.mi,
            functions=tuple((f.qualname, f.complexity) for f in self.children("functions")),
        )


_Outcome = tuple[str, dict[str, Any], list[_Item], str]  # commit, summary, files, the table's last line

_COUNTED = {
    "function_count": lambda a: len(a.functions),
    "violation_count": lambda a: len(a.violations),
    "marker_count": lambda a: sum(1 for m in a.markers if m.kind == DEBT),
    "suppression_count": lambda a: sum(1 for m in a.markers if m.kind != DEBT),
}


def _file_row(item: _Item) -> dict[str, Any]:
    analysis = item.analysis
    status = analysis.status if analysis.status == "ok" else f"error: {analysis.error_kind}"
    return {"path": item.path, "status": status, **{name: item.metric(name) for name in METRICS}}


def _file_json(item: _Item) -> dict[str, Any]:
    """The CI contract's entry (metrics.data.ChangedFileFigures) with every other figure and the details."""
    analysis = item.analysis
    return {
        **item.contract().as_json(),
        "blob": item.blob_sha,
        "status": analysis.status,
        "error_kind": analysis.error_kind,
        "error": analysis.error,
        **{name: item.metric(name) for name in METRICS},
        # A superset of the contract's {"qualname", "complexity"} entries.
        "functions": [
            {"kind": f.kind, "name": f.name, "qualname": f.qualname, "lineno": f.lineno, "endline": f.endline,
             "complexity": f.complexity, "rank": f.rank, "sloc": f.sloc, "h_volume": f.h_volume,
             "h_difficulty": f.h_difficulty, "h_effort": f.h_effort, "h_bugs": f.h_bugs, "mi": f.mi}
            for f in item.children("functions")
        ],
        "violations": [
            {"code": v.code, "line": v.line, "column": v.column, "message": v.message}
            for v in item.children("violations")
        ],
        "markers": [{"kind": m.kind, "tag": m.tag, "line": m.line, "text": m.text} for m in item.children("markers")],
    }


def _uncached_summary(outcome: UncachedAnalysis) -> str:
    errors = sum(1 for _, _, analysis in outcome.files if not analysis.ok)
    return (f"{len(outcome.files)} Python files at {outcome.commit_sha[:12]}, {len(outcome.files)} analysed "
            f"(no cache: no migrated database), {errors} with errors ({outcome.duration:.2f} s)")


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
        parser.add_argument("--no-cache", action="store_true",
                            help="analyse every file in memory, never the database's blob cache (the default "
                                 "when no migrated database is around)")
        parser.add_argument("--workers", type=int, default=None,
                            help="analysis processes (default DEBTBOARD_ANALYSIS_WORKERS; 0: one per CPU)")

    def run(self, **options: Any) -> None:
        if options["workers"] is not None and options["workers"] < 0:
            raise CommandError("--workers must be 0 (one per CPU) or more.")
        cached = not options["no_cache"] and analysis_cache_available()
        config = _config(options["repository"], cached=cached)
        commit, summary, items, footer = self._cached(options, config) if cached else _uncached(options, config)
        if options["format"] == "json":
            self.stdout.write(render_json({"commit": commit, "summary": summary,
                                           "files": [_file_json(item) for item in items]}))
            return
        self.stdout.write(render_table([_file_row(item) for item in items], COLUMNS))
        self.stdout.write(footer)

    def _cached(self, options: dict[str, Any], config: Any) -> _Outcome:
        """Analyse with the database's blob cache (reused and filled)."""
        display = ScanProgressDisplay(self.stderr._out, label="analyze")
        try:
            outcome = revision_analyze(
                repo_path=options["path"], revision=options["rev"], config=config, workers=options["workers"],
                progress=lambda done, total: display("analysis", done, total),
            )
        finally:
            display.close()
        return (outcome.commit_sha, asdict(outcome.result), [_Item(*item) for item in outcome.files],
                _summary(outcome))


def _config(repository: str, *, cached: bool) -> AnalysisConfig:
    """The registered repository's settings (they live in the database), else the defaults."""
    if not repository:
        return analysis_config_from(config=RepositoryConfig())
    if not cached:
        raise CommandError("--repository reads the repository's settings from the database, and there is no "
                           "migrated one here (run `debtboard migrate`, or drop --repository).")
    return analysis_config_for(repository=repository_get(name=repository))


def _uncached(options: dict[str, Any], config: Any) -> _Outcome:
    """Analyse in memory: no database needed, nothing stored."""
    outcome = revision_analyze_uncached(repo_path=options["path"], revision=options["rev"], config=config,
                                        workers=options["workers"])
    items = [_Item(*item) for item in outcome.files]
    summary = {"files": len(items), "analysed": len(items), "cached": 0,
               "errors": sum(1 for item in items if item.analysis.status != "ok"),
               "skipped_symlinks": outcome.skipped_symlinks, "skipped_submodules": outcome.skipped_submodules,
               "excluded": outcome.excluded, "duration": outcome.duration}
    return outcome.commit_sha, summary, items, _uncached_summary(outcome)
