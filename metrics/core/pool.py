"""Analyse many blobs on every core: a pebble process pool, batches of files, one time limit per file.

- Files travel in batches (a few dozen per task) so inter-process traffic stays small; inside the
  worker each file runs under its own `time_limit`, so one slow file costs only itself.
- Every task also has a hard limit. A batch that overruns it (a C call that never returns) or whose
  worker dies (a crash, the OOM killer) is re-run one file per task: the other files lose nothing,
  and the culprit is recorded as `timeout` or `worker_died`.
- A daemonic process (a Celery prefork child, a multiprocessing worker) may not start children, so
  there the files are analysed in-process, still with a time limit each.
"""
import itertools
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Sized

from pebble import ProcessExpired, ProcessPool

from metrics.core import pool_context
from metrics.core.analysis import FLAKE8, AnalysisConfig, FileAnalysis, analyze_source
from metrics.core.time_limits import FileTimeout, time_limit
from metrics.core.lint import linter_for

logger = logging.getLogger(__name__)

Analyzer = Callable[[str, bytes, AnalysisConfig], FileAnalysis]
Item = tuple[str, str, bytes]  # path, blob id, content
Progress = Callable[[int, int], None]

BATCH_FILES = 8
BATCH_BYTES = 512 * 1024
# Time for a task beyond its files' time limits: unpickling, the first flake8 set-up in a fresh worker.
TASK_SLACK_SECONDS = 15.0
IN_FLIGHT_PER_WORKER = 8  # queued work keeps the workers busy while this process writes to the database
MAX_POOL_RESTARTS = 1


def worker_count(workers: int | None) -> int:
    """The number of processes to use: `workers`, or one per CPU when it is 0 or None."""
    if workers:
        return max(1, workers)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def can_start_processes() -> bool:
    """False inside a daemonic process, which multiprocessing forbids to have children."""
    return not multiprocessing.current_process().daemon


def analyze_within_time_limit(path: str, source: bytes, config: AnalysisConfig, analyzer: Analyzer) -> FileAnalysis:
    """Run `analyzer` on one file under the configured time limit; never raises for the file's sake."""
    seconds = config.file_timeout_seconds
    try:
        with time_limit(seconds):
            return analyzer(path, source, config)
    except FileTimeout:
        linter_for.cache_clear()  # an interrupted flake8 run may have left its state half-way
        return FileAnalysis.failed(
            path, len(source), "timeout", f"analysis ran longer than the {seconds:g} s limit for one file",
            duration_ms=int(seconds * 1000),
        )
    except Exception as exc:  # the analyzer promises not to raise; a broken one still must not stop the run
        return FileAnalysis.failed(path, len(source), "internal", f"{type(exc).__name__}: {exc}")


def _worker_init(niceness: int = 0) -> None:
    # Die at once on SIGTERM (pebble's stop of a task past its hard limit). pebble's own handler is Python
    # code, and a FileTimeout pending from the file's time limit would be raised inside it instead of exiting.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if niceness:  # work in the background of the process that started the pool (metrics.core.shared_pool)
        os.nice(niceness)


def analyze_batch(batch: list[Item], config: AnalysisConfig, analyzer: Analyzer) -> list[tuple[str, FileAnalysis]]:
    """Analyse a batch of files in this process (the pool's task), each under its own time limit."""
    if config.lint_engine == FLAKE8:
        linter_for(tuple(config.flake8_argv()))  # set flake8 up before any time limit starts ticking
    return [(sha, analyze_within_time_limit(path, data, config, analyzer)) for path, sha, data in batch]


def _batches(items: Iterator[Item]) -> Iterator[list[Item]]:
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item[2])
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _unique(items: Iterable[Item], config: AnalysisConfig) -> Iterator[Item]:
    # One analysis per blob and variant (a blob seen as an __init__.py, or under other per-file lint
    # settings, is analysed as such too).
    seen: set[tuple[str, str]] = set()
    for path, sha, data in items:
        key = (sha, config.fingerprint_for(path))
        if key not in seen:
            seen.add(key)
            yield path, sha, data


