"""Measured interest and WSJF priority of debt items, recomputed in bulk from a repository's current scan."""
import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from debt import lifecycle
from debt.models import DebtItem, DebtLocation
from debt.priority import InterestFigures, priority_of
from metrics.errors import NoScanYet
from metrics.selectors.history import path_author_pairs
from metrics.selectors.hotspots import file_figures_list
from metrics.selectors.repositories import repository_window_days, scan_current

INTEREST_WINDOW_DAYS = 90
EVIDENCE_PATHS = 5
UPDATE_FIELDS = ["interest", "priority", "interest_evidence", "interest_scan", "priority_computed_at"]


@dataclass
class _FileFigures:
    revisions: int = 0
    hotspot_score: float = 0.0
    health: float = 10.0
    loc: int = 0
    authors: set[str] = field(default_factory=set)


@dataclass
class _Measures:
    """Per-file figures of one scan, with the paths sorted for prefix (folder) lookups."""

    scan: Any
    hotspot_window_days: int
    files: dict[str, _FileFigures]
    sorted_paths: list[str]

    def files_under(self, path: str) -> list[str]:
        """Files a link covers: the file itself, or every file below a folder prefix."""
        if not path.endswith("/") and path in self.files:
            return [path]
        prefix = path if path.endswith("/") else path + "/"
        start = bisect.bisect_left(self.sorted_paths, prefix)
        matched = []
        for candidate in self.sorted_paths[start:]:
            if not candidate.startswith(prefix):
                break
            matched.append(candidate)
        return matched


def _current_scan(repository):
    try:
        return scan_current(repository=repository)
    except NoScanYet:
        return None


def _load_measures(repository, scan, paths: Sequence[str] | None) -> _Measures:
    hotspot_window = repository_window_days(repository=repository)
    wanted = None if paths is None else list(paths)
    files: dict[str, _FileFigures] = {}
    for figures in file_figures_list(scan=scan, window_days=hotspot_window, paths=wanted, classes=None):
        files[figures.path] = _FileFigures(hotspot_score=figures.hotspot_score, health=figures.health,
                                           loc=figures.loc)
    for figures in file_figures_list(scan=scan, window_days=INTEREST_WINDOW_DAYS, paths=wanted, classes=None):
        files.setdefault(figures.path, _FileFigures()).revisions = figures.revisions
    until = scan.committed_at or scan.finished_at or timezone.now()
    # Renames followed: a commit before a file's rename counts for the file under its current name.
    for path, author in path_author_pairs(
        repository=repository, since=until - timedelta(days=INTEREST_WINDOW_DAYS), until=until, follow_renames=True
    ):
        if path in files:
            files[path].authors.add(author)
    return _Measures(scan=scan, hotspot_window_days=hotspot_window, files=files, sorted_paths=sorted(files))


def _linked_paths(item: DebtItem, measures: _Measures) -> list[str]:
    """The scored files an item's links cover, in link order, each once."""
    paths: list[str] = []
    for location in item.locations.all():
        paths.extend(path for path in measures.files_under(location.path) if path not in paths)
    return paths


def _mean_health(files: list[_FileFigures]) -> float:
    """Lines-weighted mean health (plain mean when no file has lines)."""
    total_loc = sum(f.loc for f in files)
    if total_loc:
        return sum(f.health * f.loc for f in files) / total_loc
    return sum(f.health for f in files) / len(files)


def _figures_for(item: DebtItem, measures: _Measures) -> tuple[InterestFigures, list[str]]:
    paths = _linked_paths(item, measures)
    if not paths:
        return InterestFigures(), []
    files = [measures.files[path] for path in paths]
    authors: set[str] = set().union(*(f.authors for f in files))
    figures = InterestFigures(
        revisions=sum(f.revisions for f in files),
        authors=len(authors),
        health=round(_mean_health(files), 2),
        hotspot_score=max(f.hotspot_score for f in files),
    )
    return figures, paths


