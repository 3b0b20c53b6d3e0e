"""Per-file time limits inside one process: a watchdog thread interrupts the analysing thread.

A time limit raises `FileTimeout` in the thread that armed it once its seconds run out. The exception is
delivered asynchronously (CPython's `PyThreadState_SetAsyncExc`), so it works in any thread, needs no
signal handler (nothing to clobber in a Celery child or a web worker) and costs one shared thread.
It interrupts Python code only: a C call that never returns is not interrupted, which is why the
process pool also gives every task a hard limit and kills a worker that overruns it.
"""
import ctypes
import heapq
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class FileTimeout(BaseException):
    """A file's analysis ran past its time limit.

    A BaseException, like KeyboardInterrupt, so `except Exception` inside radon or flake8 cannot swallow it.
    """


class _Watchdog:
    """One daemon thread serving every armed time limit of the process, earliest deadline first."""

    def __init__(self) -> None:
        # State changes take the C-level lock directly (`with self._lock`): entering it runs no Python
        # frame, so a pending FileTimeout cannot be raised half-way through disarm().
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._heap: list[tuple[float, int]] = []
        self._armed: dict[int, int] = {}  # token -> thread id
        self._fired: set[int] = set()
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> int:
        """Start watching the calling thread for `seconds`; return a token for disarm()."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                # Also after fork: the child inherits this object but not the thread.
                self._thread = threading.Thread(target=self._run, name="debtboard-time-limit", daemon=True)
                self._thread.start()
            token = next(self._tokens)
            self._armed[token] = threading.get_ident()
            heapq.heappush(self._heap, (time.monotonic() + seconds, token))
            self._cond.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Stop watching `token`; True when its time limit had already fired."""
        with self._lock:
            thread_id = self._armed.pop(token, None)
            fired = token in self._fired
            self._fired.discard(token)
            if fired and thread_id is not None:
                # The exception may still be pending, not yet delivered: drop it, the caller raises.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
            return fired

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, token = self._heap[0]
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                heapq.heappop(self._heap)
                self._fired.add(token)
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self._armed[token]), ctypes.py_object(FileTimeout)
                )


_WATCHDOG = _Watchdog()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise FileTimeout in the calling thread if the block runs longer than `seconds` (0: no limit)."""
    if seconds <= 0:
        yield
        return
    token = _WATCHDOG.arm(seconds)
    try:
        yield
    except BaseException:
        _WATCHDOG.disarm(token)
        raise
    if _WATCHDOG.disarm(token):
        raise FileTimeout(f"ran longer than {seconds:g} s")
