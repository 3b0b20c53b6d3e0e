"""Recovering scans whose worker stopped: mark them interrupted and (from a worker's schedule) retry them."""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from metrics.models import Repository, Scan
from metrics.services.scans.dispatch import scan_run_enqueue
from metrics.services.scans.runs import stale_running_after

logger = logging.getLogger(__name__)

# A queued scan whose task never started (a lost message) stops blocking new scans after this long;
# it is longer than the broker's visibility timeout, after which a lost message would be redelivered.
STALE_QUEUED_AFTER = timedelta(hours=24)
STALE_ERROR = "The scan stopped reporting progress (its worker stopped or was killed); it was marked interrupted."


def scan_retries() -> int:
    """How many times a scan whose worker died is retried (DEBTBOARD_SCAN_RETRIES)."""
    return max(0, int(settings.DEBTBOARD_SCAN_RETRIES))


def scan_retry_backoff() -> float:
    """Seconds before the first retry, doubled for each further one (DEBTBOARD_SCAN_RETRY_BACKOFF)."""
    return max(0.0, float(settings.DEBTBOARD_SCAN_RETRY_BACKOFF))


def _stale_scans(repository: Repository | None) -> "list[Scan]":
    now = timezone.now()
    stale = Q(status=Scan.Status.RUNNING, heartbeat_at__lt=now - stale_running_after()) | Q(
        status=Scan.Status.QUEUED, created_at__lt=now - STALE_QUEUED_AFTER
    )
    queryset = Scan.objects.filter(stale)
    if repository is not None:
        queryset = queryset.filter(repository=repository)
    return list(queryset.only("pk", "status", "heartbeat_at", "repository_id", "revision", "attempt",
                              "is_backfill", "commit_sha", "committed_at", "requested_by_id"))


def _mark_interrupted(scan: Scan) -> bool:
    """Interrupt one stale scan unless it moved on meanwhile (compare-and-swap on status and heartbeat)."""
    return bool(Scan.objects.filter(pk=scan.pk, status=scan.status, heartbeat_at=scan.heartbeat_at).update(
        status=Scan.Status.INTERRUPTED, finished_at=timezone.now(), error=STALE_ERROR,
    ))


def scan_stale_recover(*, repository: Repository | None = None) -> int:
    """Mark scans whose worker stopped reporting as interrupted (no retry); return how many were marked."""
    marked = sum(_mark_interrupted(scan) for scan in _stale_scans(repository))
    if marked:
        logger.warning("Marked %d stale scan(s) interrupted", marked)
    return marked


def scan_stale_reap() -> list[int]:
    """Interrupt stale scans and queue a retry of each, at most DEBTBOARD_SCAN_RETRIES times; return the retries."""
    retries = []
    for scan in _stale_scans(None):
        with transaction.atomic():
            if not _mark_interrupted(scan):
                continue
            logger.warning("Scan %s stopped reporting progress: marked interrupted", scan.pk)
            retry = _retry_create(scan)
        if retry is not None:
            retries.append(retry.pk)
    return retries


def _retry_create(scan: Scan) -> Scan | None:
    """Create and queue (on commit, after the backoff) the next attempt of an interrupted scan."""
    if scan.attempt > scan_retries():
        logger.warning("Scan %s was attempt %d: no retry left", scan.pk, scan.attempt)
        return None
    try:
        with transaction.atomic():
            retry = Scan.objects.create(
                repository_id=scan.repository_id, revision=scan.revision, is_backfill=scan.is_backfill,
                commit_sha=scan.commit_sha if scan.is_backfill else "", committed_at=scan.committed_at,
                requested_by_id=scan.requested_by_id, status=Scan.Status.QUEUED, stage=Scan.Stage.QUEUED,
                heartbeat_at=timezone.now(), attempt=scan.attempt + 1, retry_of=scan,
            )
    except IntegrityError:  # someone asked for a new scan of the repository meanwhile: that one serves
        logger.info("Scan %s not retried: another scan of the repository is live", scan.pk)
        return None
    delay = scan_retry_backoff() * 2 ** (scan.attempt - 1)
    Scan.objects.filter(pk=scan.pk).update(error=f"{STALE_ERROR} Retried as scan {retry.pk} in {delay:g} s.")
    logger.warning("Scan %s retried as scan %s (attempt %d) in %g s", scan.pk, retry.pk, retry.attempt, delay)
    transaction.on_commit(lambda: scan_run_enqueue(scan_id=retry.pk, delay_seconds=delay))
    return retry
