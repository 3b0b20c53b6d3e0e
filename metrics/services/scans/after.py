"""The post-scan step: the scan_finished receivers, run once a live scan's results are visible.

By default the step is a background task of its own (`scan_after_task`), queued when the scan becomes
current, so a scan's results are visible, and `debtboard scan` returns, as soon as the scan's stages end.
DEBTBOARD_POST_SCAN=inline runs it in the scan's own process instead; both run `scan_after_run`, so the
register ends in the same state. The step's status, error and receiver timings are recorded on the scan
(`Scan.after_status`, `after_error`, `counts.listener_seconds`, `counts.listener_errors`); a failing step
never takes the scan's results away. See docs/scanning.md.
"""
import logging
import time
from dataclasses import replace
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.db.models import Q
from django.utils import timezone

from debtboard.text import clean_text
from metrics.choices import AFTER_SCAN_LIVE, AfterScanStatus
from metrics.conf import git_timeout, post_scan_inline
from metrics.data import ListenerError, ScanCounts
from metrics.errors import ScanNotFound
from metrics.models import Repository, Scan
from metrics.services.scans.retention import scan_retention_apply
from metrics.signals import scan_finished

logger = logging.getLogger(__name__)

# A post-scan step claimed longer ago than this is taken over (its worker died); it exceeds the blame budget.
STALE_AFTER = timedelta(minutes=15)


def stale_after() -> timedelta:
    """How long a claimed post-scan step may run before another worker takes it over."""
    return max(STALE_AFTER, timedelta(seconds=git_timeout() + 300))


def scan_after_start(*, scan: Scan) -> None:
    """Mark a scan that just became current as owing its post-scan step, then run it here or queue its task."""
    Scan.objects.filter(pk=scan.pk).update(after_status=AfterScanStatus.QUEUED, after_error="")
    scan.after_status = AfterScanStatus.QUEUED
    if post_scan_inline():
        scan_after_run(scan_id=scan.pk)
        scan.refresh_from_db()
        return
    _enqueue(scan.pk)  # the scan's own transaction has committed: a worker may take the task at once


def _enqueue(scan_id: int) -> None:
    from metrics.tasks import scan_after_task  # metrics.tasks imports this module

    try:
        scan_after_task.enqueue(scan_id)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # the queue or broker is down: say so on the scan rather than leave it queued
        logger.exception("Could not queue the post-scan step of scan %s", scan_id)
        Scan.objects.filter(pk=scan_id, after_status=AfterScanStatus.QUEUED).update(
            after_status=AfterScanStatus.FAILED, after_finished_at=timezone.now(),
            after_error=clean_text(f"The post-scan step could not be queued: {exc}", max_length=1000),
        )


def scan_after_run(*, scan_id: int) -> Scan:
    """Run a scan's post-scan step if it is still owed (a second delivery does nothing); return the scan."""
    scan = _claim(scan_id)
    if scan is None:
        return _scan_get(scan_id)
    _prune(scan)
    current = Repository.objects.filter(pk=scan.repository_id).values_list("current_scan_id", flat=True).first()
    if current != scan.pk:
        _end(scan, AfterScanStatus.SKIPPED, "A newer scan became current first; its own post-scan step runs.")
        return _scan_get(scan_id)
    errors = _receivers_call(scan)
    if errors:
        message = "; ".join(f"{error.listener}: {error.error}" for error in errors)
        _end(scan, AfterScanStatus.FAILED, message)
    else:
        _end(scan, AfterScanStatus.SUCCEEDED, "")
    return _scan_get(scan_id)


def scan_after_wait(*, scan_id: int, poll_seconds: float = 0.25) -> Scan:
    """Wait for a scan's post-scan step to end: run it here if no worker has taken it yet."""
    while True:
        scan = scan_after_run(scan_id=scan_id)
        if scan.after_status not in AFTER_SCAN_LIVE:
            return scan
        time.sleep(poll_seconds)


def _scan_get(scan_id: int) -> Scan:
    scan = Scan.objects.select_related("repository").filter(pk=scan_id).first()
    if scan is None:
        raise ScanNotFound(f"No scan {scan_id}.", extra={"scan": scan_id})
    return scan


def _claim(scan_id: int) -> Scan | None:
    """Take the step (queued -> running, one conditional UPDATE), or one whose worker died long ago."""
    now = timezone.now()
    stale = Q(after_status=AfterScanStatus.RUNNING, after_started_at__lt=now - stale_after())
    claimed = Scan.objects.filter(Q(after_status=AfterScanStatus.QUEUED) | stale, pk=scan_id).update(
        after_status=AfterScanStatus.RUNNING, after_started_at=now, after_finished_at=None
    )
    return _scan_get(scan_id) if claimed else None


def _prune(scan: Scan) -> None:
    """Drop the detail rows of the repository's superseded scans (metrics.services.scans.retention).

    Housekeeping that no result waits for: it runs here rather than before `debtboard scan` returns
    (0.23 s of a one-commit rescan of sympy, deleting a superseded scan's 68,000 rows), and a failure is
    logged, never the step's own.
    """
    try:
        scan_retention_apply(repository=scan.repository)
    except Exception:
        logger.exception("Pruning the superseded scans of %s after scan %s failed", scan.repository.name, scan.pk)


def _end(scan: Scan, status: str, message: str) -> None:
    logger.log(logging.WARNING if status == AfterScanStatus.FAILED else logging.INFO,
               "Post-scan step of scan %s %s %s", scan.pk, status, message)
    Scan.objects.filter(pk=scan.pk, after_status=AfterScanStatus.RUNNING).update(
        after_status=status, after_error=clean_text(message, max_length=10000), after_finished_at=timezone.now(),
    )


def _receivers_call(scan: Scan) -> list[ListenerError]:
    """Call the scan_finished receivers one by one, timed; a failing one is logged and recorded on the scan.

    Signal.send_robust would catch the errors but could not time each receiver. No transaction is opened
    around a receiver: each keeps its own writes short (the debt register blames files between its
    transactions, and SQLite has one writer), and one receiver's failure never undoes another's work.
    """
    sync_receivers, async_receivers = scan_finished._live_receivers(Scan)
    calls = [(receiver, receiver) for receiver in sync_receivers]
    calls += [(receiver, async_to_sync(receiver)) for receiver in async_receivers]
    errors, seconds = [], {}
    for receiver, call in calls:
        name = f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', repr(receiver))}"
        started = time.perf_counter()
        try:
            call(signal=scan_finished, sender=Scan, scan=scan)
        except Exception as exc:
            logger.exception("scan_finished receiver %s failed for scan %s", name, scan.pk)
            errors.append(ListenerError(listener=name, error=f"{type(exc).__name__}: {exc}"[:1000]))
        seconds[name] = round(time.perf_counter() - started, 3)
    if seconds:
        counts = Scan.objects.filter(pk=scan.pk).values_list("counts", flat=True).first() or {}
        scan.counts = replace(ScanCounts.from_json(counts), listener_seconds=seconds,
                              listener_errors=tuple(errors)).as_json()
        Scan.objects.filter(pk=scan.pk).update(counts=scan.counts)
    return errors
