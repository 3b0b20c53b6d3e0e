"""What a backfill's scans keep for each other, for the length of its block (docs/scanning.md, "Backfill").

A backfill scans its past revisions one after another, oldest first, inside `scan_backfill_running`,
whose `metrics.core.block_memo.memo_block` holds everything here and lets it go when the block ends: the
scoring history cache file (unpickled once), the function windows' patches read from git (weekly windows
overlap almost entirely), the mined history (read once, each past revision a cut of it) and the visible
history of the scan before (the next past revision builds on it as a live scan builds on the cache file).
A live scan keeps nothing, and neither does a backfill scan run outside a block: a long-lived worker
must not hold a repository's history.
"""
import pickle
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from metrics.core.block_memo import remembered

T = TypeVar("T")


def unpickled(path: Path, *, keep: bool) -> Any:
    """The unpickled content of debtboard's own cache file `path`; with `keep`, unpickled once per identity.

    Its identity (path, inode, size, mtime) changes when a live scan rewrites it (a new file).
    """
    if not keep:
        return _load(path)
    stat = path.stat()
    return remembered(("unpickled", str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns), partial(_load, path))


def _load(path: Path) -> Any:
    with path.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 - debtboard's own file in its private data directory


def backfill_patches(repo_path: str, repository_id: int, extra: tuple[str, ...], *, backfill: bool) -> dict:
    """The patches earlier scans of this backfill read (add to it); for a live scan a throw-away dict."""
    if not backfill:
        return {}
    return remembered(("patches", repo_path, repository_id, extra), dict)


def mined_history(key: tuple, load: Callable[[], T]) -> T:
    """A backfill's mined history, `load()`ed once per `key` (repository, history token, commits mined)."""
    return remembered(("mined", *key), load)


def earlier_history(key: tuple, *, backfill: bool) -> dict[str, Any] | None:
    """The history the backfill's scan before kept under `key` (`earlier_history_keep`), or None."""
    return _earlier().get(key) if backfill else None


def earlier_history_keep(key: tuple, data: dict[str, Any]) -> None:
    """Keep a backfill scan's visible history (the cache file's format) for the backfill's next scan."""
    kept = _earlier()
    kept.clear()  # one history at a time: the last past revision's
    kept[key] = data


def _earlier() -> dict[tuple, dict[str, Any]]:
    # The block's one slot (a new, forgotten dict each time outside a block).
    return remembered(("earlier history",), dict)