def _mp_context() -> multiprocessing.context.BaseContext:
    # forkserver: workers are forked from a clean server process, not from this one (which may hold
    # threads, database connections and locks that fork would copy). spawn where it is missing.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The server imports radon and flake8 once (every worker forked from it starts warm) and skips the
    # interpreter's teardown when it ends (metrics.core.pool_server).
    context.set_forkserver_preload(["metrics.core.pool_server"])
    return context


def start_server() -> None:
    """Start the pool's server process now, without waiting for it (nothing where processes come from spawn).

    The first pool of a process waits for its server to import the analysis (radon, flake8: about a
    fifth of a second on a slow machine) before it forks a worker. A command that will analyse starts
    the server first thing, so that the import runs on another core while the command sets Django up.
    """
    if can_start_processes() and _mp_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def analyze_blobs(
    items: Iterable[Item],
    config: AnalysisConfig,
    *,
    workers: int | None = 0,
    progress: Progress | None = None,
    total: int | None = None,
    analyzer: Analyzer = analyze_source,
    task_slack: float = TASK_SLACK_SECONDS,
) -> Iterator[tuple[str, FileAnalysis]]:
    """Analyse (path, blob id, content) items on `workers` processes; yield (blob id, analysis) as done.

    `items` may be a lazy iterable (contents are read as the pool asks for work). Results come in
    completion order, one per distinct blob (and __init__.py variant). `progress(done, total)` is called
    in this process after each finished task; `total` defaults to len(items) when it has one.
    `analyzer` is the per-file function, a module-level callable (tests inject faulty ones);
    `task_slack` is the time a task gets beyond its files' time limits before its worker is killed.
    """
    if total is None and isinstance(items, Sized):
        total = len(items)
    unique = _unique(items, config)
    count = worker_count(workers)
    if not can_start_processes():
        logger.info("daemonic process: analysing in-process, one time limit per file")
        return _analyze_inline(unique, config, progress, total, analyzer)
    return _analyze_pooled(unique, config, count, progress, total, analyzer, task_slack)


def _analyze_inline(
    items: Iterator[Item],
    config: AnalysisConfig,
    progress: Progress | None,
    total: int | None,
    analyzer: Analyzer,
    *,
    done: int = 0,
) -> Iterator[tuple[str, FileAnalysis]]:
    if config.lint_engine == FLAKE8:
        linter_for(tuple(config.flake8_argv()))
    for path, sha, data in items:
        yield sha, analyze_within_time_limit(path, data, config, analyzer)
        done += 1
        _report(progress, done, total)


def _report(progress: Progress | None, done: int, total: int | None) -> None:
    """Tell `progress` how many files are done, out of a total never below that."""
    if progress is not None:
        progress(done, max(done, total or 0))


def _failure(item: Item, exc: BaseException, config: AnalysisConfig, limit: float) -> FileAnalysis:
    path, _sha, data = item
    if isinstance(exc, FutureTimeout):
        return FileAnalysis.failed(
            path, len(data), "timeout", f"the analysis process was stopped after {limit:g} s",
            duration_ms=int(limit * 1000),
        )
    if isinstance(exc, ProcessExpired):
        return FileAnalysis.failed(
            path, len(data), "worker_died", f"the analysis process died (exit code {exc.exitcode})",
        )
    return FileAnalysis.failed(path, len(data), "pool_failed", f"{type(exc).__name__}: {exc}")


def new_pool(workers: int, *, niceness: int = 0) -> ProcessPool:
    """A process pool of `workers` analysis processes, forked from a warm server, `niceness` lower in priority."""
    return ProcessPool(max_workers=workers, initializer=_worker_init, initargs=(niceness,), context=_mp_context())


