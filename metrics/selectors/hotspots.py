"""Reads of hotspot rankings, function hotspots, coupling and ownership at a repository's current scan."""
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from metrics.choices import DEFAULT_WINDOW
from metrics.data import CoupledFile, FileFigures, HotspotLine
from metrics.models import CodeOwner, Coupling, FileAuthor, FileScore, FunctionScore, Repository, Scan

PRODUCTION_ONLY = ("production",)  # metrics.core.file_classes.PRODUCTION: the default of every ranking
RANKED = "ranked"
UNCHANGED = "unchanged"


def _classed(queryset: QuerySet, classes: Sequence[str] | None) -> QuerySet:
    """Files of the given classes (production, test, generated, vendored, migration); None: every class."""
    return queryset if classes is None else queryset.filter(file_class__in=list(classes))


def _paths_condition(paths: list[str]) -> Q:
    """Files at or below any of the given paths (a file, or a folder prefix ending in '/')."""
    condition = Q()
    for path in paths:
        condition |= Q(path=path) | Q(path__startswith=path.rstrip("/") + "/")
    return condition


def _narrowed(queryset: QuerySet, path_prefix: str, min_score: float | None) -> QuerySet:
    """Scores under a path prefix and at or above a minimum hotspot score (either optional)."""
    if path_prefix:
        queryset = queryset.filter(path__startswith=path_prefix)
    if min_score is not None:
        queryset = queryset.filter(hotspot_score__gte=min_score)
    return queryset


def file_score_list(
    *,
    scan: Scan,
    window_days: int = DEFAULT_WINDOW,
    path_prefix: str = "",
    min_score: float | None = None,
    ordering: str = "hotspot_rank",
    classes: Sequence[str] | None = PRODUCTION_ONLY,
    include_unchanged: bool = False,
    ranked_only: bool = False,
) -> QuerySet[FileScore]:
    """Scored files of a scan over a window, filtered by path prefix, minimum hotspot score and file class.

    Files with no change in the window are left out unless `include_unchanged` (unchanged_file_list lists
    them apart); `ranked_only` keeps only files meeting the hotspot minimums (docs/scoring.md).
    """
    queryset = _narrowed(FileScore.objects.filter(scan=scan, window_days=window_days), path_prefix, min_score)
    queryset = _classed(queryset, classes)
    if ranked_only:
        queryset = queryset.filter(rank_status=RANKED)
    elif not include_unchanged:
        queryset = queryset.exclude(rank_status=UNCHANGED)
    return queryset.order_by(ordering, "path")


def unchanged_file_list(
    *, scan: Scan, window_days: int = DEFAULT_WINDOW, classes: Sequence[str] | None = PRODUCTION_ONLY
) -> QuerySet[FileScore]:
    """The files a scan saw no change of in the window (never ranked as hotspots), by path."""
    queryset = FileScore.objects.filter(scan=scan, window_days=window_days, rank_status=UNCHANGED)
    return _classed(queryset, classes).order_by("path")


def file_score_get(*, scan: Scan, path: str, window_days: int = DEFAULT_WINDOW) -> FileScore | None:
    """One file's score at a scan over a window, or None when the file is not scored there."""
    return FileScore.objects.filter(scan=scan, window_days=window_days, path=path).first()


def file_figures_list(
    *,
    scan: Scan,
    window_days: int = DEFAULT_WINDOW,
    paths: list[str] | None = None,
    path_prefix: str = "",
    min_score: float | None = None,
    classes: Sequence[str] | None = PRODUCTION_ONLY,
) -> list[FileFigures]:
    """Headline figures of a scan's scored files over a window, by path (one query, no model rows).

    `paths` keeps the files at or below any of them (a file, or a folder prefix ending in '/'). Every
    file of the classes is there, unchanged ones too (a map shows all the code).
    """
    if paths is not None and not paths:
        return []
    queryset = file_score_list(scan=scan, window_days=window_days, path_prefix=path_prefix, min_score=min_score,
                               classes=classes, include_unchanged=True)
    if paths is not None:
        queryset = queryset.filter(_paths_condition(paths))
    rows = queryset.order_by("path").values_list(
        "path", "loc", "churn", "revisions", "complexity", "hotspot_score", "health"
    )
    return [FileFigures(*row) for row in rows]


def top_hotspots_by_repository(
    *, repository_ids: list[int], window_days: int = DEFAULT_WINDOW, limit: int = 3,
    classes: Sequence[str] | None = PRODUCTION_ONLY,
) -> dict[int, list[HotspotLine]]:
    """The `limit` best-ranked files meeting the minimums at each repository's current scan (one query)."""
    current = Repository.objects.filter(pk__in=repository_ids).values("current_scan_id")
    scores = _classed(FileScore.objects.filter(scan_id__in=current, window_days=window_days, rank_status=RANKED,
                                               hotspot_rank__gte=1), classes)
    rows = (
        scores.annotate(position=Window(RowNumber(), partition_by=[F("scan_id")], order_by=[F("hotspot_rank")]))
        .filter(position__lte=limit)
        .order_by("scan__repository_id", "hotspot_rank")
        .values_list("scan__repository_id", "path", "hotspot_score", "hotspot_rank")
    )
    lines: dict[int, list[HotspotLine]] = defaultdict(list)
    for repository_id, path, score, rank in rows:
        lines[repository_id].append(HotspotLine(path=path, score=score, rank=rank))
    return dict(lines)


def function_score_list(
    *,
    scan: Scan,
    window_days: int = DEFAULT_WINDOW,
    path: str = "",
    path_prefix: str = "",
    min_score: float | None = None,
    ordering: str = "hotspot_rank",
) -> QuerySet[FunctionScore]:
    """Function hotspots of a scan, best-ranked first (or by `ordering`), filtered by path and minimum score."""
    queryset = FunctionScore.objects.filter(scan=scan, window_days=window_days)
    if path:
        queryset = queryset.filter(path=path)
    return _narrowed(queryset, path_prefix, min_score).order_by(ordering, "path", "lineno")


def coupling_list(
    *, scan: Scan, path: str = "", window_days: int = DEFAULT_WINDOW, min_degree: float = 0.0
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


def knowledge_island_list(
    *, scan: Scan, window_days: int = 0, min_score: float | None = None,
    classes: Sequence[str] | None = PRODUCTION_ONLY,
) -> QuerySet[FileScore]:
    """Files where one author holds more than 80% of the added lines over the window (big and changed enough).

    Each row's `island_label` names the period: "single author ever" (window 0) or "single author in the
    last N days"; they are different findings.
    """
    queryset = _classed(FileScore.objects.filter(scan=scan, window_days=window_days, is_knowledge_island=True),
                        classes)
    if min_score is not None:
        queryset = queryset.filter(hotspot_score__gte=min_score)
    return queryset.order_by("hotspot_rank")


def coupled_file_list(
    *, scan: Scan, path: str, window_days: int = DEFAULT_WINDOW, limit: int = 10
) -> list[CoupledFile]:
    """The files most often changed together with `path`, strongest first."""
    partners = []
    for pair in coupling_list(scan=scan, path=path, window_days=window_days)[:limit]:
        other, revisions = (pair.path_b, pair.revisions_b) if pair.path_a == path else (pair.path_a, pair.revisions_a)
        partners.append(CoupledFile(
            path=other, degree=round(pair.degree, 4), shared_revisions=pair.shared_revisions, revisions=revisions,
        ))
    return partners
