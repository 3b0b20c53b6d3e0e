"""Reads of repositories and their scans."""
from django.db.models import QuerySet

from metrics.errors import NoScanYet, RepositoryNotFound, ScanNotFound
from metrics.models import Repository, Scan


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


def scan_get(*, scan_id: int) -> Scan:
    """One scan by id, or ScanNotFound."""
    try:
        return Scan.objects.select_related("repository").get(pk=scan_id)
    except Scan.DoesNotExist:
        raise ScanNotFound(f"No scan {scan_id}.", extra={"scan": scan_id}) from None


def scan_list(*, repository: Repository, is_backfill: bool | None = None, status: str = "") -> QuerySet[Scan]:
    """A repository's scans, newest first; only live or only backfilled ones, of one status, when asked."""
    queryset = Scan.objects.filter(repository=repository)
    if is_backfill is not None:
        queryset = queryset.filter(is_backfill=is_backfill)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def scan_live(*, repository: Repository) -> Scan | None:
    """The queued or running live scan of a repository (at most one exists), or None."""
    return (
        Scan.objects.filter(repository=repository, is_backfill=False, status__in=[Scan.Status.QUEUED,
                                                                                  Scan.Status.RUNNING])
        .order_by("-id")
        .first()
    )


def scan_trend(*, repository: Repository) -> QuerySet[Scan]:
    """Finished scans (live and backfilled) in commit-date order: the points of trend charts."""
    return (
        Scan.objects.filter(repository=repository, status=Scan.Status.SUCCEEDED)
        .exclude(committed_at=None)
        .order_by("committed_at", "id")
    )


def scan_list_all() -> QuerySet[Scan]:
    """Every repository's scans, newest first."""
    return Scan.objects.select_related("repository").order_by("-created_at", "-id")
