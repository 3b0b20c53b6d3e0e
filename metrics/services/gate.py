"""CI change checks: judge a change's posted file figures against the repository's current scan."""
import hashlib
import json
import re
from dataclasses import replace
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from metrics.core.gate import (
    MAX_COMPLEXITY,
    MAX_COUNT,
    MAX_FILES,
    MAX_FUNCTIONS_PER_FILE,
    MAX_MI,
    MAX_PATH,
    FileDelta,
    FileFigures,
    evaluate_change,
    figures_problem,
    file_change,
    path_problem,
)
from debtboard.text import clean_text
from metrics.data import ChangedFileFigures, ChangeSubmission
from metrics.errors import ChangeCheckConflict, ChangeCheckInvalid
from metrics.models import ChangeCheck, FunctionAnalysis, Repository, SnapshotFile
from metrics.selectors.repositories import scan_current
from metrics.services.gate_policy import gate_config_build

# The bounds of posted figures live in metrics.core.gate; the API's input serializers read them from here.
__all__ = ["MAX_COMPLEXITY", "MAX_COUNT", "MAX_FILES", "MAX_FUNCTIONS_PER_FILE", "MAX_MI", "MAX_PATH",
           "change_check_create", "REVISION_PATTERN"]
REVISION_PATTERN = r"^[0-9a-fA-F]{7,64}$"  # a git object id, abbreviated or full (SHA-1 or SHA-256)
_REVISION = re.compile(REVISION_PATTERN)


def _check_posted(*, submission: ChangeSubmission) -> None:
    """Refuse a change check no CI could have produced: no files, too many, figures out of bounds, bad ids."""
    files = submission.files
    for name in ("revision", "base_revision", "parent_revision"):
        value = getattr(submission, name)
        if value and not _REVISION.match(value):
            raise ChangeCheckInvalid(f"{name} must be a git commit id (7 to 64 hexadecimal digits).",
                                     extra={"field": name})
    if not files:
        raise ChangeCheckInvalid("A change check needs at least one file.")
    if len(files) > MAX_FILES:
        raise ChangeCheckInvalid(f"A change check takes at most {MAX_FILES} files.", extra={"files": len(files)})
    for posted in files:
        problem = _file_problem(posted)
        if problem:
            raise ChangeCheckInvalid(f"{posted.path!r}: {problem}", extra={"path": posted.path})


def _file_problem(posted: ChangedFileFigures) -> str:
    for path in (posted.path, posted.old_path) if posted.old_path else (posted.path,):
        problem = path_problem(path)
        if problem:
            return problem
    return figures_problem(posted.gate_figures() or FileFigures())


def _digest(*, submission: ChangeSubmission) -> str:
    # The figures only: who posted them, from which branch, does not make the same change another one.
    body = {"base_revision": submission.base_revision, "files": [_legacy_json(posted) for posted in submission.files]}
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


def _legacy_json(posted: ChangedFileFigures) -> dict[str, Any]:
    """A file's figures in the shape digests were computed from before the contract (stored digests still match)."""
    return {"path": posted.path, "old_path": posted.old_path, "deleted": posted.deleted,
            "error": posted.analysis_error, "loc": posted.loc, "complexity": posted.total_complexity,
            "violations": posted.violation_count, "markers": posted.marker_count, "mi": posted.mi,
            "functions": [list(pair) for pair in posted.functions]}


def change_check_create(
    *,
    repository: Repository,
    submission: ChangeSubmission,
    submitted_by: Any = None,
    idempotency_key: str = "",
) -> tuple[ChangeCheck, bool]:
    """Judge a change against the current scan and store the verdict; return it and whether it is new.

    Posting the same change again (same Idempotency-Key, or same revision and reference) returns the stored
    verdict and stores nothing; the same key or revision with other figures is a ChangeCheckConflict.
    """
    submission = replace(submission, revision=submission.revision.lower(),
                         base_revision=submission.base_revision.lower(),
                         parent_revision=submission.parent_revision.lower())
    _check_posted(submission=submission)
    files, revision, reference = submission.files, submission.revision, submission.reference
    digest = _digest(submission=submission)
    stored = _stored(repository=repository, revision=revision, reference=reference, idempotency_key=idempotency_key)
    if stored is not None:
        return _replayed(stored, digest=digest, idempotency_key=idempotency_key), False
    scan = scan_current(repository=repository)
    baseline = _baseline_figures(scan=scan, paths={f.old_path or f.path for f in files})
    deltas = [FileDelta(f.path, baseline.get(f.old_path or f.path), f.gate_figures(), f.analysis_error)
              for f in files]
    verdict = evaluate_change(deltas, gate_config_build(repository=repository, scan=scan))
    try:
        with transaction.atomic():
            check = ChangeCheck.objects.create(
                repository=repository, baseline_scan=scan, revision=revision, base_revision=submission.base_revision,
                reference=reference, status=verdict.status, files=len(files), submitted_by=submitted_by,
                idempotency_key=idempotency_key, request_digest=digest, decided_by=verdict.decided_by,
                author_name=clean_text(submission.author_name, max_length=255),
                branch=clean_text(submission.branch, max_length=255),
                author_email=clean_text(submission.author_email, max_length=255).strip().lower(),
                parent=clean_text(submission.parent_revision, max_length=64),
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
