"""The history a scan's scoring reads: the commits its revision can see, and the hunks of the function window.

Visible history is every mined commit that is an ancestor of the scanned commit and dated no later than
it, newest first in topological order, each changed file under its name at the scanned revision. It is
built one of two ways, with the same result:

- from scratch: one `git rev-list` of the scanned commit and every mined commit of the repository,
  followed through renames newest first;
- from the history cache of the repository's previous (non-backfill) scan, or for a backfill scan the
  history its backfill's scan before kept in memory, when that scan's commit is an ancestor of this
  one and it left no ancestor out as dated after itself: only the new commits (`git rev-list NEW ^OLD`)
  come from git and the database; the cached commits keep their order, after the new ones, and their
  file names go through the renames of the new commits. Following renames composes (a name at the new
  revision is the new commits' name for the name at the old revision), so no older commit is read again.

The function window's -U0 hunks are kept per commit in the same cache, so a scan asks git for the
patches of the commits it has not seen (the new ones) only.

The cache is a pickle in DATA_DIR/cache/scoring/, one per repository, named by the repository's history
token (a new token when history is mined again after a force-push). Anything unexpected (no file, another
format version, a commit no longer an ancestor, a cached history that left commits out as dated after
its scan, an unreadable file) means the scratch path; a failed write is logged and the scan still succeeds.
"""
import logging
import os
import pickle
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.db.models import Count, Max

from metrics.conf import data_dir
from metrics.core.block_memo import remembered
from metrics.core.git_history import is_ancestor, iter_hunks, rev_list, shallow_boundary
from metrics.core.records import Hunk
from metrics.core.renames import RenameTracker
from metrics.models import Commit, FileChange, Repository, Scan
from metrics.services.scoring_memo import (
    backfill_patches,
    earlier_history,
    earlier_history_keep,
    mined_history,
    unpickled,
)

logger = logging.getLogger(__name__)

CACHE_VERSION = 1
CACHE_FOLDER = ("cache", "scoring")
PATCHES_BY_NAME_LIMIT = 300  # more missing patches than this: one ranged `git log -p` instead of naming commits
# A scan that used the cache rewrites it only once this many commits were read on top of it: writing
# the whole history again costs more than reading a few hundred new commits (and their patches) does.
CACHE_REWRITE_AFTER = 200
_SHA_CHUNK = 500  # shas or ids per database query (under every backend's parameter limit) or git command line

HunkTuple = tuple[int, int, int, int]  # old_start, old_count, new_start, new_count
PatchFiles = tuple[tuple[str, str, tuple[HunkTuple, ...]], ...]  # (path, old_path, hunks) per file of one commit


@dataclass(slots=True)
class HistoryCommit:
    """A commit the scanned revision can see, with the current names of the files it changed."""

    sha: str
    author: str
    email: str
    authored_at: datetime
    excluded: bool
    paths: list[str]
    lines: list[tuple[int, int]]


@dataclass
class ScoringHistory:
    """The visible history of one scan and where it came from."""

    commits: list[HistoryCommit]  # newest first, names at the scanned revision
    hidden: int  # mined ancestors dated after the scanned commit (left out of the measures)
    from_cache: bool = False
    new_commits: int = 0  # commits read from the database (all of them from scratch; the new ones otherwise)
    patches: dict[str, PatchFiles] = field(default_factory=dict)  # the function window's hunks by commit
    cached_patches: dict[str, PatchFiles] = field(default_factory=dict)
    patch_key: tuple[str, ...] = ()  # the extra pathspecs the cached patches were read with
    patches_reused: bool = False  # function_hunks could use the cached patches (same pathspecs)


def history_load(*, scan: Scan, repo_path: str) -> ScoringHistory:
    """The visible history of `scan`: from the previous scan's cache when it applies, else from scratch.

    A backfill scan first tries the history its backfill's scan before kept (the older past revision:
    backfills run oldest first), which is the same kind of cache, held in memory.
    """
    cached = _cache_read(scan.repository, keep=scan.is_backfill)
    earlier = earlier_history(_memo_key(scan), backfill=scan.is_backfill)
    history = _from_first_cache(scan, repo_path, (earlier, cached)) or _from_scratch(scan, repo_path)
    if cached:  # the patches of commits are the same whatever the history path
        history.cached_patches, history.patch_key = cached["patches"], cached["patch_key"]
    return history


def history_preload(*, scan: Scan) -> None:
    """Read the mined history a backfill's scans cut (`_mined_history`, kept for them) ahead of the first one.

    A backfill calls it while its workers analyse the first past revision's files, which that scan
    waits for anyway. A live scan reads nothing ahead.
    """
    if scan.is_backfill:
        _mined_history(scan)


