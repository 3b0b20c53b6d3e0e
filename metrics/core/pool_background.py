"""The shared pool as background work: started ahead of the first file, and noticed by whoever would fork.

A backfill (metrics.services.scans.backfill) starts its pool before it lists its first past revision
(`warm_up`), so that the pool's processes and flake8's set-up are ready when the first files come; and
scoring asks `background_busy` before it forks a child for a core the workers hold anyway.
"""
from metrics.core import pool_context
from metrics.core.analysis import AnalysisConfig, analyze_source
from metrics.core.pool import TASK_SLACK_SECONDS, Analyzer, analyze_batch, can_start_processes, worker_count


def warm_up(config: AnalysisConfig, *, workers: int | None = None, analyzer: Analyzer = analyze_source) -> None:
    """Start this thread's shared pool and set the linter up in its workers now, without waiting for them.

    A backfill lists its past revisions before the first analysis can start: started first, the pool's
    processes and flake8's set-up (a third of a second) are ready by the time the first files come.
    Nothing happens without a shared pool (or where processes cannot be started).
    """
    kept = pool_context.kept()
    if kept is None or not can_start_processes():
        return
    pool = kept.take(worker_count(workers))
    for _worker in range(kept.workers):  # an empty batch: only the linter's set-up (metrics.core.pool)
        try:
            pool.schedule(analyze_batch, args=([], config, analyzer), timeout=TASK_SLACK_SECONDS)
        except RuntimeError:  # the pool broke: the analyses start it again or run without it
            return


def background_busy() -> bool:
    """Whether this thread's shared pool has analyses started ahead that are not finished yet.

    Scoring forks a child to use a free core. While the workers analyse a backfill's later revisions
    there is none to count on, and the fork costs more than it saves (flask's 9 past revisions, three
    interleaved runs: 4.4-4.6 s without, 4.8-5.0 s with). Once they have finished (the backfill's last
    revisions, after the workers worked through every changed file) the cores are free again and the
    fork wins, as it does without files to analyse (2.7-3.0 s against 3.1-3.5 s).
    """
    kept = pool_context.kept()
    return kept is not None and any(not future.done() for future in kept.prefetched.values())
