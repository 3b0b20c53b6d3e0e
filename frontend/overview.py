"""The repository list (home page): every repository's figures, top hotspots, health trend and open debt."""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from debt.selectors.totals import debt_totals_by_repository
from metrics.choices import DEFAULT_WINDOW
from metrics.data import HotspotLine
from metrics.selectors.hotspots import top_hotspots_by_repository
from metrics.selectors.repositories import repository_list, trend_points_by_repository

from frontend.summaries import ScanSummary, summary_of

TOP_HOTSPOTS = 3
SPARKLINE_POINTS = 30


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


def repository_rows(*, repositories: Any = None) -> list[RepositoryRow]:
    """Return every repository (of `repositories`, when given) with its current scan's figures, top hotspots
    and health trend (one query each)."""
    repositories = list(repository_list() if repositories is None else repositories)
    rows = {
        repository.pk: RepositoryRow(
            repository=repository,
            summary=summary_of(repository.current_scan.summary if repository.current_scan else None),
        )
        for repository in repositories
    }
    if not rows:
        return []
    ids = list(rows)
    for pk, lines in top_hotspots_by_repository(
        repository_ids=ids, window_days=DEFAULT_WINDOW, limit=TOP_HOTSPOTS
    ).items():
        rows[pk].hotspots = lines
    for pk, points in trend_points_by_repository(repository_ids=ids).items():
        rows[pk].health_trend = [summary_of(point.summary).mean_health for point in points[-SPARKLINE_POINTS:]]
    for pk, totals in debt_totals_by_repository(repository_ids=ids).items():
        rows[pk].open_debt, rows[pk].open_effort = totals.open_count, totals.open_effort
        rows[pk].proposals = totals.proposed_count
    return [rows[repository.pk] for repository in repositories]
