"""A pure computation on a second core: run it in a forked child while this process does other work.

Scoring uses it to work out the file-side scores (measures, coupling, rows) in a child while the parent
counts function changes and stores function scores; the child sees the parent's memory as it was at the
fork (copy-on-write), so nothing is serialised on the way in, and its result comes back pickled through
a temporary file.

Safe because the child does so little: it runs already-imported, pure-Python code on objects it
inherited, allocates, pickles its result to a file and leaves with `os._exit` — no imports, database,
logging, threads or interpreter shutdown, so no lock another thread held at the fork can be waited on
(the reason CPython warns about forking a multi-threaded process, a warning silenced here for that
reason). Where `os.fork` is missing, or when it is turned off, or when the child fails for any reason
(killed, out of memory, an exception), the computation runs in this process instead: the result is the
same, only slower.
"""
import logging
import os
import pickle
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


def can_fork() -> bool:
    """Whether this platform forks cheaply and safely enough (Linux)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class Forked(Generic[T]):
    """`compute()` started in a forked child at construction; `result()` collects it (or computes it here).

    Use as a context manager, so a child is reaped even when the parent's own work fails.
    """

    def __init__(self, compute: Callable[[], T], *, enabled: bool = True) -> None:
        self._compute = compute
        self._pid: int | None = None
        self._path = ""
        self.seconds = 0.0  # the child's own time, or the in-process computation's
        self.in_child = False
        if enabled and can_fork():
            self._start()

    def _start(self) -> None:
        descriptor, self._path = tempfile.mkstemp(prefix="debtboard-forked-", suffix=".pickle")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: compute, write, leave without any cleanup of the parent's state
            code = 1
            try:
                started = time.perf_counter()
                result = self._compute()
                with os.fdopen(descriptor, "wb") as handle:
                    pickle.dump((time.perf_counter() - started, result), handle, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(descriptor)
        self._pid = pid

    def result(self) -> T:
        """The computation's result: the child's when it succeeded, else computed in this process."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            _pid, status = os.waitpid(pid, 0)
            try:
                if os.waitstatus_to_exitcode(status) == 0:
                    with open(self._path, "rb") as handle:
                        self.seconds, value = pickle.load(handle)
                    self.in_child = True
                    return value
                logger.warning("the forked computation failed (status %s); computing it in-process", status)
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                logger.warning("the forked computation's result is unreadable (%s); computing it in-process", exc)
            finally:
                os.unlink(self._path)
        started = time.perf_counter()
        value = self._compute()
        self.seconds = time.perf_counter() - started
        return value

    def close(self) -> None:
        """Stop and reap a child whose result is no longer wanted."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.unlink(self._path)

    def __enter__(self) -> "Forked[T]":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
