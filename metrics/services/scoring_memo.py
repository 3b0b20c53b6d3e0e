"""What a backfill's scans keep between past revisions in one process (docs/scanning.md, "Backfill").

A backfill scans its past revisions one after another, each a cut of the same mined history: the
scoring history cache file it reads and the function windows' patches it reads from git are the same
for the next revision, or nearly. A live scan keeps nothing (a long-lived worker must not hold a
repository's history): it empties these memos.
"""
import pickle
from pathlib import Path
from typing import Any

# The cache file as a backfill's scans last read it, by the file's identity (path, inode, size, mtime):
# only a live scan rewrites it, as a new file, so with a new identity.
_READ: dict[tuple, Any] = {}
# The patches read from git, by repository and pathspecs (a commit's patch never changes; weekly
# revisions' function windows overlap almost entirely).
_PATCHES: dict[tuple, dict[str, tuple]] = {}


def unpickled(path: Path, *, keep: bool) -> Any:
    """The unpickled content of debtboard's own cache file `path`; with `keep`, unpickled once per identity."""
    stat = path.stat()
    identity = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if keep and identity in _READ:
        return _READ[identity]
    _READ.clear()
    with path.open("rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - debtboard's own file in its private data directory
    if keep:
        _READ[identity] = data
    return data


def backfill_patches(repo_path: str, repository_id: int, extra: tuple[str, ...], *, backfill: bool) -> dict:
    """The patches earlier scans of this backfill read (add to it); for a live scan a throw-away dict."""
    if not backfill:
        _PATCHES.clear()
        return {}
    key = (repo_path, repository_id, extra)
    if key not in _PATCHES:
        _PATCHES.clear()
        _PATCHES[key] = {}
    return _PATCHES[key]


def backfill_memos_clear() -> None:
    """Forget the cache file and patches a backfill kept (its block ended), before the worker's next task."""
    # A Celery or embedded worker lives on after the backfill task: without this, the last repository's
    # history and patches would stay in its memory until its next live scan.
    _READ.clear()
    _PATCHES.clear()
