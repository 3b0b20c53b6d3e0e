"""Queue the scan tasks (django.tasks); when the queue cannot take them, fail the scans instead of leaving them queued.

The task modules are imported inside the functions: metrics.tasks imports the reaper, which queues retries here.
"""
import logging
from datetime import timedelta

from django.tasks import Task
from django.utils import timezone

from metrics.models import Scan

logger = logging.getLogger(__name__)


def scan_run_enqueue(*, scan_id: int, delay_seconds: float = 0.0) -> None:
    """Queue the task that runs one queued scan, at once or after `delay_seconds` (a retry's backoff)."""
    from metrics.tasks import scan_run_task

    task = scan_run_task
    if delay_seconds > 0:
        task = scan_run_task.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    _send(task, scan_id, scan_ids=[scan_id])


def scan_backfill_enqueue(*, scan_ids: list[int]) -> None:
    """Queue the task that runs a backfill's queued scans one after the other."""
    from metrics.tasks import scan_backfill_task

    _send(scan_backfill_task, scan_ids, scan_ids=scan_ids)


def _send(task: Task, argument: object, *, scan_ids: list[int]) -> None:
    try:
        task.enqueue(argument)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # kombu raises OperationalError and friends when the broker is down
        logger.exception("Could not queue %s for scans %s", task.name, scan_ids)
        Scan.objects.filter(pk__in=scan_ids, status=Scan.Status.QUEUED).update(
            status=Scan.Status.FAILED, finished_at=timezone.now(),
            error=f"The scan could not be queued (is the task queue or the Celery broker reachable?): {exc}"[:1000],
        )