class _PooledRun:
    """One pooled analysis: the pool, the work in flight and the work waiting to run (again)."""

    def __init__(
        self, batches: Iterator[list[Item]], config: AnalysisConfig, workers: int, analyzer: Analyzer, slack: float
    ) -> None:
        self.batches = batches
        self.slack = slack
        self.config = config
        self.workers = workers
        self.analyzer = analyzer
        self.queue: list[list[Item]] = []  # failed work to run again, before new batches
        self.in_flight: dict[Future, tuple[list[Item], float]] = {}
        self.restarts = 0
        self.kept = pool_context.kept()  # a shared pool (metrics.core.shared_pool), or None
        self.pool = self._acquire()

    def fill(self) -> bool:
        """Keep a few tasks per worker in flight; True when the pool refused work (it is broken)."""
        while len(self.in_flight) < self.workers * IN_FLIGHT_PER_WORKER:
            batch = self.queue.pop() if self.queue else next(self.batches, None)
            if batch is None:
                return False
            limit = self.config.file_timeout_seconds * len(batch) + self.slack
            try:
                future = self.pool.schedule(analyze_batch, args=(batch, self.config, self.analyzer), timeout=limit)
            except RuntimeError:  # pebble: "Unexpected error within the Pool"
                self.queue.append(batch)
                return True
            self.in_flight[future] = (batch, limit)
        return False

    def collect(self) -> tuple[list[tuple[str, FileAnalysis]], bool]:
        """Wait for finished tasks; return their results and whether the pool broke."""
        results: list[tuple[str, FileAnalysis]] = []
        broken = False
        for future in wait(list(self.in_flight), return_when=FIRST_COMPLETED)[0]:
            batch, limit = self.in_flight.pop(future)
            try:
                results.extend(future.result())
            except BrokenProcessPool:
                broken = True
                self.queue.append(batch)
            except Exception as exc:  # timeout, dead worker, unpicklable result: isolate the file
                if len(batch) > 1:
                    logger.warning("a batch of %d files failed (%r); re-running them one by one", len(batch), exc)
                    self.queue.extend([item] for item in batch)
                else:
                    results.append((batch[0][1], _failure(batch[0], exc, self.config, limit)))
        return results, broken

    def restart(self) -> bool:
        """Replace a broken pool, keeping its lost work queued; False once restarts are used up."""
        self.queue.extend(batch for batch, _ in self.in_flight.values())
        self.in_flight.clear()
        self.stop(cleanly=False)
        self.restarts += 1
        if self.restarts > MAX_POOL_RESTARTS:
            return False
        logger.warning("the process pool broke; starting a new one")
        self.pool = self._acquire()
        return True

    def _acquire(self) -> ProcessPool:
        """The pool to run on: the shared pool of a `shared_pool` block (started or replaced as needed), or a
        new one of this run's own."""
        return self.kept.take(self.workers) if self.kept is not None else new_pool(self.workers)

    def remaining(self) -> Iterator[Item]:
        """Every file not analysed yet, for the in-process fallback."""
        queued, self.queue = self.queue, []
        return itertools.chain(itertools.chain.from_iterable(queued), itertools.chain.from_iterable(self.batches))

    def stop(self, *, cleanly: bool) -> None:
        if self.kept is not None:  # a shared pool stays open after a clean run, for the next analysis
            if not cleanly:
                self.kept.discard()
            return
        if cleanly:
            self.pool.close()
        else:  # don't wait for queued work
            self.pool.stop()
        self.pool.join()


def _analyze_pooled(
    items: Iterator[Item],
    config: AnalysisConfig,
    workers: int,
    progress: Progress | None,
    total: int | None,
    analyzer: Analyzer,
    slack: float,
) -> Iterator[tuple[str, FileAnalysis]]:
    run = _PooledRun(_batches(items), config, workers, analyzer, slack)
    done = 0
    stopped_cleanly = False
    try:
        while True:
            broken = run.fill()
            if not run.in_flight and not broken:
                break
            if run.in_flight:
                results, broke_now = run.collect()
                broken = broken or broke_now
                yield from results
                done += len(results)
                if results:
                    _report(progress, done, total)
            if broken and not run.restart():
                logger.error("the process pool broke %d times: analysing the rest in-process", run.restarts)
                yield from _analyze_inline(run.remaining(), config, progress, total, analyzer, done=done)
                return
        stopped_cleanly = True
    finally:
        if run.restarts <= MAX_POOL_RESTARTS:
            run.stop(cleanly=stopped_cleanly)
