"""Database set-up for the benchmarks (bench/ may not import the apps' models; tests may)."""
from datetime import datetime, timezone

from debt.models import DebtItem, DebtLocation
from metrics.models import FileChange, Repository, Scan


def bench_repository(*, path: str, name: str = "bench") -> Repository:
    """Register `path` as a repository directly, skipping the service's checks (the benchmark times mining)."""
    return Repository.objects.create(name=name, path=path)


def bench_succeeded_scan(*, path: str, commit: str, name: str = "bench") -> Scan:
    """A succeeded scan of `commit` to analyse a snapshot into (the benchmark times analysis alone)."""
    repository, _ = Repository.objects.get_or_create(name=name, defaults={"path": path})
    return Scan.objects.create(repository=repository, revision=commit, commit_sha=commit,
                               status=Scan.Status.SUCCEEDED)


def file_change_count(*, repository: Repository) -> int:
    """How many file changes mining stored for `repository`."""
    return FileChange.objects.filter(repository=repository).count()


def bench_debt_items(*, repository: Repository, paths: list[str], count: int = 500) -> None:
    """`count` debt items in every status, each linked to one of `paths`, in two bulk inserts."""
    now = datetime(2024, 6, 1, tzinfo=timezone.utc)
    statuses = ("proposed", "accepted", "planned", "in_progress", "done")
    items = DebtItem.objects.bulk_create([
        DebtItem(repository=repository, title=f"Debt {i}", status=statuses[i % 5], impact=1 + i % 5,
                 effort=1 + i % 8, priority=i / 10, created_at=now, updated_at=now)
        for i in range(count)
    ])
    DebtLocation.objects.bulk_create([
        DebtLocation(item=item, path=paths[i], original_path=paths[i], created_at=now)
        for i, item in enumerate(items)
    ])
