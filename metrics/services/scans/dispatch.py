"""Queue the scan tasks; when the broker cannot be reached, fail the scans instead of leaving them queued."""
import logging

from celery import Task
from django.utils import timezone

from metrics.models import Scan
from metrics.tasks import scan_backfill_task, scan_run_task

logger = logging.getLogger(__name__)


def scan_run_enqueue(*, scan_id: int) -> None:
    """Send the task that runs one queued scan."""
    _send(scan_run_task, scan_id, scan_ids=[scan_id])


def scan_backfill_enqueue(*, scan_ids: list[int]) -> None:
    """Send the task that runs a backfill's queued scans one after the other."""
    _send(scan_backfill_task, scan_ids, scan_ids=scan_ids)


def _send(task: Task, argument: object, *, scan_ids: list[int]) -> None:
    try:
        task.delay(argument)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # kombu raises OperationalError and friends when the broker is down
        logger.exception("Could not queue %s for scans %s", task.name, scan_ids)
        Scan.objects.filter(pk__in=scan_ids, status=Scan.Status.QUEUED).update(
            status=Scan.Status.FAILED, finished_at=timezone.now(),
            error=f"The scan could not be queued (is the Celery broker running?): {exc}"[:1000],
        )
