"""The shared pool as background work (metrics.core.pool_background).

`warm_up` starts the pool's workers, at a lower priority than this process, before the first file comes;
`background_busy` is what scoring asks before it forks a child for the file side: workers analysing ahead
hold the other core, while once their analyses have finished (taken or not), or when a block only warmed
its pool up, the cores are free and the fork wins.
"""
import os
import time

from metrics.core import pool_context
from metrics.core.analysis import AnalysisConfig, FileAnalysis
from metrics.core.pool import Analyzer
from metrics.core.pool_background import background_busy, warm_up
from metrics.core.shared_pool import BACKGROUND_NICENESS, prefetch, shared_pool, take_prefetched
from tests.metrics.core.test_pool import FAST
from tests.metrics.core.test_shared_pool import _items

PATIENT = AnalysisConfig(file_timeout_seconds=120, max_file_bytes=200_000)


def slow_failure(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    """A faulty analyzer that takes `source` seconds (a number) to say so."""
    time.sleep(float(source.decode()))
    return FileAnalysis.failed(path, len(source), "internal", "slow")


def start_ahead(analyzer: Analyzer, source: bytes, *, count: int = 1) -> list[tuple[str, str]]:
    """Start `count` analyses of `source` by `analyzer` on the block's shared pool (one worker); return their
    keys. The files are m0.py, m1.py, ..."""
    keys = [(f"{index:040x}", "ahead") for index in range(count)]
    items = [(key, (f"m{index}.py", key[0], source)) for index, key in enumerate(keys)]
    assert prefetch(items, PATIENT, workers=1, analyzer=analyzer) == count
    return keys


def start_slow(seconds: float, count: int = 1) -> list[tuple[str, str]]:
    """Start `count` analyses of `seconds` each on the block's shared pool (one worker); return their keys."""
    return start_ahead(slow_failure, str(seconds).encode(), count=count)


def test_outside_a_block_or_with_a_warm_pool_only_the_cores_are_free():
    assert background_busy() is False
    with shared_pool():
        assert background_busy() is False  # a block, but no pool started yet
        warm_up(FAST, workers=1)
        assert background_busy() is False  # a warm pool, nothing to analyse
    assert background_busy() is False


def test_busy_while_analyses_started_ahead_run_and_free_once_they_finished_taken_or_not():
    with shared_pool():
        keys = start_slow(0.3, count=2)
        assert background_busy() is True
        for future in list(pool_context.kept().prefetched.values()):
            future.result()
        assert background_busy() is False  # finished, not taken yet
        assert [analysis.error for _key, analysis in take_prefetched(keys)] == ["slow", "slow"]
        assert background_busy() is False


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
