"""CI change checks: judge a change's posted file figures against the repository's current scan."""
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from metrics.core.gate import (
    MAX_COMPLEXITY,
    MAX_COUNT,
    MAX_FILES,
    MAX_FUNCTIONS_PER_FILE,
    MAX_MI,
    FileDelta,
    FileFigures,
    evaluate_change,
    figures_problem,
    file_change,
)
from debtboard.text import clean_text
from metrics.errors import ChangeCheckConflict, ChangeCheckInvalid
from metrics.models import ChangeCheck, FunctionAnalysis, Repository, SnapshotFile
from metrics.selectors.repositories import scan_current
from metrics.services.gate_policy import gate_config_build

# The bounds of posted figures live in metrics.core.gate; the API's input serializers read them from here.
__all__ = ["MAX_COMPLEXITY", "MAX_COUNT", "MAX_FILES", "MAX_FUNCTIONS_PER_FILE", "MAX_MI", "PostedFile",
           "change_check_create", "REVISION_PATTERN"]
REVISION_PATTERN = r"^[0-9a-fA-F]{7,64}$"  # a git object id, abbreviated or full (SHA-1 or SHA-256)
_REVISION = re.compile(REVISION_PATTERN)


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


def _check_posted(*, files: list[PostedFile], revision: str, base_revision: str) -> None:
    """Refuse a change check no CI could have produced: no files, too many, figures out of bounds, bad ids."""
    for name, value in (("revision", revision), ("base_revision", base_revision)):
        if value and not _REVISION.match(value):
            raise ChangeCheckInvalid(f"{name} must be a git commit id (7 to 64 hexadecimal digits).",
                                     extra={"field": name})
    if not files:
        raise ChangeCheckInvalid("A change check needs at least one file.")
    if len(files) > MAX_FILES:
        raise ChangeCheckInvalid(f"A change check takes at most {MAX_FILES} files.", extra={"files": len(files)})
    for posted in files:
        problem = figures_problem(posted.figures() or FileFigures())
        if problem:
            raise ChangeCheckInvalid(f"{posted.path}: {problem}", extra={"path": posted.path})


def _digest(*, files: list[PostedFile], base_revision: str) -> str:
    body = {"base_revision": base_revision, "files": [asdict(posted) for posted in files]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _stored(*, repository: Repository, revision: str, reference: str, idempotency_key: str) -> ChangeCheck | None:
    """The check already stored for this key, else for this revision and reference (None for neither)."""
    checks = ChangeCheck.objects.filter(repository=repository).select_related("repository")
    if idempotency_key:
        found = checks.filter(idempotency_key=idempotency_key).first()
        if found is not None:
            return found
    if revision:
        return checks.filter(revision=revision, reference=reference).first()
    return None


def _replayed(stored: ChangeCheck, *, digest: str, idempotency_key: str) -> ChangeCheck:
    """The stored verdict of a repeated post, or ChangeCheckConflict when it posts other figures."""
    if stored.request_digest and stored.request_digest != digest:
        what = "Idempotency-Key" if idempotency_key and stored.idempotency_key == idempotency_key else "revision"
        raise ChangeCheckConflict(
            f"A change check with this {what} was already posted with other figures.",
            extra={"change_check": stored.pk, "revision": stored.revision, "reference": stored.reference},
        )
    return stored


def change_check_create(
    *,
    repository: Repository,
    files: list[PostedFile],
    revision: str = "",
    base_revision: str = "",
    reference: str = "",
    submitted_by: Any = None,
    idempotency_key: str = "",
    author_name: str = "",
    author_email: str = "",
    branch: str = "",
    parent: str = "",
) -> tuple[ChangeCheck, bool]:
    """Judge a change against the current scan and store the verdict; return it and whether it is new.

    Posting the same change again (same Idempotency-Key, or same revision and reference) returns the stored
    verdict and stores nothing; the same key or revision with other figures is a ChangeCheckConflict.
    """
    revision, base_revision = revision.lower(), base_revision.lower()
    _check_posted(files=files, revision=revision, base_revision=base_revision)
    digest = _digest(files=files, base_revision=base_revision)
    stored = _stored(repository=repository, revision=revision, reference=reference, idempotency_key=idempotency_key)
    if stored is not None:
        return _replayed(stored, digest=digest, idempotency_key=idempotency_key), False
    scan = scan_current(repository=repository)
    baseline = _baseline_figures(scan=scan, paths={f.old_path or f.path for f in files})
    deltas = [FileDelta(f.path, baseline.get(f.old_path or f.path), f.figures(), f.error) for f in files]
    verdict = evaluate_change(deltas, gate_config_build(repository=repository, scan=scan))
    try:
        with transaction.atomic():
            check = ChangeCheck.objects.create(
                repository=repository, baseline_scan=scan, revision=revision, base_revision=base_revision,
                reference=reference, status=verdict.status, files=len(files), submitted_by=submitted_by,
                idempotency_key=idempotency_key, request_digest=digest, decided_by=verdict.decided_by,
                author_name=clean_text(author_name, max_length=255), branch=clean_text(branch, max_length=255),
                author_email=clean_text(author_email, max_length=255).strip().lower(),
                parent=clean_text(parent, max_length=64).lower(),
                file_changes=[file_change(delta) for delta in deltas],
                findings=[
                    {"path": f.path, "rule": f.rule, "severity": f.severity, "message": f.message,
                     "before": f.before, "after": f.after}
                    for f in verdict.findings
                ],
            )
    except IntegrityError:
        # A concurrent post of the same change won the race: answer with its verdict.
        stored = _stored(repository=repository, revision=revision, reference=reference,
                         idempotency_key=idempotency_key)
        if stored is None:
            raise
        return _replayed(stored, digest=digest, idempotency_key=idempotency_key), False
    return check, True


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
