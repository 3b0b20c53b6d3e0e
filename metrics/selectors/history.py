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
    *, repository: Repository, since: datetime | None, until: datetime | None
) -> set[tuple[str, str]]:
    """Distinct (path, author name) pairs of counted (not excluded) commits in a window."""
    queryset = FileChange.objects.filter(repository=repository, commit__is_excluded=False)
    if since is not None:
        queryset = queryset.filter(authored_at__gt=since)
    if until is not None:
        queryset = queryset.filter(authored_at__lte=until)
    return set(queryset.values_list("path", "commit__author_name").distinct())


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
