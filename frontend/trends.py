"""Trend series over a repository's finished scans (live and backfilled), for charts and sparklines."""
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from frontend.summaries import BANDS, summary_of

TREND_FIELDS = ("id", "committed_at", "commit_sha", "is_backfill", "summary")


def trend_chart_data(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return columnar chart data from scan rows (TREND_FIELDS values, in commit-date order)."""
    data: dict[str, Any] = {
        "x": [], "sha": [], "backfill": [],
        "health": [], "complexity": [], "violations": [], "markers": [], "files": [],
        "bands": {key: [] for key, _, _ in BANDS},
        "band_labels": {key: label for key, label, _ in BANDS},
    }
    for row in rows:
        figures = summary_of(row["summary"])
        committed_at: datetime = row["committed_at"]
        data["x"].append(committed_at.isoformat())
        data["sha"].append((row["commit_sha"] or "")[:10])
        data["backfill"].append(bool(row["is_backfill"]))
        data["health"].append(None if figures.mean_health is None else round(figures.mean_health, 2))
        data["complexity"].append(figures.complexity)
        data["violations"].append(figures.violations)
        data["markers"].append(figures.markers)
        data["files"].append(figures.files)
        counts = {band.key: band.count for band in figures.bands}
        for key in data["bands"]:
            data["bands"][key].append(counts.get(key))
    return data
