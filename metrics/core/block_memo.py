"""Answers kept for one block of related work, so that the same question asked again costs nothing.

A backfill scans its past revisions one after the other in one thread: each asks git what the one
before asked (is the clone shallow?) or what the block's preparation already asked (which files does
this commit hold?). Within `memo_block()` such an answer, computed through `remembered`, is kept until
the block ends; outside one, `remembered` computes it every time. Only answers that cannot change
while the block runs belong here: the block fetches nothing, and a commit's content never changes.
"""
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_current = threading.local()


@contextmanager
def memo_block() -> Iterator[None]:
    """Keep `remembered` answers of this thread until the block ends (a nested block uses the outer one)."""
    if getattr(_current, "answers", None) is not None:
        yield
        return
    _current.answers = {}
    try:
        yield
    finally:
        _current.answers = None


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, asked once per `key` within a `memo_block` (every time outside one).

    An exception is not kept: the next caller asks again.
    """
    answers = getattr(_current, "answers", None)
    if answers is None:
        return compute()
    if key not in answers:
        answers[key] = compute()
    return answers[key]
