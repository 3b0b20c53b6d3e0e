"""Reads of per-file analysis: snapshot files, functions, lint violations and debt markers, one file over time."""
from collections.abc import Sequence

from django.db.models import F, QuerySet

from metrics.data import FileHistoryPoint, MarkerRow
from metrics.models import FunctionAnalysis, Marker, Repository, Scan, SnapshotFile, Violation
from metrics.selectors.repositories import scan_trend


def snapshot_file_get(*, scan: Scan, path: str) -> SnapshotFile | None:
    """One file at a scan's revision, or None."""
    return SnapshotFile.objects.filter(scan=scan, path=path).select_related("analysis").first()


def function_list(*, scan: Scan, path: str) -> QuerySet[FunctionAnalysis]:
    """Functions, methods and classes of one file at a scan, in line order."""
    return FunctionAnalysis.objects.filter(
        blob__snapshotfile_set__scan=scan, blob__snapshotfile_set__path=path
    ).order_by("lineno")


def violation_list(*, scan: Scan, path: str) -> QuerySet[Violation]:
    """flake8 violations of one file at a scan, in line order."""
    return Violation.objects.filter(
        blob__snapshotfile_set__scan=scan, blob__snapshotfile_set__path=path
    ).order_by("line", "column")


def marker_list(*, scan: Scan, path: str = "", kind: str = "") -> QuerySet[Marker]:
    """Debt markers (and suppressions) at a scan, of one file when `path` is given: one row per marker line.

    Scan and path go in one filter() call, so they are conditions on the same snapshot row: in two calls
    they would join twice, and a blob shared by other scans would list each marker once per such scan.
    """
    if path:
        queryset = Marker.objects.filter(blob__snapshotfile_set__scan=scan, blob__snapshotfile_set__path=path)
    else:
        queryset = Marker.objects.filter(blob__snapshotfile_set__scan=scan).distinct()
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("line")


def marker_rows(
    *, scan: Scan, kind: str = Marker.Kind.DEBT, classes: Sequence[str] | None = None
) -> list[MarkerRow]:
    """Every marker of a scan with the path it stands in, by path and line (in files of `classes`; None: all)."""
    queryset = SnapshotFile.objects.filter(scan=scan, analysis__markers__kind=kind)
    if classes is not None:
        queryset = queryset.filter(file_class__in=list(classes))
    rows = (
        queryset
        .values_list("path", "analysis__markers__tag", "analysis__markers__line", "analysis__markers__text",
                     "analysis__markers__kind", "blob_sha")
        .order_by("path", "analysis__markers__line")
    )
    return [MarkerRow(path=path, tag=tag, line=line, text=text, kind=kind, blob_sha=blob)
            for path, tag, line, text, kind, blob in rows]


def snapshot_path_set(*, scan: Scan) -> set[str]:
    """The paths of the Python files at a scan's revision."""
    return set(SnapshotFile.objects.filter(scan=scan).values_list("path", flat=True))


# Series of the file history -> lookup from a Scan row.
_ANALYSIS_FIELDS = {
    "sloc": "files__analysis__sloc",
    "complexity": "files__analysis__total_complexity",
    "max_complexity": "files__analysis__max_complexity",
    "violations": "files__analysis__violation_count",
    "markers": "files__analysis__marker_count",
    "mi": "files__analysis__mi",
}
_SCORE_FIELDS = {
    "hotspot_score": "file_scores__hotspot_score",
    "health": "file_scores__health",
    "revisions": "file_scores__revisions",
    "churn": "file_scores__churn",
}


def file_history_list(*, repository: Repository, path: str, window_days: int) -> list[FileHistoryPoint]:
    """One file across the repository's trend scans, in commit-date order (two queries, whatever the scan count).

    Static analysis comes from each scan's snapshot (backfilled scans have one too); scores come
    from the scan's FileScore over `window_days` where that scan scored the file.
    """
    trend = scan_trend(repository=repository)
    analysed = trend.filter(files__path=path).values(
        "id", "committed_at", "commit_sha", "is_backfill",
        **{f"a_{name}": F(lookup) for name, lookup in _ANALYSIS_FIELDS.items()},
    )
    scored = {
        row["id"]: row
        for row in trend.filter(file_scores__path=path, file_scores__window_days=window_days).values(
            "id", **{f"s_{name}": F(lookup) for name, lookup in _SCORE_FIELDS.items()}
        )
    }
    points = []
    for row in analysed:
        score = scored.get(row["id"], {})
        points.append(FileHistoryPoint(
            scan_id=row["id"], committed_at=row["committed_at"], commit_sha=row["commit_sha"] or "",
            is_backfill=bool(row["is_backfill"]),
            **{name: row[f"a_{name}"] for name in _ANALYSIS_FIELDS},
            **{name: score.get(f"s_{name}") for name in _SCORE_FIELDS},
        ))
    return points
