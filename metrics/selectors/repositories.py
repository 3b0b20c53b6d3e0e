"""Reads of repositories and their scans."""
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, QuerySet

from metrics.choices import DEFAULT_WINDOW, LIVE_SCAN_STATUSES, ScanStatus, window_or_default
from metrics.data import LintSettingLine, RepositoryConfig, ScanSummary, TrendPoint, repository_config_from_json
from metrics.errors import NoScanYet, RepositoryInvalid, RepositoryNotFound
from metrics.models import Commit, Repository, Scan


def repository_list(*, path: str | None = None) -> QuerySet[Repository]:
    """All repositories with their current scan, by name (those at a resolved local `path` when given)."""
    queryset = Repository.objects.select_related("current_scan").order_by("name")
    if path is not None:
        queryset = queryset.filter(path=path)
    return queryset


def repository_get(*, repository_id: int | None = None, name: str | None = None) -> Repository:
    """One repository by id or name, or RepositoryNotFound."""
    queryset = Repository.objects.select_related("current_scan")
    try:
        if repository_id is not None:
            return queryset.get(pk=repository_id)
        return queryset.get(name=name)
    except Repository.DoesNotExist:
        raise RepositoryNotFound(
            f"No repository {name or repository_id!r}. List them with `debtboard addrepo --list` or in the UI.",
            extra={"repository": name or repository_id},
        ) from None


def scan_current(*, repository: Repository) -> Scan:
    """The scan whose results are visible for a repository, or NoScanYet."""
    if repository.current_scan_id is None:
        raise NoScanYet(
            f"{repository.name} has no finished scan yet: run `debtboard scan {repository.name}`.",
            extra={"repository": repository.name},
        )
    return repository.current_scan


def scan_list(
    *, repository: Repository, is_backfill: bool | None = None, status: str = "", before: Scan | None = None
) -> QuerySet[Scan]:
    """A repository's scans, newest first; only live or only backfilled ones, of one status, older than `before`."""
    queryset = Scan.objects.filter(repository=repository).select_related("repository")
    if is_backfill is not None:
        queryset = queryset.filter(is_backfill=is_backfill)
    if status:
        queryset = queryset.filter(status=status)
    if before is not None:
        queryset = queryset.filter(pk__lt=before.pk)
    return queryset.order_by("-created_at", "-id")


def scan_live(*, repository: Repository) -> Scan | None:
    """The queued or running live scan of a repository (at most one exists), or None."""
    return (
        Scan.objects.filter(repository=repository, is_backfill=False, status__in=LIVE_SCAN_STATUSES)
        .order_by("-id")
        .first()
    )


def _trend_scans(queryset: QuerySet[Scan]) -> QuerySet[Scan]:
    """Finished scans that are points of a trend: one per commit, and only commits still in the history.

    A commit scanned twice is one point (its newest scan). After a force-push the mined history is
    mined again without the discarded commits, so a scan of one of them is no longer a point; while a
    repository has no mined commit at all (a depth-1 clone), every scan stays.
    """
    succeeded = queryset.filter(status=ScanStatus.SUCCEEDED).exclude(committed_at=None)
    rescanned = Scan.objects.filter(repository_id=OuterRef("repository_id"), commit_sha=OuterRef("commit_sha"),
                                    status=ScanStatus.SUCCEEDED, pk__gt=OuterRef("pk")).exclude(committed_at=None)
    in_history = Commit.objects.filter(repository_id=OuterRef("repository_id"), sha=OuterRef("commit_sha"))
    mined = Commit.objects.filter(repository_id=OuterRef("repository_id"))
    return succeeded.filter(~Exists(rescanned)).filter(Q(Exists(in_history)) | ~Q(Exists(mined)))


def scan_trend(*, repository: Repository) -> QuerySet[Scan]:
    """Finished scans (live and backfilled) in commit-date order: the points of trend charts (one per commit)."""
    return _trend_scans(Scan.objects.filter(repository=repository)).order_by("committed_at", "id")


def trend_point_list(*, repository: Repository) -> list[TrendPoint]:
    """A repository's trend: its finished scans in commit-date order, with their summaries."""
    return trend_points_by_repository(repository_ids=[repository.pk]).get(repository.pk, [])


def trend_points_by_repository(*, repository_ids: list[int]) -> dict[int, list[TrendPoint]]:
    """The trends of several repositories (one query for all of them), keyed by repository id."""
    rows = (
        _trend_scans(Scan.objects.filter(repository_id__in=repository_ids))
        .order_by("repository_id", "committed_at", "id")
        .values_list("repository_id", "id", "committed_at", "commit_sha", "is_backfill", "summary")
    )
    points: dict[int, list[TrendPoint]] = defaultdict(list)
    for repository_id, scan_id, committed_at, commit_sha, is_backfill, summary in rows:
        points[repository_id].append(TrendPoint(
            scan_id=scan_id, committed_at=committed_at, commit_sha=commit_sha or "", is_backfill=is_backfill,
            summary=summary if isinstance(summary, dict) else {},
        ))
    return dict(points)


def repository_window_days(*, repository: Repository) -> int:
    """The repository's configured default window (one of WINDOWS); the default window when unusable."""
    try:
        window = repository_config_from_json(repository.config).window_days
    except RepositoryInvalid:
        return DEFAULT_WINDOW
    return window_or_default(window)


def repository_function_days(*, repository: Repository) -> int:
    """The window of the repository's function scores (`function_history_days`; 0 is all history)."""
    try:
        return repository_config_from_json(repository.config).function_history_days
    except RepositoryInvalid:
        return RepositoryConfig().function_history_days


def scan_list_all() -> QuerySet[Scan]:
    """Every repository's scans, newest first."""
    return Scan.objects.select_related("repository").order_by("-created_at", "-id")


def scan_lint_settings(*, scan: Scan) -> tuple[LintSettingLine, ...]:
    """The lint options a scan's analysis ran with and where each came from (`line.label` for the dashboard).

    Empty for scans stored before the repository's own settings were read.
    """
    return ScanSummary.from_json(scan.summary).lint_settings
