"""Reads over mined history (Commit, FileChange): renames, who changed which paths, commits touching a file."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from metrics.models import Commit, FileChange, Repository


@dataclass(frozen=True)
class RenameRow:
    """A file renamed by one commit."""

    old_path: str
    path: str
    sha: str
    authored_at: datetime
    author: str


@dataclass(frozen=True)
class FileCommitRow:
    """A commit that touched a file, with the file's line counts in it."""

    sha: str
    author: str
    author_email: str
    authored_at: datetime
    subject: str
    path: str
    old_path: str
    change_type: str
    added: int | None
    deleted: int | None


def rename_list(
    *, repository: Repository, since: datetime | None = None, until: datetime | None = None
) -> list[RenameRow]:
    """Renames of a repository's files committed after `since` and up to `until`, oldest first."""
    queryset = FileChange.objects.filter(repository=repository, change_type=FileChange.ChangeType.RENAMED)
    queryset = queryset.exclude(old_path="")
    if since is not None:
        queryset = queryset.filter(authored_at__gt=since)
    if until is not None:
        queryset = queryset.filter(authored_at__lte=until)
    rows = queryset.order_by("authored_at", "commit_id", "id").values_list(
        "old_path", "path", "commit__sha", "authored_at", "commit__author_name"
    )
    return [RenameRow(old, new, sha, when, author) for old, new, sha, when, author in rows]


def path_author_pairs(
    *, repository: Repository, since: datetime | None, until: datetime | None, follow_renames: bool = False
) -> set[tuple[str, str]]:
    """Distinct (path, author name) pairs of counted (not excluded) commits in a window.

    With `follow_renames`, a change made before a rename in the window counts under the file's later name
    (a file renamed in the window keeps the authors of its earlier commits).
    """
    queryset = FileChange.objects.filter(repository=repository, commit__is_excluded=False)
    if since is not None:
        queryset = queryset.filter(authored_at__gt=since)
    if until is not None:
        queryset = queryset.filter(authored_at__lte=until)
    if not follow_renames:
        return set(queryset.values_list("path", "commit__author_name").distinct())
    renames = _renames_by_old_path(rename_list(repository=repository, since=since, until=until))
    rows = queryset.values_list("path", "commit__author_name", "authored_at").distinct()
    return {(_later_name(path, when, renames), author) for path, author, when in rows}


def _renames_by_old_path(renames: list[RenameRow]) -> dict[str, list[tuple[datetime, str]]]:
    by_old: dict[str, list[tuple[datetime, str]]] = {}
    for row in renames:
        by_old.setdefault(row.old_path, []).append((row.authored_at, row.path))
    return by_old


def _later_name(path: str, moment: datetime, renames: dict[str, list[tuple[datetime, str]]]) -> str:
    """The name `path` has after every rename made after `moment` (a rename chain a -> b -> c gives c)."""
    for _ in range(100):  # a bounded walk: a -> b -> a cycles end
        later = [(when, new) for when, new in renames.get(path, ()) if when > moment]
        if not later:
            return path
        moment, path = min(later)
    return path


def file_commit_list(
    *, repository: Repository, path: str, after: datetime | None = None, until: datetime | None = None
) -> list[FileCommitRow]:
    """Commits that touched `path` (as its name or its old name) after `after` and up to `until`, newest first."""
    queryset = FileChange.objects.filter(Q(path=path) | Q(old_path=path), repository=repository)
    if after is not None:
        queryset = queryset.filter(authored_at__gt=after)
    if until is not None:
        queryset = queryset.filter(authored_at__lte=until)
    rows = queryset.select_related("commit").order_by("-authored_at", "-commit_id")
    return [
        FileCommitRow(
            sha=row.commit.sha,
            author=row.commit.author_name,
            author_email=row.commit.author_email,
            authored_at=row.authored_at,
            subject=row.commit.subject,
            path=row.path,
            old_path=row.old_path,
            change_type=row.change_type,
            added=row.added,
            deleted=row.deleted,
        )
        for row in rows
    ]


def commit_authored_at(*, repository: Repository, sha: str) -> datetime | None:
    """The author date of a mined commit given by its full or abbreviated id, or None when not mined."""
    if not sha:
        return None
    queryset = Commit.objects.filter(repository=repository, sha__startswith=sha.lower())
    dates = list(queryset.values_list("authored_at", flat=True)[:2])
    return dates[0] if len(dates) == 1 else None
