"""Mining a repository's git history into Commit and FileChange rows, incrementally and in bulk."""
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db.backends.base.base import BaseDatabaseWrapper

from debtboard.db_locks import write_retrying
from debtboard.text import clean_text
from metrics.core.block_memo import remembered
from metrics.core.errors import CoreError
from metrics.core.exclusions import is_excluded
from metrics.core.git_history import (
    commit_exists,
    count_commits,
    is_ancestor,
    iter_commits,
    mailmap_blob,
    require_object_name,
    shallow_boundary,
)
from metrics.core.records import CommitRecord
from metrics.data import RepositoryConfig
from metrics.errors import GitFailed
from metrics.models import Commit, FileChange, Repository, new_history_token
from metrics.services.bulk import rows_insert, write_connection

BATCH_ROWS = 5000  # commits plus file changes written per bulk insert round
_PATH_LENGTH = FileChange._meta.get_field("path").max_length
_NAME_LENGTH = Commit._meta.get_field("author_name").max_length
_EMAIL_LENGTH = Commit._meta.get_field("author_email").max_length
_SUBJECT_LENGTH = Commit._meta.get_field("subject").max_length

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MiningResult:
    """What one mining run did: commits stored now, commits stored in all, whether history was re-mined."""

    new_commits: int
    total_commits: int
    remined: bool
    excluded_commits: int  # of the new commits, those kept out of measures (bots, mechanical)
    duration: float  # seconds


def history_mine(
    *,
    repository: Repository,
    repo_path: str,
    commit_sha: str,
    config: RepositoryConfig,
    progress: Progress | None = None,
    update_head: bool = True,
) -> MiningResult:
    """Mine the history reachable from `commit_sha` that is not stored yet, and store it in bulk.

    With `update_head` (the default scan) the repository's mined head moves to `commit_sha`; when the
    old head is no longer an ancestor (a force-push rewrote history), or the commit's `.mailmap` blob is
    not the one the stored history was attributed with, every commit of the repository is deleted and
    history is mined again. Every batch is a short transaction of its own (SQLite has one
    writer) and the head moves last: a run that dies half-way leaves the old head, so the next run
    finds it again not an ancestor and starts over. Backfill scans pass update_head=False: they mine
    what their older revision needs and leave the head alone.
    """
    started = time.monotonic()
    try:
        require_object_name(commit_sha)
        grafts = _shallow_grafts(repository, repo_path)
        mailmap = mailmap_blob(repo_path, commit_sha) if update_head else repository.mailmap_blob
        rewritten = _history_void(repository, repo_path, commit_sha, mailmap) if update_head else False
        if rewritten:
            write_retrying(partial(_history_forget, repository))
        new, excluded = _mine_unmined(repository, repo_path, commit_sha, config, progress, rewritten=rewritten,
                                      grafts=grafts, past=not update_head)
        if update_head:
            write_retrying(partial(_set_head, repository, commit_sha, mailmap))
    except CoreError as exc:
        raise GitFailed(f"Mining {repository.name} failed: {exc}", extra={"repository": repository.name}) from exc
    return MiningResult(
        new_commits=new,
        total_commits=Commit.objects.filter(repository=repository).count(),
        remined=rewritten,
        excluded_commits=excluded,
        duration=round(time.monotonic() - started, 3),
    )


def _mine_unmined(
    repository: Repository, repo_path: str, commit_sha: str, config: RepositoryConfig, progress: Progress | None,
    *, rewritten: bool, grafts: frozenset[str], past: bool,
) -> tuple[int, int]:
    """Mine what `commit_sha` reaches beyond the mined head; return (commits stored, of which excluded).

    A past revision (a backfill's) that the mined head reaches has nothing to mine: the head moves last,
    so everything it reaches is stored. One `git merge-base --is-ancestor` says so.
    """
    head = repository.mined_head
    if past and head and (commit_sha == head or is_ancestor(repo_path, commit_sha, head)):
        return 0, 0
    exclude = (head,) if head and not rewritten and commit_exists(repo_path, head) else ()
    return _mine(repository, repo_path, commit_sha, exclude, config, progress, fresh=rewritten, skip=grafts)


def _history_void(repository: Repository, repo_path: str, commit_sha: str, mailmap: str) -> bool:
    """Whether the stored history must be mined again: a force-push, or a new .mailmap to attribute it with."""
    head = repository.mined_head
    if not head:
        return False
    # A new .mailmap re-attributes every stored commit: authors are read through it when mined.
    return mailmap != repository.mailmap_blob or not is_ancestor(repo_path, head, commit_sha)


def _shallow_grafts(repository: Repository, repo_path: str) -> frozenset[str]:
    """Record where a shallow clone's history starts (None for a full clone); return its graft commits."""
    boundary = remembered(("shallow", str(repo_path)), partial(shallow_boundary, repo_path))
    if repository.history_truncated_at != boundary.starts_at:
        repository.history_truncated_at = boundary.starts_at
        Repository.objects.filter(pk=repository.pk).update(history_truncated_at=boundary.starts_at)
    return boundary.commits


def _history_forget(repository: Repository) -> None:
    """Delete a repository's mined history and give it a new token (what was derived from it is void)."""
    FileChange.objects.filter(repository=repository).delete()
    Commit.objects.filter(repository=repository).delete()
    repository.history_token = new_history_token()
    Repository.objects.filter(pk=repository.pk).update(history_token=repository.history_token)


