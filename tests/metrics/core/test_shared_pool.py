"""The shared analysis pool (one pool for many analyses in a row) and analyses started ahead of their scans."""
import os

from metrics.core.analysis import AnalysisConfig, FileAnalysis
from metrics.core.pool import analyze_blobs
from metrics.core.shared_pool import prefetch, shared_pool, take_prefetched
from tests.metrics.core.test_pool import FAST, GOOD, assert_good, exit_on_crash_marker, sha


def report_pid(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    """A faulty analyzer that says which process ran it (in the error text)."""
    return FileAnalysis.failed(path, len(source), "internal", str(os.getpid()))


def _pids(results: dict[str, FileAnalysis]) -> set[int]:
    return {int(analysis.error) for analysis in results.values()}


def _items(first: int, count: int) -> list[tuple[str, str, bytes]]:
    return [(f"m{index}.py", sha(index), GOOD + f"# {index}\n".encode()) for index in range(first, first + count)]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_shared_pool_serves_every_analysis_of_its_block_and_stops_after_it():
    with shared_pool():
        used = [_pids(dict(analyze_blobs(_items(6 * run, 6), FAST, workers=1, analyzer=report_pid)))
                for run in range(3)]
    # One process for the three analyses: the block's pool; each analysis would otherwise start its own.
    assert used[0] == used[1] == used[2] and len(used[0]) == 1
    (worker,) = used[0]
    assert worker != os.getpid()
    assert _gone(worker)  # stopped, and reaped, when the block ended
    alone = _pids(dict(analyze_blobs(_items(0, 6), FAST, workers=1, analyzer=report_pid)))
    assert worker not in alone  # outside a block an analysis has a pool of its own


def test_a_shared_pool_replaces_a_broken_worker_and_the_next_analysis_still_runs():
    crash = [("crash.py", sha(100), b"CRASH = 1\n"), *_items(0, 3)]
    with shared_pool():
        results = dict(analyze_blobs(crash, FAST, workers=2, analyzer=exit_on_crash_marker))
        after = dict(analyze_blobs(_items(3, 3), FAST, workers=2, analyzer=exit_on_crash_marker))
    assert (results[sha(100)].status, results[sha(100)].error_kind) == ("error", "worker_died")
    for analysis in [*(results[sha(index)] for index in range(3)), *after.values()]:
        assert_good(analysis)


def _keyed(items: list[tuple[str, str, bytes]]) -> list[tuple[tuple[str, str], tuple[str, str, bytes]]]:
    return [((sha_, FAST.fingerprint_for(path)), (path, sha_, data)) for path, sha_, data in items]


def test_analyses_started_ahead_are_taken_later_and_a_failed_one_is_left_to_the_caller():
    items = _keyed([("crash.py", sha(100), b"CRASH = 1\n"), *_items(0, 3)])
    assert prefetch(items, FAST, analyzer=exit_on_crash_marker) is None  # no shared pool: nothing started
    with shared_pool():
        assert prefetch(items, FAST, analyzer=exit_on_crash_marker) == 4
        assert prefetch(items, FAST, analyzer=exit_on_crash_marker) == 0  # started once
        taken = dict(take_prefetched([key for key, _ in items]))
        assert list(take_prefetched([key for key, _ in items])) == []  # taken once
    assert items[0][0] not in taken  # its worker died: the caller analyses it, with the usual isolation
    assert sorted(taken) == sorted(key for key, _ in items[1:])
    for analysis in taken.values():
        assert_good(analysis)
