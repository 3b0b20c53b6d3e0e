"""Churn versus complexity: the scatter behind the hotspot ranking, with median quadrants."""
import statistics
from collections.abc import Iterable
from typing import Any

MAX_POINTS = 2000


def churn_complexity(rows: Iterable[tuple[str, int, int, float, float]], *, limit: int = MAX_POINTS) -> dict[str, Any]:
    """Return columnar scatter data from (path, churn, complexity, hotspot score, health) rows.

    Quadrant lines sit at the medians of all rows; only the `limit` hottest files are drawn,
    so the page stays small with ten thousand files.
    """
    rows = list(rows)
    if not rows:
        return {"total": 0, "shown": 0, "path": [], "churn": [], "complexity": [], "score": [], "health": [],
                "median_churn": 0, "median_complexity": 0}
    median_churn = statistics.median(row[1] for row in rows)
    median_complexity = statistics.median(row[2] for row in rows)
    shown = sorted(rows, key=lambda row: (-_score(row), row[0]))[:limit]
    return {
        "total": len(rows),
        "shown": len(shown),
        "path": [row[0] for row in shown],
        "churn": [row[1] for row in shown],
        "complexity": [row[2] for row in shown],
        "score": [round(_score(row), 2) for row in shown],
        "health": [round(row[4], 2) for row in shown],
        "median_churn": median_churn,
        "median_complexity": median_complexity,
    }


def _score(row: tuple[str, int, int, float, float]) -> float:
    """A row's hotspot score; a file without one scores 0."""
    return row[3] or 0.0