def _from_first_cache(scan: Scan, repo_path: str, bases: Iterable[dict[str, Any] | None]) -> ScoringHistory | None:
    """The history built on the first of `bases` (cached histories, None for a missing one) that applies."""
    for base in bases:
        history = _from_cache(scan, repo_path, base) if base else None
        if history is not None:
            return history
    return None


def _from_scratch(scan: Scan, repo_path: str) -> ScoringHistory:
    # git lists the ancestry on a thread while the database rows load.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="scoring-git") as executor:
        ancestry = executor.submit(rev_list, repo_path, scan.commit_sha)
        rows, changes = _mined_history(scan)
        position = {sha: index for index, sha in enumerate(ancestry.result())}
    ancestors = sorted((row for row in rows if row[1] in position), key=lambda row: position[row[1]])
    commits, hidden, _tracker = _follow(ancestors, changes, scan.committed_at)
    return ScoringHistory(commits=commits, hidden=hidden, new_commits=len(ancestors))


def _mined_history(scan: Scan) -> tuple[list[tuple], dict[int, list[tuple[str, str, int, int]]]]:
    """Every mined commit of the scan's repository and the files each changed.

    A backfill's scans are each a cut of the same mined history: within its block the rows are read once
    (`scoring_memo.mined_history`, keyed by the history token, the commit count and the last commit id,
    so newly mined commits read it again). A live scan reads them from the previous scan's cache instead.
    """
    if not scan.is_backfill:
        return _mined_rows_read(scan)
    figures = Commit.objects.filter(repository_id=scan.repository_id).aggregate(count=Count("id"), last=Max("id"))
    key = (scan.repository_id, scan.repository.history_token, figures["count"], figures["last"])
    return mined_history(key, partial(_mined_rows_read, scan))


def _mined_rows_read(scan: Scan) -> tuple[list[tuple], dict[int, list[tuple[str, str, int, int]]]]:
    rows = list(Commit.objects.filter(repository_id=scan.repository_id).values_list(
        "id", "sha", "author_name", "author_email", "authored_at", "is_excluded"))
    return rows, _changes_of(FileChange.objects.filter(repository_id=scan.repository_id))


def _new_commits(scan: Scan, repo_path: str, cached: dict[str, Any]) -> list[str] | None:
    """The commits `scan` sees on top of the cached history, newest first; None when the cache does not apply.

    The cache applies when its commit is an ancestor of the scanned one and it left out no ancestor
    as dated after itself (`hidden`): then every ancestor of the scanned commit that it does not hold
    is new (`git rev-list NEW ^OLD`). A mined commit dated between the two scans that is neither is
    on a branch the scanned commit cannot see (a pull request merged later), and changes nothing.
    """
    old_sha, old_at = cached["commit_sha"], cached["committed_at"]
    if cached["hidden"] or scan.committed_at < old_at:
        return None  # commits left out of the cached history could be visible now
    if old_sha == scan.commit_sha:
        return []
    if is_ancestor(repo_path, old_sha, scan.commit_sha):
        return rev_list(repo_path, scan.commit_sha, exclude=(old_sha,))
    return None


def _from_cache(scan: Scan, repo_path: str, cached: dict[str, Any]) -> ScoringHistory | None:
    new = _new_commits(scan, repo_path, cached)
    if new is None:
        return None
    position = {sha: index for index, sha in enumerate(new)}
    rows, changes = _mined_rows(scan, position) if scan.is_backfill else _stored_rows(scan, new)
    rows.sort(key=lambda row: position[row[1]])
    commits, hidden, tracker = _follow(rows, changes, scan.committed_at)
    older = _renamed([HistoryCommit(*row) for row in cached["commits"]], tracker)  # history_cache_save's order
    return ScoringHistory(commits=commits + older, hidden=hidden, from_cache=True, new_commits=len(rows))


def _stored_rows(scan: Scan, shas: Sequence[str]) -> tuple[list[tuple], dict[int, list[tuple[str, str, int, int]]]]:
    """The mined rows of these commits and the files each changed, from the database."""
    rows: list[tuple] = []
    for chunk in _chunks(shas):
        rows += Commit.objects.filter(repository_id=scan.repository_id, sha__in=chunk).values_list(
            "id", "sha", "author_name", "author_email", "authored_at", "is_excluded")
    changes: dict[int, list[tuple[str, str, int, int]]] = {}
    for ids in _chunks([row[0] for row in rows]):
        changes.update(_changes_of(FileChange.objects.filter(commit_id__in=ids)))
    return rows, changes


