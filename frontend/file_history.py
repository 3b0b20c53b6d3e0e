"""A file across a repository's finished scans: scores and static analysis per scan, for the file page chart."""
from typing import Any

from django.db.models import F

from metrics.selectors.repositories import scan_trend

# Series name -> lookup from a Scan row.
ANALYSIS_FIELDS = {
    "loc": "files__analysis__sloc",
    "complexity": "files__analysis__total_complexity",
    "max_complexity": "files__analysis__max_complexity",
    "violations": "files__analysis__violation_count",
    "markers": "files__analysis__marker_count",
    "mi": "files__analysis__mi",
}
SCORE_FIELDS = {
    "hotspot_score": "file_scores__hotspot_score",
    "health": "file_scores__health",
    "revisions": "file_scores__revisions",
    "churn": "file_scores__churn",
}


def file_history(*, repository: Any, path: str, window_days: int) -> dict[str, Any]:
    """Return columnar series of one file over the trend scans (two queries, whatever the scan count).

    Static analysis comes from each scan's snapshot (backfilled scans have one too); scores come
    from the scan's FileScore over `window_days` where that scan scored the file.
    """
    trend = scan_trend(repository=repository)
    analysed = trend.filter(files__path=path).values(
        "id", "committed_at", "commit_sha", "is_backfill",
        **{f"a_{name}": F(lookup) for name, lookup in ANALYSIS_FIELDS.items()},
    )
    scored = {
        row["id"]: row
        for row in trend.filter(file_scores__path=path, file_scores__window_days=window_days).values(
            "id", **{f"s_{name}": F(lookup) for name, lookup in SCORE_FIELDS.items()}
        )
    }
    series: dict[str, list[Any]] = {name: [] for name in ("x", "sha", "backfill", *ANALYSIS_FIELDS, *SCORE_FIELDS)}
    for row in analysed:
        series["x"].append(row["committed_at"].isoformat())
        series["sha"].append((row["commit_sha"] or "")[:10])
        series["backfill"].append(bool(row["is_backfill"]))
        for name in ANALYSIS_FIELDS:
            series[name].append(row[f"a_{name}"])
        score = scored.get(row["id"], {})
        for name in SCORE_FIELDS:
            series[name].append(score.get(f"s_{name}"))
    return series
