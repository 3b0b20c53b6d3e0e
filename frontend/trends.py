"""Trend series over a repository's finished scans (live and backfilled), for charts and sparklines."""
from collections.abc import Iterable
from typing import Any

from frontend.summaries import BANDS, summary_of
from metrics.data import TrendPoint


def trend_chart_data(points: Iterable[TrendPoint]) -> dict[str, Any]:
    """Return columnar chart data from a repository's trend points (in commit-date order)."""
    data: dict[str, Any] = {
        "x": [], "sha": [], "backfill": [],
        "health": [], "complexity": [], "violations": [], "markers": [], "files": [],
        "bands": {key: [] for key, _, _ in BANDS},
        "band_labels": {key: label for key, label, _ in BANDS},
    }
    for point in points:
        figures = summary_of(point.summary)
        data["x"].append(point.committed_at.isoformat())
        data["sha"].append(point.commit_sha[:10])
        data["backfill"].append(point.is_backfill)
        data["health"].append(None if figures.mean_health is None else round(figures.mean_health, 2))
        data["complexity"].append(figures.complexity)
        data["violations"].append(figures.violations)
        data["markers"].append(figures.markers)
        data["files"].append(figures.files)
        counts = {band.key: band.count for band in figures.bands}
        for key in data["bands"]:
            data["bands"][key].append(counts.get(key))
    return data
