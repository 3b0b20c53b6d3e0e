"""Reads of per-file analysis at a scan: snapshot files, functions, lint violations and debt markers."""
from django.db.models import Count, F, QuerySet

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


def function_complexity_list(*, scan: Scan, min_complexity: int = 1, path_prefix: str = "") -> list[dict]:
    """Functions and methods of a scan at or above a complexity, most complex first: [{path, qualname, ...}]."""
    # One filter() call: both conditions apply to the same function row (exclude() would drop whole files).
    queryset = SnapshotFile.objects.filter(
        scan=scan, analysis__functions__complexity__gte=min_complexity,
        analysis__functions__kind__in=["function", "method"],
    )
    if path_prefix:
        queryset = queryset.filter(path__startswith=path_prefix)
    rows = queryset.values(
        "path", "analysis__functions__qualname", "analysis__functions__kind", "analysis__functions__lineno",
        "analysis__functions__endline", "analysis__functions__complexity", "analysis__functions__rank",
    ).order_by("-analysis__functions__complexity", "path", "analysis__functions__lineno")
    prefix = "analysis__functions__"
    return [{key.removeprefix(prefix): value for key, value in row.items()} for row in rows]


def violation_code_counts(*, scan: Scan) -> list[dict]:
    """flake8 violations of a scan counted by code, most frequent first: [{code, count, files}]."""
    rows = (
        SnapshotFile.objects.filter(scan=scan, analysis__violations__isnull=False)
        .values(code=F("analysis__violations__code"))
        .annotate(count=Count("analysis__violations"), files=Count("path", distinct=True))
        .order_by("-count", "code")
    )
    return list(rows)
