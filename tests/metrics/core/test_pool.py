"""The analysis pool: every hostile file is its own recorded error, the rest of the run goes on."""
import multiprocessing
import os
import time

import pytest

from metrics.core.analysis import AnalysisConfig, FileAnalysis, analyze_source
from metrics.core.time_limits import FileTimeout, time_limit
from metrics.core.pool import analyze_blobs, can_start_processes, worker_count
from tests.hostile_files import HOSTILE, SLOW

FAST = AnalysisConfig(file_timeout_seconds=0.5, max_file_bytes=200_000)
GOOD = b"import os\n\n\ndef f(x):\n    if x:\n        return os.sep\n    return ''\n"


def sha(index: int) -> str:
    return f"{index:040x}"


def items_with_neighbours() -> list[tuple[str, str, bytes]]:
    items = []
    for index, (path, (data, _)) in enumerate(HOSTILE.items()):
        items.append((path, sha(2 * index), data))
        items.append((f"ok_{path}", sha(2 * index + 1), GOOD + f"# {index}\n".encode()))
    return items


def assert_good(analysis: FileAnalysis) -> None:
    assert analysis.ok, analysis.error
    assert [(f.qualname, f.complexity) for f in analysis.functions] == [("f", 2)]
    assert analysis.violations == () and analysis.sloc == 5


# Faulty analyzers, module-level so worker processes can import them.
def exit_on_crash_marker(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    if b"CRASH" in source:
        os._exit(3)
    return analyze_source(path, source, config)


def hang_in_c_on_marker(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    if b"HANG" in source:
        time.sleep(60)  # blocked in C: the time limit cannot interrupt it, the pool's hard limit must
    return analyze_source(path, source, config)


def spin_on_marker(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    while b"SPIN" in source:
        pass
    return analyze_source(path, source, config)


@pytest.mark.parametrize("workers", [1, 2])
def test_hostile_files_beside_good_ones(workers):
    results = dict(analyze_blobs(items_with_neighbours(), FAST, workers=workers))
    assert len(results) == 2 * len(HOSTILE)
    for index, (path, (_, kind)) in enumerate(HOSTILE.items()):
        analysis = results[sha(2 * index)]
        assert (analysis.path, analysis.status, analysis.error_kind) == (path, "error", kind), analysis.error
        assert_good(results[sha(2 * index + 1)])


def test_a_dead_worker_loses_only_its_file():
    items = [(f"m{i}.py", sha(i), GOOD) for i in range(10)] + [("crash.py", sha(99), b"CRASH = 1\n")]
    results = dict(analyze_blobs(items, FAST, workers=2, analyzer=exit_on_crash_marker))
    assert results[sha(99)].error_kind == "worker_died"
    assert "exit code 3" in results[sha(99)].error
    for i in range(10):
        assert_good(results[sha(i)])


def test_a_file_stuck_in_c_code_is_killed_by_the_hard_limit():
    config = AnalysisConfig(file_timeout_seconds=0.3)
    items = [("hang.py", sha(1), b"HANG = 1\n"), ("a.py", sha(2), GOOD), ("b.py", sha(3), GOOD)]
    started = time.monotonic()
    results = dict(analyze_blobs(items, config, workers=2, analyzer=hang_in_c_on_marker, task_slack=1.0))
    assert results[sha(1)].error_kind == "timeout"
    assert_good(results[sha(2)])
    assert_good(results[sha(3)])
    assert time.monotonic() - started < 20


def test_a_spinning_file_is_stopped_by_its_time_limit_inside_the_worker():
    config = AnalysisConfig(file_timeout_seconds=0.5)
    items = [("spin.py", sha(1), b"SPIN = 1\n"), ("a.py", sha(2), GOOD)]
    results = dict(analyze_blobs(items, config, workers=1, analyzer=spin_on_marker))
    assert (results[sha(1)].error_kind, results[sha(1)].error) == (
        "timeout", "analysis ran longer than the 0.5 s limit for one file"
    )
    assert_good(results[sha(2)])


def test_progress_and_deduplication():
    calls: list[tuple[int, int]] = []
    items = [("a.py", sha(1), GOOD), ("b.py", sha(1), GOOD), ("pkg/__init__.py", sha(1), GOOD), ("c.py", sha(2), GOOD)]
    results = list(analyze_blobs(items, FAST, workers=2, progress=lambda done, total: calls.append((done, total))))
    # One analysis per blob, plus the __init__.py variant (pyflakes reads that file name).
    assert sorted((blob, analysis.path) for blob, analysis in results) == [
        (sha(1), "a.py"), (sha(1), "pkg/__init__.py"), (sha(2), "c.py"),
    ]
    assert calls[-1][0] == 3 and all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))


def test_lazy_items_are_consumed_as_the_pool_asks():
    def generate():
        for i in range(40):
            yield f"m{i}.py", sha(i), GOOD + f"# {i}\n".encode()

    results = dict(analyze_blobs(generate(), FAST, workers=2))
    assert len(results) == 40 and all(a.ok for a in results.values())


def _analyse_in_daemon(queue: "multiprocessing.Queue") -> None:
    assert multiprocessing.current_process().daemon
    config = AnalysisConfig(file_timeout_seconds=0.5)
    items = [("slow.py", sha(1), SLOW), ("a.py", sha(2), GOOD), ("deep.py", sha(3), HOSTILE["deep.py"][0])]
    queue.put((can_start_processes(), [(blob, a.status, a.error_kind, a.loc) for blob, a in
                                       analyze_blobs(items, config, workers=2)]))


def test_a_daemonic_process_analyses_in_process_with_time_limits():
    # A Celery prefork child is daemonic: multiprocessing forbids it children, so no pool there.
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_analyse_in_daemon, args=(queue,), daemon=True)
    process.start()
    can_fork, results = queue.get(timeout=60)
    process.join(timeout=10)
    assert can_fork is False
    assert sorted(results) == [
        (sha(1), "error", "timeout", 0), (sha(2), "ok", "", 7), (sha(3), "error", "recursion", 0),
    ]


def test_worker_count():
    assert worker_count(3) == 3
    assert worker_count(0) == worker_count(None) >= 1


def test_time_limit_interrupts_python_code_and_leaves_nothing_behind():
    started = time.monotonic()
    with pytest.raises(FileTimeout):
        with time_limit(0.2):
            while True:
                pass
    assert 0.15 < time.monotonic() - started < 2
    for _ in range(200):  # time limits that end just in time never leak an exception afterwards
        try:
            with time_limit(0.001):
                sum(range(20_000))
        except FileTimeout:
            pass
    time.sleep(0.05)
    assert sum(range(1000)) == 499500
