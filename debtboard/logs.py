"""Log lines as JSON (DJANGO_LOG_FORMAT=json), and the scan a line belongs to on every line emitted during a scan.

`scan_logging(scan_id=…, repository=…)` (entered by the scan runner) sets a context variable; the
`ScanContextFilter` on the console handler copies it onto every record, whatever logger emitted it (git,
analysis, scoring, the debt register's after-scan step), so the fields are there in either format.
"""
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

_scan: ContextVar[tuple[int, str] | None] = ContextVar("debtboard_scan", default=None)


@contextmanager
def scan_logging(*, scan_id: int, repository: str) -> Iterator[None]:
    """Tag every log line emitted inside the block (in this thread or task) with the scan and its repository."""
    token = _scan.set((scan_id, repository))
    try:
        yield
    finally:
        _scan.reset(token)


class ScanContextFilter(logging.Filter):
    """Adds `scan_id` and `repository` to each record: the running scan's, or None outside a scan."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _scan.get()
        record.scan_id, record.repository = current if current is not None else (None, None)
        return True


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, process, scan_id, repository (+ any extra)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d %(scan_id)s "
                                 "%(repository)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)