def _mined_rows(scan: Scan, shas: dict[str, int]) -> tuple[list[tuple], dict[int, list[tuple[str, str, int, int]]]]:
    """The same as `_stored_rows`, for a backfill scan: from the mined history its backfill read once."""
    rows, changes = _mined_history(scan)
    return [row for row in rows if row[1] in shas], changes


def _renamed(commits: list[HistoryCommit], tracker: RenameTracker) -> list[HistoryCommit]:
    """Older commits with their paths under the names the newer commits' renames gave them."""
    if tracker.has_renames:
        for commit in commits:
            commit.paths = [tracker.current(path) for path in commit.paths]
    return commits


def _changes_of(queryset) -> dict[int, list[tuple[str, str, int, int]]]:
    changes: dict[int, list[tuple[str, str, int, int]]] = defaultdict(list)
    rows = queryset.values_list("commit_id", "path", "old_path", "added", "deleted")
    for commit_id, path, old_path, added, deleted in rows.iterator(chunk_size=20000):
        changes[commit_id].append((path, old_path, added or 0, deleted or 0))
    return changes


def _follow(
    rows: Iterable[tuple], changes: dict[int, list[tuple[str, str, int, int]]], reference: datetime
) -> tuple[list[HistoryCommit], int, RenameTracker]:
    """Commits (rows newest first) dated no later than `reference`, named through renames; and how many were not."""
    tracker = RenameTracker()
    commits, hidden = [], 0
    intern = sys.intern
    for commit_id, sha, author, email, authored_at, excluded in rows:
        if authored_at > reference:
            hidden += 1
            continue
        touched = changes.get(commit_id, ())
        names = tracker.follow([(path, old_path) for path, old_path, _added, _deleted in touched])
        commits.append(HistoryCommit(
            sha=sha, author=intern(author), email=intern(email), authored_at=authored_at, excluded=excluded,
            paths=[intern(name) for name in names], lines=[(added, deleted) for _path, _old, added, deleted in touched],
        ))
    return commits, hidden, tracker


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    size = _SHA_CHUNK
    for start in range(0, len(items), size):
        yield items[start:start + size]


def function_hunks(
    *, scan: Scan, repo_path: str, history: ScoringHistory, wanted: set[str], days: int
) -> dict[str, list[tuple[str, list[Hunk]]]]:
    """Each wanted file's -U0 hunks (newest first, as (sha, hunks)) over the function window.

    The window is the visible commits dated within `days` of the scanned commit (all of them for 0).
    Patches come from the cache where it has them; the others from git, by name when they are few,
    else from one ranged `git log -p`. `history.patches` is left holding the window's patches.
    A shallow clone's graft commits count for no function: in the clone their patch adds every file
    they hold (a graft can be a mined commit when the repository was mined from a deeper clone before).
    """
    if not wanted:
        history.patches = {}
        return {}
    since = scan.committed_at - timedelta(days=days) if days else None
    window = [commit for commit in history.commits if since is None or commit.authored_at >= since]
    extra = tuple(sorted(path for path in wanted if not path.endswith(".py")))
    history.patches_reused = history.patch_key == extra
    patches = _window_patches(scan, repo_path, history if history.patches_reused else None, window, extra, since)
    history.patches, history.patch_key = patches, extra
    boundary = remembered(("shallow", str(repo_path)), partial(shallow_boundary, repo_path))
    return _hunks_by_file(window, patches, wanted, grafts=boundary.commits)


def _window_patches(
    scan: Scan, repo_path: str, cached: ScoringHistory | None, window: list[HistoryCommit], extra: tuple[str, ...],
    since: datetime | None,
) -> dict[str, PatchFiles]:
    """The patches of the window's commits: from the cache (when given) first, the others from git."""
    pathspecs = ["*.py", *(f":(literal){path}" for path in extra)]
    known = cached.cached_patches if cached is not None else {}
    read_before = backfill_patches(repo_path, scan.repository_id, extra, backfill=scan.is_backfill)
    patches = {commit.sha: known.get(commit.sha, read_before.get(commit.sha)) for commit in window
               if commit.sha in known or commit.sha in read_before}
    missing = [commit.sha for commit in window if commit.sha not in patches]
    read = _missing_patches(repo_path, pathspecs, missing, revision=scan.commit_sha, since=since)
    read_before.update(read)
    patches.update(read)
    return patches


