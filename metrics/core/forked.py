"""A pure computation on a second core: run it in a forked child while this process does other work.

Scoring uses it to work out the file-side scores (measures, coupling, rows) in a child while the parent
counts function changes and stores function scores; the child sees the parent's memory as it was at the
fork (copy-on-write), so nothing is serialised on the way in. The computation is a generator: each value
it yields is a stage the parent can collect (and store) while the child works on the next one; values
come back pickled through temporary files, announced one byte each on a pipe.

Safe because the child does so little: it runs already-imported, pure-Python code on objects it
inherited, allocates, pickles its results to files and leaves with `os._exit` — no imports, database,
logging, threads or interpreter shutdown, so no lock another thread held at the fork can be waited on
(the reason CPython warns about forking a multi-threaded process, a warning silenced here for that
reason). Where `os.fork` is missing, or when it is turned off, or when the child fails for any reason
(killed, out of memory, an exception), the stages not received yet are computed in this process
instead: the results are the same, only slower.
"""
import logging
import os
import pickle
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from typing import Any

logger = logging.getLogger(__name__)


def can_fork() -> bool:
    """Whether this platform forks cheaply and safely enough (Linux)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class Forked:
    """`stages()` (a generator) started in a forked child at construction; `next()` collects its values in order.

    Use as a context manager, so a child is reaped even when the parent's own work fails.
    """

    def __init__(self, stages: Callable[[], Iterator[Any]], *, enabled: bool = True) -> None:
        self._stages = stages
        self._pid: int | None = None
        self._folder = ""
        self._notices = -1
        self._received = 0
        self._local: Iterator[Any] | None = None
        self.in_child = False  # every value collected so far came from the child
        if enabled and can_fork():
            self._start()

    def _start(self) -> None:
        self._folder = tempfile.mkdtemp(prefix="debtboard-forked-")
        notices, announce = os.pipe()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: compute, write, leave without any cleanup of the parent's state
            code = 1
            try:
                os.close(notices)
                for index, value in enumerate(self._stages()):
                    with open(self._part(index), "wb") as handle:
                        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                    os.write(announce, b".")
                code = 0
            finally:
                os._exit(code)
        os.close(announce)
        self._pid, self._notices = pid, notices
        self.in_child = True

    def _part(self, index: int) -> str:
        return os.path.join(self._folder, f"{index}.pickle")

    def next(self) -> Any:
        """The computation's next value: the child's when it delivered it, else computed in this process."""
        if self._pid is not None:
            announced = os.read(self._notices, 1)
            if announced:
                try:
                    with open(self._part(self._received), "rb") as handle:
                        value = pickle.load(handle)
                    self._received += 1
                    return value
                except (OSError, EOFError, pickle.UnpicklingError) as exc:
                    logger.warning("a forked result is unreadable (%s); computing the rest in-process", exc)
            else:
                logger.warning("the forked computation stopped early; computing the rest in-process")
            self.close()
        if self._local is None:  # resume in-process after the values already received
            self.in_child = False
            self._local = self._stages()
            for _skipped in range(self._received):
                next(self._local)
        self._received += 1
        return next(self._local)

    def close(self) -> None:
        """Reap the child (stopping it when its values are no longer wanted) and remove its files."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.close(self._notices)
            for name in os.listdir(self._folder):
                os.unlink(os.path.join(self._folder, name))
            os.rmdir(self._folder)

    def __enter__(self) -> "Forked":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
