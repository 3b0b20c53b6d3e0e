"""The shared pool's workers: started ahead of the first file, and in the background of the scoring process."""
import os

from metrics.core import pool_context
from metrics.core.analysis import AnalysisConfig, FileAnalysis
from metrics.core.pool_background import background_busy, warm_up
from metrics.core.shared_pool import BACKGROUND_NICENESS, prefetch, shared_pool, take_prefetched
from tests.metrics.core.test_pool import FAST
from tests.metrics.core.test_shared_pool import _items


def report_niceness(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    """A faulty analyzer that says how nice its process runs (in the error text)."""
    return FileAnalysis.failed(path, len(source), "internal", str(os.nice(0)))


def test_warm_up_starts_a_worker_per_core_in_the_background_of_this_process():
    with shared_pool():
        warm_up(FAST, workers=2)
        kept = pool_context.kept()
        assert kept.pool is not None and kept.workers == 2  # started before any file came
        items = _items(0, 4)
        assert prefetch([((item[1], "f"), item) for item in items], FAST, workers=2, analyzer=report_niceness) == 4
        nicenesses = {int(analysis.error) for _key, analysis in take_prefetched([(item[1], "f") for item in items])}
    # The workers yield the cores to this process whenever it has work (it scores while they analyse).
    assert nicenesses == {os.nice(0) + BACKGROUND_NICENESS}


def test_warm_up_outside_a_shared_pool_starts_nothing():
    warm_up(FAST, workers=2)
    assert pool_context.kept() is None


def test_background_busy_while_the_shared_pool_runs_and_not_after():
    """Scoring asks this before it forks: a running pool's workers hold the other core.

    Only a started pool counts: a block that has not started one leaves the cores free.
    """
    assert background_busy() is False
    with shared_pool():
        assert background_busy() is False  # a block, but no pool started yet
        warm_up(FAST, workers=1)
        assert background_busy() is True
    assert background_busy() is False
