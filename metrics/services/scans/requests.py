"""Asking for a live scan: the per-repository scan lock (a stale scan is recovered first, see reaper)."""
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from metrics.choices import LIVE_SCAN_STATUSES
from metrics.errors import ScanAlreadyRunning
from metrics.models import Repository, Scan
from metrics.services.repositories import revision_validate
from metrics.services.scans.dispatch import scan_run_enqueue
from metrics.services.scans.reaper import scan_stale_recover

logger = logging.getLogger(__name__)


def scan_request(
    *, repository: Repository, revision: str = "", requested_by: Any = None, enqueue: bool = True
) -> Scan:
    """Create a queued live scan of a revision and queue it; raise ScanAlreadyRunning when one is live."""
    revision = revision_validate(revision or repository.default_revision)
    scan_stale_recover(repository=repository)
    _raise_if_live(repository)
    try:
        with transaction.atomic():
            scan = Scan.objects.create(
                repository=repository, revision=revision, requested_by=requested_by, status=Scan.Status.QUEUED,
                stage=Scan.Stage.QUEUED, heartbeat_at=timezone.now(),
            )
    except IntegrityError:
        _raise_if_live(repository)  # a concurrent request won the race
        raise
    if enqueue:
        transaction.on_commit(lambda: scan_run_enqueue(scan_id=scan.pk))
    return scan


def _raise_if_live(repository: Repository) -> None:
    live = Scan.objects.filter(repository=repository, is_backfill=False, status__in=LIVE_SCAN_STATUSES).first()
    if live is not None:
        raise ScanAlreadyRunning(
            f"Scan {live.pk} of {repository.name} is already {live.status} (stage {live.stage}); "
            "wait for it to finish.",
            extra={"scan": live.pk, "repository": repository.name},
        )