def _evidence(item: DebtItem, measures: _Measures | None, figures: InterestFigures, paths: list[str], breakdown,
              repository) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "impact": item.impact,
        "effort": str(item.effort),
        "effort_unit": repository.effort_unit,
        "interest": breakdown.interest,
        "cost_of_delay": breakdown.cost_of_delay,
        "job_size": breakdown.job_size,
        "priority": breakdown.priority,
        "terms": {
            "changes": breakdown.changes_term,
            "authors": breakdown.authors_term,
            "health": breakdown.health_term,
            "hotspot": breakdown.hotspot_term,
        },
    }
    if measures is None:
        evidence.update({"scan_id": None, "reason": "The repository has no finished scan yet."})
        return evidence
    scan = measures.scan
    evidence.update({
        "scan_id": scan.pk,
        "commit": scan.commit_sha,
        "committed_at": scan.committed_at.isoformat() if scan.committed_at else None,
        "window_days": INTEREST_WINDOW_DAYS,
        "hotspot_window_days": measures.hotspot_window_days,
        "files": len(paths),
        "revisions": figures.revisions,
        "authors": figures.authors,
        "health": figures.health if paths else None,
        "hotspot_score": round(figures.hotspot_score, 2),
    })
    if not paths:
        evidence["reason"] = "No linked file was scored at this scan."
    hottest = sorted(paths, key=lambda p: (-measures.files[p].hotspot_score, p))[:EVIDENCE_PATHS]
    evidence["paths"] = [
        {
            "path": path,
            "revisions": measures.files[path].revisions,
            "authors": len(measures.files[path].authors),
            "health": measures.files[path].health,
            "hotspot_score": round(measures.files[path].hotspot_score, 2),
        }
        for path in hottest
    ]
    return evidence


def _apply(items: Iterable[DebtItem], repository, measures: _Measures | None) -> list[DebtItem]:
    now = timezone.now()
    changed = []
    for item in items:
        figures, paths = _figures_for(item, measures) if measures is not None else (InterestFigures(), [])
        breakdown = priority_of(impact=item.impact, effort=float(item.effort), figures=figures)
        item.interest = breakdown.interest
        item.priority = breakdown.priority
        item.interest_evidence = _evidence(item, measures, figures, paths, breakdown, repository)
        item.interest_scan = measures.scan if measures is not None else None
        item.priority_computed_at = now
        changed.append(item)
    return changed


def recompute_items(*, repository, items: Sequence[DebtItem]) -> int:
    """Measure and save the interest and priority of the given items (locations prefetched or not)."""
    if not items:
        return 0
    scan = _current_scan(repository)
    paths = sorted({loc.path for item in items for loc in item.locations.all()})
    measures = _load_measures(repository, scan, paths) if scan is not None else None
    changed = _apply(items, repository, measures)
    DebtItem.objects.bulk_update(changed, UPDATE_FIELDS, batch_size=500)
    return len(changed)


def _save_many(items: list[DebtItem]) -> None:
    """Write the figures of many items in one upsert per batch (bulk_update's CASE WHEN is far slower)."""
    DebtItem.objects.bulk_create(
        items, update_conflicts=True, unique_fields=["id"], update_fields=UPDATE_FIELDS, batch_size=500
    )


def debt_item_recompute_priorities(*, repository, scan=None) -> int:
    """Recompute interest and priority of every open item of a repository from a scan (default: current), in bulk.

    Closed items (done, won't fix) keep the figures they had when they were closed.
    """
    items = list(
        DebtItem.objects.filter(repository=repository, status__in=lifecycle.OPEN_STATUSES)
        .prefetch_related(Prefetch("locations", queryset=DebtLocation.objects.only("id", "item_id", "path")))
    )
    if not items:
        return 0
    scan = scan if scan is not None else _current_scan(repository)
    measures = _load_measures(repository, scan, None) if scan is not None else None
    changed = _apply(items, repository, measures)
    _save_many(changed)
    return len(changed)


def debt_item_recompute_priority(*, item: DebtItem) -> DebtItem:
    """Recompute one item's interest and priority now (after its impact, effort or links changed)."""
    recompute_items(repository=item.repository, items=[item])
    return item
