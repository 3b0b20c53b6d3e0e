"""Cancelling a queued or running scan: its worker stops at the next stage boundary or file batch."""
import logging
from typing import Any

from django.utils import timezone

from debtboard.errors import Conflict
from debtboard.text import clean_text
from metrics.choices import LIVE_SCAN_STATUSES
from metrics.models import Scan

logger = logging.getLogger(__name__)


def scan_cancel(*, scan: Scan, requested_by: Any = None) -> Scan:
    """Cancel a live scan; the repository's current scan stays; raise Conflict when the scan has ended.

    One conditional UPDATE: a queued scan is never claimed afterwards, and a running scan's next progress
    write (ScanTracker's update conditioned on `running`) finds it cancelled and stops; the runner then
    deletes the detail rows it had written.
    """
    who = getattr(requested_by, "get_username", lambda: "")() or "a user"
    cancelled = Scan.objects.filter(pk=scan.pk, status__in=LIVE_SCAN_STATUSES).update(
        status=Scan.Status.CANCELLED, finished_at=timezone.now(),
        error=clean_text(f"Cancelled by {who}.", max_length=1000),
    )
    scan.refresh_from_db()
    if not cancelled:
        raise Conflict(f"Scan {scan.pk} is {scan.status}: only a queued or running scan can be cancelled.",
                       code="scan.not_live", extra={"scan": scan.pk, "status": scan.status})
    logger.info("Scan %s of %s cancelled by %s", scan.pk, scan.repository_id, who)
    return scan
