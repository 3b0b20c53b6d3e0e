"""Celery tasks of the metrics app: run a scan, run a backfill's scans (thin: load by id, call the service).

metrics.services.scans.dispatch sends these; this module imports only the runner, so no import loop.
"""
from debtboard.celery import app
from metrics.services.scans.runs import scan_run


@app.task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def scan_run_task(scan_id: int) -> str:
    """Run one scan; a redelivered message for a finished or live scan does nothing (see scan_run)."""
    return scan_run(scan_id=scan_id).status


@app.task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def scan_backfill_task(scan_ids: list[int]) -> list[str]:
    """Run a backfill's scans one after the other, newest first."""
    return [scan_run(scan_id=scan_id).status for scan_id in scan_ids]
