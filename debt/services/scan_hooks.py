"""The debt register's step after every finished scan: follow renames, discover, detect paid-off, re-rank."""
import logging
from functools import partial
from typing import Any

from debtboard.db_locks import write_retrying
from debt.data import AfterScanResult

logger = logging.getLogger(__name__)


def debt_after_scan(*, scan) -> AfterScanResult:
    """Bring a repository's register up to date with a finished live scan (backfills are history only).

    Each step is a transaction of its own, not one around them all: discovery runs git blame outside
    its write transaction, and no other writer should wait for that (SQLite has one writer). A failed
    step leaves the earlier ones done; `manage.py debt_refresh` runs them all again. The short steps
    retry briefly on a lock. It runs as the scan's post-scan step (metrics.services.scans.after), a
    background task by default, with no transaction around it.
    """
    if not scan.succeeded or scan.is_backfill:
        return AfterScanResult(scan_id=scan.pk)
    # Imported here: this module is the scan_finished receiver, imported by DebtConfig.ready() in every
    # process; the register's services (and what they import) load only when a scan has finished.
    from debt.services.discovery import debt_item_discover
    from debt.services.interest import debt_item_recompute_priorities
    from debt.services.payoff import debt_item_detect_paid_off
    from debt.services.renames import debt_item_follow_renames

    renamed = write_retrying(partial(debt_item_follow_renames, scan=scan))
    discovery = debt_item_discover(scan=scan, recompute=False)
    flagged = write_retrying(partial(debt_item_detect_paid_off, scan=scan))
    recomputed = write_retrying(partial(debt_item_recompute_priorities, repository=scan.repository, scan=scan))
    result = AfterScanResult(
        scan_id=scan.pk, locations_renamed=renamed, discovery=discovery, flagged_resolved=flagged,
        priorities_recomputed=recomputed,
    )
    logger.info("debt after scan %s of %s: %s", scan.pk, scan.repository, result)
    return result


def debt_scan_receiver(sender: Any, *, scan, **kwargs: Any) -> None:
    """The receiver of metrics.signals.scan_finished (connected in DebtConfig.ready): run debt_after_scan."""
    debt_after_scan(scan=scan)
