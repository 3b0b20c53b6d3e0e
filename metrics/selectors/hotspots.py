"""Reads of hotspot rankings, function hotspots, coupling and ownership at a repository's current scan."""
from django.db.models import Q, QuerySet

from metrics.models import CodeOwner, Coupling, FileAuthor, FileScore, FunctionScore, Scan

DEFAULT_WINDOW_DAYS = 365
WINDOWS = (90, 365, 0)  # 0: all history


def file_score_list(
    *,
    scan: Scan,
    window_days: int = DEFAULT_WINDOW_DAYS,
    path_prefix: str = "",
    min_score: float | None = None,
    ordering: str = "hotspot_rank",
) -> QuerySet[FileScore]:
    """Scored files of a scan over a window, filtered by path prefix and minimum hotspot score."""
    queryset = FileScore.objects.filter(scan=scan, window_days=window_days)
    if path_prefix:
        queryset = queryset.filter(path__startswith=path_prefix)
    if min_score is not None:
        queryset = queryset.filter(hotspot_score__gte=min_score)
    return queryset.order_by(ordering, "path")


def file_score_get(*, scan: Scan, path: str, window_days: int = DEFAULT_WINDOW_DAYS) -> FileScore | None:
    """One file's score at a scan over a window, or None when the file is not scored there."""
    return FileScore.objects.filter(scan=scan, window_days=window_days, path=path).first()


def file_scores_for_paths(
    *, scan: Scan, paths: list[str], window_days: int = DEFAULT_WINDOW_DAYS
) -> QuerySet[FileScore]:
    """Scores of files at or below any of the given paths (a file, or a folder prefix ending in '/')."""
    condition = Q()
    for path in paths:
        condition |= Q(path=path) | Q(path__startswith=path.rstrip("/") + "/")
    if not paths:
        return FileScore.objects.none()
    return FileScore.objects.filter(condition, scan=scan, window_days=window_days)


def function_score_list(
    *, scan: Scan, window_days: int = DEFAULT_WINDOW_DAYS, path: str = "", path_prefix: str = ""
) -> QuerySet[FunctionScore]:
    """Function hotspots of a scan, best-ranked first."""
    queryset = FunctionScore.objects.filter(scan=scan, window_days=window_days)
    if path:
        queryset = queryset.filter(path=path)
    if path_prefix:
        queryset = queryset.filter(path__startswith=path_prefix)
    return queryset.order_by("hotspot_rank", "path", "lineno")


def coupling_list(
    *, scan: Scan, path: str = "", window_days: int = DEFAULT_WINDOW_DAYS, min_degree: float = 0.0
) -> QuerySet[Coupling]:
    """Coupled file pairs of a scan (those involving `path` when given), strongest first."""
    queryset = Coupling.objects.filter(scan=scan, window_days=window_days, degree__gte=min_degree)
    if path:
        queryset = queryset.filter(Q(path_a=path) | Q(path_b=path))
    return queryset.order_by("-degree", "-shared_revisions", "path_a", "path_b")


def file_author_list(*, scan: Scan, path: str = "") -> QuerySet[FileAuthor]:
    """Authors per file at a scan (of one file when `path` is given), largest share first."""
    queryset = FileAuthor.objects.filter(scan=scan)
    if path:
        queryset = queryset.filter(path=path)
    return queryset.order_by("path", "-added_lines", "author")


def code_owner_list(*, scan: Scan, path: str = "") -> QuerySet[CodeOwner]:
    """CODEOWNERS owners per file at a scan."""
    queryset = CodeOwner.objects.filter(scan=scan)
    if path:
        queryset = queryset.filter(path=path)
    return queryset.order_by("path")


def knowledge_island_list(*, scan: Scan, window_days: int = 0) -> QuerySet[FileScore]:
    """Files where one author holds more than 80% of the added lines."""
    return FileScore.objects.filter(scan=scan, window_days=window_days, is_knowledge_island=True).order_by(
        "hotspot_rank"
    )


def coupled_file_list(
    *, scan: Scan, path: str, window_days: int = DEFAULT_WINDOW_DAYS, limit: int = 10
) -> list[dict]:
    """The files most often changed together with `path`: [{path, degree, shared_revisions, revisions}]."""
    partners = []
    for pair in coupling_list(scan=scan, path=path, window_days=window_days)[:limit]:
        other, revisions = (pair.path_b, pair.revisions_b) if pair.path_a == path else (pair.path_a, pair.revisions_a)
        partners.append({
            "path": other,
            "degree": round(pair.degree, 4),
            "shared_revisions": pair.shared_revisions,
            "revisions": revisions,
        })
    return partners


def code_owner_get(*, scan: Scan, path: str) -> CodeOwner | None:
    """The CODEOWNERS rule deciding one file's owners at a scan, or None when no pattern matches it."""
    return CodeOwner.objects.filter(scan=scan, path=path).first()


def hotspot_summary(*, scan: Scan) -> dict:
    """A scan's repository summary (files per health band, totals, hotspot count, mean health)."""
    return dict(scan.summary or {})
