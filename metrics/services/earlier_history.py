"""The visible history of a backfill's scan before, kept in memory for the backfill's next scan.

A backfill runs its past revisions oldest first. Each scan keeps its visible history here, in the
scoring history cache file's format (metrics.services.scoring_history), and the next past revision
builds on it as a live scan builds on the cache file: only the commits in between are read, instead of
cutting the whole history again. A live scan forgets it (a long-lived worker must not hold a
repository's history), and so does the end of the backfill's block (`earlier_history_forget`).
"""
from typing import Any

# By repository and history token: one history at a time, the last backfill scan's.
_EARLIER: dict[tuple, dict[str, Any]] = {}


def earlier_history(key: tuple, *, backfill: bool) -> dict[str, Any] | None:
    """The history the backfill's scan before kept under `key` (`earlier_history_keep`), or None.

    A live scan gets None and forgets it.
    """
    if not backfill:
        _EARLIER.clear()
        return None
    return _EARLIER.get(key)


def earlier_history_keep(key: tuple, data: dict[str, Any]) -> None:
    """Keep a backfill scan's visible history (the cache file's format) for the backfill's next scan."""
    _EARLIER.clear()
    _EARLIER[key] = data


def earlier_history_forget() -> None:
    """Forget the kept history (the backfill's block ended)."""
    _EARLIER.clear()
