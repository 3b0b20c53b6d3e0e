"""Answers derived from a repository's current scan, cached under a key made of that scan (docs/operations.md).

A finished scan changes the repository's current scan, so its answers get new keys: nothing is ever purged,
old entries expire (DEBTBOARD_CACHE_TIMEOUT) or are evicted. Callers check the user's access to the
repository before they ask (a cached answer is never a way around the permission check), and they cache only
what is the same for every user who may read the repository: rows, figures, chart data, never a page's
navigation, forms or anything else that names the user.
"""
import hashlib
import logging
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

from debtboard.monitoring import ANSWER_CACHE_LOOKUPS

T = TypeVar("T")
logger = logging.getLogger(__name__)
_MISSING = object()

# Raised with the layout of what is cached: a new release never reads entries an older one wrote.
FORMAT = 1


def scan_cache_key(*, scan: Any, part: str, params: Any) -> str:
    """The key of `part` (e.g. "ranking.files") of `scan` for the caller's parameters (any JSON-able value)."""
    finished = scan.finished_at.timestamp() if scan.finished_at else 0
    # The scan's id and end time: a database restored from a backup may hand out an id a second time.
    material = json.dumps([FORMAT, scan.pk, finished, part, params], sort_keys=True, default=str)
    return f"scan:{scan.pk}:{part}:{hashlib.sha256(material.encode()).hexdigest()[:32]}"


def scan_cached(*, scan: Any, part: str, params: Any, compute: Callable[[], T]) -> T:
    """Return `compute()` for `scan`, cached; with no scan (or DEBTBOARD_ANSWER_CACHE off), compute every time."""
    if scan is None or not settings.DEBTBOARD_ANSWER_CACHE:
        return compute()
    key = scan_cache_key(scan=scan, part=part, params=params)
    try:
        value = cache.get(key, _MISSING)
    except Exception as exc:  # the cache server is down: answer from the database (/healthz names the cache)
        logger.warning("Cache unavailable, %s computed uncached: %s", part, exc)
        ANSWER_CACHE_LOOKUPS.labels(part=part, result="error").inc()
        return compute()
    ANSWER_CACHE_LOOKUPS.labels(part=part, result="miss" if value is _MISSING else "hit").inc()
    if value is _MISSING:
        value = compute()
        try:
            cache.set(key, value, timeout=settings.DEBTBOARD_CACHE_TIMEOUT)
        except Exception as exc:
            logger.warning("Cache unavailable, %s not stored: %s", part, exc)
    return value
