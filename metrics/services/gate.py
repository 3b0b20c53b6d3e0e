"""CI change checks: judge a change's posted file figures against the repository's current scan."""
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from metrics.core.gate import FileDelta, FileFigures, GateConfig, evaluate_change
from metrics.data import repository_config_from_json
from metrics.errors import ChangeCheckInvalid
from metrics.models import ChangeCheck, FunctionAnalysis, Repository, SnapshotFile
from metrics.selectors.repositories import scan_current

MAX_FILES = 5000


@dataclass(frozen=True)
class PostedFile:
    """One changed file as CI posts it: its figures after the change, or deleted."""

    path: str
    old_path: str = ""
    deleted: bool = False
    error: str = ""  # the analysis failed (e.g. a syntax error); the file then fails the gate
    loc: int = 0
    complexity: int = 0
    violations: int = 0
    markers: int = 0
    mi: float | None = None
    functions: tuple[tuple[str, int], ...] = ()

    def figures(self) -> FileFigures | None:
        if self.deleted:
            return None
        return FileFigures(loc=self.loc, complexity=self.complexity, violations=self.violations,
                           markers=self.markers, mi=self.mi, functions=self.functions)


def change_check_create(
    *,
    repository: Repository,
    files: list[PostedFile],
    revision: str = "",
    base_revision: str = "",
    reference: str = "",
    submitted_by: Any = None,
) -> ChangeCheck:
    """Judge a change against the current scan, store the verdict and return it."""
    if not files:
        raise ChangeCheckInvalid("A change check needs at least one file.")
    if len(files) > MAX_FILES:
        raise ChangeCheckInvalid(f"A change check takes at most {MAX_FILES} files.", extra={"files": len(files)})
    for posted in files:
        if posted.mi is not None and not math.isfinite(posted.mi):
            raise ChangeCheckInvalid(f"{posted.path}: mi must be a finite number.", extra={"path": posted.path})
    scan = scan_current(repository=repository)
    baseline = _baseline_figures(scan=scan, paths={f.old_path or f.path for f in files})
    deltas = [FileDelta(f.path, baseline.get(f.old_path or f.path), f.figures(), f.error) for f in files]
    config = repository_config_from_json(repository.config)
    verdict = evaluate_change(deltas, GateConfig(max_complexity=config.max_complexity))
    return ChangeCheck.objects.create(
        repository=repository, baseline_scan=scan, revision=revision, base_revision=base_revision,
        reference=reference, status=verdict.status, files=len(files), submitted_by=submitted_by,
        findings=[
            {"path": f.path, "rule": f.rule, "severity": f.severity, "message": f.message,
             "before": f.before, "after": f.after}
            for f in verdict.findings
        ],
    )


def _baseline_figures(*, scan, paths: set[str]) -> dict[str, FileFigures]:
    """The figures of the given paths at a scan, in two queries."""
    rows = (
        SnapshotFile.objects.filter(scan=scan, path__in=paths, analysis__status="ok")
        .select_related("analysis")
        .prefetch_related(Prefetch("analysis__functions", queryset=FunctionAnalysis.objects.only(
            "blob_id", "qualname", "complexity", "lineno")))
    )
    figures = {}
    for row in rows:
        analysis = row.analysis
        figures[row.path] = FileFigures(
            loc=analysis.loc, complexity=analysis.total_complexity, violations=analysis.violation_count,
            markers=analysis.marker_count, mi=analysis.mi,
            functions=tuple((fn.qualname, fn.complexity) for fn in analysis.functions.all()),
        )
    return figures
