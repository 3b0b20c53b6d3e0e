"""Living with SQLite's one writer: retry a short write that met a lock, hand the lock over between chunks."""
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

ATTEMPTS = 4  # tries in all, the first included
MAX_SECONDS = 5.0  # no new try starts later than this after the first
FIRST_PAUSE = 0.05  # seconds before the second try; doubled before each next one
# SQLite's busy handler polls a waiting writer every 100 ms at most (its sleeps are 1, 2, 5 ... 100 ms).
HANDOVER_SECONDS = 0.1


def is_lock_error(error: BaseException) -> bool:
    """Whether `error` is SQLite's busy answer ("database is locked", "database table is locked")."""
    return isinstance(error, OperationalError) and "is locked" in str(error)


def write_retrying(
    write: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS, attempts: int = ATTEMPTS,
    max_seconds: float = MAX_SECONDS, pause: float = FIRST_PAUSE,
) -> T:
    """Run `write` in a transaction of its own; on a lock error roll it back and run it again, briefly.

    Bounded: at most `attempts` tries, and none starts after `max_seconds` (each try may itself wait
    out the connection's busy timeout). Inside an outer transaction nothing is retried: the outer
    transaction is what would have to run again, so the error goes to its owner.
    """
    if connections[using].in_atomic_block:
        return write()
    deadline = time.monotonic() + max_seconds
    attempt = 1
    while True:
        try:
            with transaction.atomic(using=using):
                return write()
        except OperationalError as error:
            wait = pause * 2 ** (attempt - 1)
            if not is_lock_error(error) or attempt >= attempts or time.monotonic() + wait > deadline:
                raise
            logger.warning("Database locked (try %d of %d): trying again in %.2f s", attempt, attempts, wait)
            time.sleep(wait)
            attempt += 1


def lock_handover(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Pause between two write transactions of a long job so a waiting SQLite writer gets the lock.

    A writer waiting on the lock polls it now and then; a job that begins its next transaction at
    once after a commit takes the lock again before the waiter looks, and starves it for the whole
    job. Only SQLite has the one lock; other databases go straight on.
    """
    if connections[using].vendor == "sqlite":
        time.sleep(HANDOVER_SECONDS)