def _missing_patches(
    repo_path: str, pathspecs: Sequence[str], missing: list[str], *, revision: str, since: datetime | None
) -> dict[str, PatchFiles]:
    """The patches of `missing` commits from git: one ranged `git log -p` when many, else by name."""
    patches: dict[str, PatchFiles] = {}
    if len(missing) > PATCHES_BY_NAME_LIMIT:
        patches.update(_read_patches(repo_path, pathspecs, revision=revision, since=since, keep=set(missing)))
        missing = [sha for sha in missing if sha not in patches]
    for chunk in _chunks(missing):
        patches.update(_read_patches(repo_path, pathspecs, commits=chunk, keep=set(chunk)))
    for sha in missing:  # merges and commits without a wanted file have no patch
        patches.setdefault(sha, ())
    return patches


def _hunks_by_file(
    window: list[HistoryCommit], patches: dict[str, PatchFiles], wanted: set[str], *, grafts: frozenset[str]
) -> dict[str, list[tuple[str, list[Hunk]]]]:
    """The wanted files' hunks by their names at the scanned revision, newest first; grafts' left out."""
    result: dict[str, list[tuple[str, list[Hunk]]]] = defaultdict(list)
    tracker = RenameTracker()
    for commit in window:
        files = patches[commit.sha]
        if not files:
            continue
        names = tracker.follow([(path, old_path) for path, old_path, _hunks in files])
        if commit.sha in grafts:  # its names are followed all the same; a graft renames nothing
            continue
        for (_path, _old, hunks), name in zip(files, names):
            if name in wanted:
                result[name].append((commit.sha, [Hunk(*hunk) for hunk in hunks]))
    return result


def _read_patches(
    repo_path: str, pathspecs: Sequence[str], *, keep: set[str], revision: str = "", since: datetime | None = None,
    commits: Sequence[str] = (),
) -> dict[str, PatchFiles]:
    read = {}
    for diff in iter_hunks(repo_path, revision, since=since, pathspecs=pathspecs, commits=commits):
        if diff.sha in keep:
            read[diff.sha] = tuple(
                (item.path, item.old_path,
                 tuple((h.old_start, h.old_count, h.new_start, h.new_count) for h in item.hunks))
                for item in diff.files
            )
    return read


def _cache_folder() -> Path:
    return data_dir().joinpath(*CACHE_FOLDER)


def _cache_file(repository: Repository) -> Path:
    return _cache_folder() / f"{repository.pk}-{repository.history_token}.pickle"


def history_cache_save(*, scan: Scan, history: ScoringHistory) -> None:
    """Keep `scan`'s visible history and window patches for the repository's next scans.

    Never in the file for a backfill scan: it is kept in memory for the backfill's next scan. Not when
    this scan built on the cache with few new commits and the same pathspecs (the next scan builds on
    the same cache).
    """
    if scan.is_backfill:
        earlier_history_keep(_memo_key(scan), _cache_data(scan, history))
        return
    if history.from_cache and history.patches_reused and history.new_commits <= CACHE_REWRITE_AFTER:
        return
    target = _cache_file(scan.repository)
    data = _cache_data(scan, history)
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        history_cache_discard(repository_id=scan.repository_id, keep=target)  # another history token's
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pickle")
        temporary = Path(name)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError as exc:
        logger.warning("Could not keep the scoring history of scan %s: %s", scan.pk, exc)
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _cache_data(scan: Scan, history: ScoringHistory) -> dict[str, Any]:
    """What the cache keeps of a scan's visible history: everything `_from_cache` builds the next scan on."""
    return {
        "version": CACHE_VERSION, "repository": scan.repository_id, "token": scan.repository.history_token,
        "commit_sha": scan.commit_sha, "committed_at": scan.committed_at, "hidden": history.hidden,
        "commits": [
            (c.sha, c.author, c.email, c.authored_at, c.excluded, c.paths, c.lines) for c in history.commits
        ],
        "patches": history.patches, "patch_key": history.patch_key,
    }


def _memo_key(scan: Scan) -> tuple[int, str]:
    """Whose history a backfill scan keeps for the next: its repository's, as mined under this token."""
    return scan.repository_id, scan.repository.history_token


def history_cache_discard(*, repository_id: int, keep: Path | None = None) -> None:
    """Forget a repository's history cache files (all when it is deleted; all but `keep` when one is written)."""
    for path in _cache_folder().glob(f"{int(repository_id)}-*.pickle"):
        if path != keep:
            path.unlink(missing_ok=True)


def _cache_read(repository: Repository, *, keep: bool = False) -> dict[str, Any] | None:
    """The repository's history cache, or None; with `keep` (backfill scans) the file is unpickled once."""
    path = _cache_file(repository)
    try:
        data = unpickled(path, keep=keep)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a torn or foreign file is ignored: the history is built from scratch
        logger.warning("Ignoring the scoring history cache %s: %s", path, exc)
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("repository") != repository.pk \
            or data.get("token") != repository.history_token:
        return None
    return data