def _set_head(repository: Repository, commit_sha: str, mailmap: str) -> None:
    repository.mined_head, repository.mailmap_blob = commit_sha, mailmap
    Repository.objects.filter(pk=repository.pk).update(mined_head=commit_sha, mailmap_blob=mailmap)


def _mine(
    repository: Repository,
    repo_path: str,
    commit_sha: str,
    exclude: tuple[str, ...],
    config: RepositoryConfig,
    progress: Progress | None,
    *,
    fresh: bool,
    skip: frozenset[str] = frozenset(),
) -> tuple[int, int]:
    """Stream `git log` into the database in batches; return (commits stored, of which excluded).

    Commits in `skip` (a shallow clone's grafts) are read but not stored: they are not real changes.
    """
    total = count_commits(repo_path, commit_sha, exclude=exclude, include_merges=config.include_merges)
    if progress:
        progress(0, total)
    stored = excluded = parsed = 0
    batch: list[CommitRecord] = []
    rows = 0
    for record in iter_commits(repo_path, commit_sha, exclude=exclude, include_merges=config.include_merges):
        parsed += 1
        if record.sha in skip:
            continue
        batch.append(record)
        rows += 1 + len(record.changes)
        if rows >= BATCH_ROWS:
            counts = _store(repository, batch, config, skip_known=not fresh)
            stored, excluded = stored + counts[0], excluded + counts[1]
            batch, rows = [], 0
            if progress:
                progress(parsed, max(total, parsed))
    if batch:
        counts = _store(repository, batch, config, skip_known=not fresh)
        stored, excluded = stored + counts[0], excluded + counts[1]
    if progress:
        progress(parsed, max(total, parsed))
    return stored, excluded


def _store(
    repository: Repository, batch: list[CommitRecord], config: RepositoryConfig, *, skip_known: bool
) -> tuple[int, int]:
    """Insert one batch of commits and their file changes; commits already stored are skipped.

    Rows go in with one executemany per table (metrics.services.bulk): through bulk_create, building
    the model instances and their SQL cost several times what git needs to produce the history.
    """
    shas = [record.sha for record in batch]
    if skip_known:
        # A backfill may have stored commits of a side branch that a later range reaches again.
        known = set(Commit.objects.filter(repository=repository, sha__in=shas).values_list("sha", flat=True))
        batch = [record for record in batch if record.sha not in known]
    if not batch:
        return 0, 0
    connection = write_connection(Commit)
    commit_rows = [_commit_row(repository, record, config, connection) for record in batch]
    write_retrying(partial(_insert, repository, batch, commit_rows, connection), using=connection.alias)
    return len(commit_rows), sum(1 for row in commit_rows if row[-1])


def _insert(
    repository: Repository, batch: list[CommitRecord], commit_rows: list[tuple], connection: BaseDatabaseWrapper
) -> None:
    """Insert one batch's commits, then their file changes (one transaction)."""
    rows_insert(model=Commit, fields=_COMMIT_COLUMNS, rows=commit_rows)
    ids = dict(
        Commit.objects.using(connection.alias)
        .filter(repository=repository, sha__in=[record.sha for record in batch])
        .values_list("sha", "id")
    )
    rows_insert(model=FileChange, fields=_CHANGE_COLUMNS, rows=_change_rows(repository, batch, ids, connection))


_COMMIT_COLUMNS = (
    "repository", "sha", "author_name", "author_email", "authored_at", "subject", "is_merge", "files_changed",
    "is_excluded",
)
_CHANGE_COLUMNS = (
    "repository", "commit", "path", "old_path", "change_type", "added", "deleted", "is_binary", "authored_at",
)


def _commit_row(
    repository: Repository, record: CommitRecord, config: RepositoryConfig, connection: BaseDatabaseWrapper
) -> tuple:
    return (
        repository.pk,
        record.sha,
        _text(record.author_name, _NAME_LENGTH),
        _text(record.author_email, _EMAIL_LENGTH),
        connection.ops.adapt_datetimefield_value(record.authored_at),
        _text(record.subject, _SUBJECT_LENGTH),
        record.is_merge,
        len(record.changes),
        is_excluded(record, bot_authors=config.bot_authors, max_files_per_commit=config.max_files_per_commit),
    )


def _change_rows(
    repository: Repository, batch: list[CommitRecord], ids: dict[str, int], connection: BaseDatabaseWrapper
) -> list[tuple]:
    rows = []
    for record in batch:
        commit_id = ids[record.sha]
        authored_at = connection.ops.adapt_datetimefield_value(record.authored_at)
        paths: set[str] = set()
        for change in record.changes:
            path = _text(change.path, _PATH_LENGTH)
            if path in paths:  # two over-long names cut to the same prefix
                continue
            paths.add(path)
            rows.append((
                repository.pk, commit_id, path, _text(change.old_path, _PATH_LENGTH), change.change_type,
                change.added, change.deleted, change.is_binary, authored_at,
            ))
    return rows


def _text(value: str, length: int) -> str:
    """A string safe for a CharField on every backend: no NUL bytes, at most `length` characters."""
    return clean_text(value, max_length=length)
