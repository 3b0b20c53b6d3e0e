"""One analysis pool for many analyses in a row, and analyses started ahead of the scans that need them.

A backfill scans its past revisions one after another, each with a few files not in the cache:
starting and stopping a pool for each costs more than their analysis. Within `shared_pool()` every
pooled analysis of the thread (metrics.core.pool) borrows one pool, and `prefetch` starts files on it
that a later scan takes with `take_prefetched`, so the workers analyse while this process scores.
"""
import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, as_completed
from contextlib import contextmanager

from pebble import ProcessPool

from metrics.core import pool_context
from metrics.core.analysis import AnalysisConfig, FileAnalysis, analyze_source
from metrics.core.pool import (
    TASK_SLACK_SECONDS,
    Analyzer,
    Item,
    analyze_batch,
    can_start_processes,
    new_pool,
    worker_count,
)

logger = logging.getLogger(__name__)

Key = tuple[str, str]  # blob id, analysis fingerprint: the cache key of one analysis
# How much lower the shared pool's workers run than the process that started them. They work ahead, on
# every core, while that process scores one past revision after another: it keeps its core when it has
# work, and the workers take it whenever it waits for them (flask's 16 past revisions, three interleaved
# runs on a slow machine: 11.4-13.2 s with one worker at normal priority, 9.0-10.4 s with two niced).
BACKGROUND_NICENESS = 10


class KeptPool:
    """A pool that outlives one analysis (`shared_pool`): started on first use, stopped when the block ends."""

    def __init__(self) -> None:
        self.pool: ProcessPool | None = None
        self.workers = 0
        self.prefetched: dict[Key, Future] = {}  # analyses started ahead (`prefetch`), not taken yet

    def take(self, workers: int) -> ProcessPool:
        """The kept pool, (re)started when it is gone, broken or has fewer workers than asked for."""
        if self.pool is not None and (self.workers < workers or not self.pool.active):
            self.discard()
        if self.pool is None:
            self.pool, self.workers = new_pool(workers, niceness=BACKGROUND_NICENESS), workers
        return self.pool

    def discard(self) -> None:
        """Stop the pool without waiting for queued work (it broke, or its analysis was abandoned)."""
        self._end(graceful=False)

    def close(self) -> None:
        for future in self.prefetched.values():  # started ahead for a scan that never came to take it
            future.cancel()
        self.prefetched.clear()
        self._end(graceful=True)

    def _end(self, *, graceful: bool) -> None:
        """Stop the pool: gracefully (queued work finishes first) or at once; wait for its processes to exit."""
        if self.pool is not None:
            pool, self.pool = self.pool, None
            if graceful:
                pool.close()
            else:
                pool.stop()
            pool.join()


@contextmanager
def shared_pool() -> Iterator[None]:
    """Within this block, this thread's pooled analyses share one process pool, stopped when the block ends.

    For many small analyses in a row (a backfill's past revisions, each with a few files not in the
    cache): starting and stopping a pool costs more than such an analysis. A nested block uses the
    outer block's pool.
    """
    if pool_context.kept() is not None:
        yield
        return
    kept = KeptPool()
    pool_context.keep(kept)
    finished = False
    try:
        yield
        finished = True
    finally:
        pool_context.keep(None)
        # Left by an exception (a cancelled scan, a failure): what is still queued has no one to take it,
        # so the workers stop at once instead of analysing the rest of a large commit first.
        if finished:
            kept.close()
        else:
            kept.discard()


def can_prefetch() -> bool:
    """Whether `prefetch` can start analyses here: inside a `shared_pool` block, in a process that may fork."""
    return pool_context.kept() is not None and can_start_processes()


def prefetch(
    items: Iterable[tuple[Key, Item]], config: AnalysisConfig, *, workers: int | None = None,
    analyzer: Analyzer = analyze_source, task_slack: float = TASK_SLACK_SECONDS,
) -> int | None:
    """Start analysing (cache key, item) pairs on this thread's shared pool without waiting for them.

    Their results wait in the pool for `take_prefetched`: a backfill starts the analysis of every past
    revision's changed files, then scores revision after revision while the workers analyse. One task
    per file, each under the usual hard limit. Keys already started are not started again. Returns how
    many were started, or None when there is no shared pool (or processes cannot be started here): then
    the caller analyses them itself.
    """
    kept = pool_context.kept()
    if kept is None or not can_start_processes():
        return None
    # A worker on every core, in the background of this process (BACKGROUND_NICENESS).
    pool = kept.take(worker_count(workers))
    started = 0
    for key, item in items:
        if key in kept.prefetched:
            continue
        try:
            future = pool.schedule(analyze_batch, args=([item], config, analyzer),
                                   timeout=config.file_timeout_seconds + task_slack)
        except RuntimeError:  # the pool broke: what was not started is analysed by the scans themselves
            break
        kept.prefetched[key] = future
        started += 1
    return started


def take_prefetched(keys: Iterable[Key]) -> Iterator[tuple[Key, FileAnalysis]]:
    """The analyses `prefetch` started for `keys`, as each finishes (they were started largest first, so
    in another order than asked: the caller stores and counts each as it comes).

    A key that was not started, or whose task failed (a timeout, a dead worker, a broken pool), is left
    out: the caller analyses that file itself, with the usual isolation and recorded errors.
    """
    kept = pool_context.kept()
    if kept is None:
        return
    started = {future: key for key in keys if (future := kept.prefetched.pop(key, None)) is not None}
    for future in as_completed(started):
        try:
            results = future.result()
        except Exception as exc:  # timeout, dead worker, broken pool: analysed again by the caller
            logger.info("an analysis started ahead failed (%r); it is run again", exc)
            continue
        yield started[future], results[0][1]
