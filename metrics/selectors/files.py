"""Reads of per-file analysis at a scan: snapshot files, functions, lint violations and debt markers."""
from django.db.models import QuerySet

from metrics.models import FunctionAnalysis, Marker, Scan, SnapshotFile, Violation


def snapshot_file_list(*, scan: Scan, path_prefix: str = "") -> QuerySet[SnapshotFile]:
    """Python files at a scan's revision with their analysis."""
    queryset = SnapshotFile.objects.filter(scan=scan).select_related("analysis")
    if path_prefix:
        queryset = queryset.filter(path__startswith=path_prefix)
    return queryset.order_by("path")


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
    """Debt markers (and suppressions) at a scan, of one file when `path` is given."""
    queryset = Marker.objects.filter(blob__snapshotfile_set__scan=scan)
    if path:
        queryset = queryset.filter(blob__snapshotfile_set__path=path)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("line")


def marker_rows(*, scan: Scan, kind: str = Marker.Kind.DEBT) -> list[dict]:
    """Every marker of a scan with the path it stands in: [{path, tag, line, text, kind}]."""
    return list(
        SnapshotFile.objects.filter(scan=scan, analysis__markers__kind=kind)
        .values("path", "analysis__markers__tag", "analysis__markers__line", "analysis__markers__text",
                "analysis__markers__kind")
        .order_by("path", "analysis__markers__line")
    )
