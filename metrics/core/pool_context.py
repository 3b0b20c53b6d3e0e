"""Where a thread's shared analysis pool is kept while a `shared_pool` block runs (metrics.core.shared_pool).

A module of its own so that metrics.core.pool, whose pooled runs borrow the shared pool, and
metrics.core.shared_pool, which starts and stops it, need not import each other.
"""
import threading
from typing import Any

_current = threading.local()


def kept() -> Any:
    """This thread's shared pool (a metrics.core.shared_pool.KeptPool), or None outside a `shared_pool` block."""
    return getattr(_current, "pool", None)


def keep(pool: Any) -> None:
    """Make `pool` this thread's shared pool (None: no shared pool any more)."""
    _current.pool = pool
