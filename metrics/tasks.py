"""Background tasks of the metrics app (django.tasks): run a scan, its post-scan step, a backfill; reap stale
scans; scheduled rescans.

One definition whatever runs them: the database queue's worker (`manage.py scan_worker`) or Celery
(debtboard.celery.CeleryTaskBackend). Thin: load by id, call the service. metrics.services.scans.dispatch
queues them; this module imports the runner and the reaper, never dispatch, so no import loop.
"""
from django.tasks import task

from metrics.services.scans.after import scan_after_run
from metrics.selectors.backfill import backfill_scans
from metrics.services.scans.backfill import scan_backfill_running
from metrics.services.scans.reaper import scan_stale_reap
from metrics.services.scans.runs import scan_run
from metrics.services.scans.schedule import rescan_due


@task
def scan_run_task(scan_id: int) -> str:
    """Run one scan; a redelivered task for a finished, cancelled or live scan does nothing (see scan_run)."""
    return scan_run(scan_id=scan_id).status


@task
def scan_after_task(scan_id: int) -> str:
    """Run a live scan's post-scan step (the scan_finished receivers); a second delivery does nothing."""
    return scan_after_run(scan_id=scan_id).after_status


@task
def scan_backfill_task(scan_ids: list[int]) -> list[str]:
    """Run a backfill's scans one after the other, oldest first, with one analysis pool for all of them."""
    with scan_backfill_running(scans=backfill_scans(scan_ids=scan_ids)):
        return [scan_run(scan_id=scan_id).status for scan_id in scan_ids]


@task
def scan_reap_task() -> list[int]:
    """Mark scans whose worker died interrupted and queue their retries; return the retries' ids."""
    return scan_stale_reap()


@task
def rescan_due_task() -> list[str]:
    """Queue a scan of every repository whose rescan schedule is due (Celery beat runs this)."""
    return [f"{fired.repository}: {fired.outcome}" for fired in rescan_due()]
