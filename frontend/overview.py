"""Reads behind the repository list: top hotspots, health trend and open debt of every repository, one query each."""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from debt.selectors.totals import debt_totals_by_repository
from metrics.selectors.hotspots import DEFAULT_WINDOW_DAYS
from metrics.selectors.repositories import repository_list

from frontend.summaries import ScanSummary, summary_of

TOP_HOTSPOTS = 3
SPARKLINE_POINTS = 30
SUCCEEDED = "succeeded"  # metrics' Scan.Status.SUCCEEDED: the scans trend charts are drawn from


@dataclass(frozen=True)
class HotspotLine:
    """One of a repository's hottest files."""

    path: str
    score: float
    rank: int


@dataclass
class RepositoryRow:
    """What the repository list shows for one repository."""

    repository: Any
    summary: ScanSummary
    hotspots: list[HotspotLine] = field(default_factory=list)
    health_trend: list[float | None] = field(default_factory=list)
    open_debt: int = 0
    open_effort: Decimal = Decimal("0")
    proposals: int = 0


def repository_rows() -> list[RepositoryRow]:
    """Return every repository with its current scan's figures, top hotspots and health trend."""
    repositories = list(repository_list())
    rows = {
        repository.pk: RepositoryRow(
            repository=repository,
            summary=summary_of(repository.current_scan.summary if repository.current_scan else None),
        )
        for repository in repositories
    }
    if not rows:
        return []
    hottest = (
        repository_list()
        .filter(
            current_scan__file_scores__window_days=DEFAULT_WINDOW_DAYS,
            current_scan__file_scores__hotspot_rank__gte=1,
            current_scan__file_scores__hotspot_rank__lte=TOP_HOTSPOTS,
        )
        .order_by("pk", "current_scan__file_scores__hotspot_rank")
        .values_list(
            "pk", "current_scan__file_scores__path", "current_scan__file_scores__hotspot_score",
            "current_scan__file_scores__hotspot_rank",
        )
    )
    for pk, path, score, rank in hottest:
        rows[pk].hotspots.append(HotspotLine(path=path, score=score, rank=rank))
    trend: dict[int, list[float | None]] = defaultdict(list)
    points = (
        repository_list()
        .filter(scans__status=SUCCEEDED, scans__committed_at__isnull=False)
        .order_by("pk", "scans__committed_at", "scans__id")
        .values_list("pk", "scans__summary")
    )
    for pk, summary in points:
        trend[pk].append(summary_of(summary).mean_health)
    for pk, values in trend.items():
        rows[pk].health_trend = values[-SPARKLINE_POINTS:]
    for pk, totals in debt_totals_by_repository(repository_ids=list(rows)).items():
        rows[pk].open_debt, rows[pk].open_effort = totals.open_count, totals.open_effort
        rows[pk].proposals = totals.proposed_count
    return [rows[repository.pk] for repository in repositories]
