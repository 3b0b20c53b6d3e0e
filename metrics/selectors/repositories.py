"""Reads of repositories and their scans."""
from django.db.models import QuerySet

from metrics.errors import NoScanYet, RepositoryNotFound, ScanNotFound
from metrics.models import Repository, Scan


def repository_list() -> QuerySet[Repository]:
    """All repositories with their current scan, by name."""
    return Repository.objects.select_related("current_scan").order_by("name")


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


def scan_list(*, repository: Repository) -> QuerySet[Scan]:
    """A repository's scans, newest first."""
    return Scan.objects.filter(repository=repository).order_by("-created_at", "-id")


def scan_trend(*, repository: Repository) -> QuerySet[Scan]:
    """Finished scans (live and backfilled) in commit-date order: the points of trend charts."""
    return (
        Scan.objects.filter(repository=repository, status=Scan.Status.SUCCEEDED)
        .exclude(committed_at=None)
        .order_by("committed_at", "id")
    )
