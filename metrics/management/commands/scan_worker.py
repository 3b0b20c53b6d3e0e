"""`manage.py scan_worker`: the embedded worker: runs queued tasks from the database, reaps stale scans, rescans."""
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from debtboard.commands import DebtboardCommand
from metrics.services.workers import worker_heartbeat_start

logger = logging.getLogger("metrics.worker")


def reap_once() -> None:
    """Run the stale-scan reaper once; a failure is logged, never fatal to the worker."""
    from metrics.tasks import scan_reap_task

    try:
        scan_reap_task.call()
    except Exception:
        logger.exception("The stale-scan reaper failed")
    finally:
        close_old_connections()


def rescan_once() -> None:
    """Queue the scheduled rescans that are due; a failure is logged, never fatal to the worker."""
    from metrics.services.scans.schedule import rescan_due

    try:
        for fired in rescan_due():
            logger.info("Scheduled rescan of %s: %s%s", fired.repository, fired.outcome,
                        f" (scan {fired.scan_id})" if fired.scan_id else "")
    except Exception:
        logger.exception("The scheduled rescan runner failed")
    finally:
        close_old_connections()


def every(interval: float, once: Callable[[], Any], stop: threading.Event) -> None:
    """Run `once` every `interval` seconds until `stop` is set (the reaper's and the rescans' threads)."""
    try:
        while not stop.wait(interval):
            once()
    finally:
        connection.close()


def periodic_once(tasks: dict[str, float], last: dict[str, float], clock: float) -> list[str]:
    """Queue each task of `tasks` (path: seconds) whose interval has passed since `last` queued it; the paths.

    The tasks run in this worker's queue, one at a time between scans; a failure to queue is logged, never
    fatal. By path: other apps' tasks (sprints' regression scans) without metrics importing them.
    """
    queued = []
    for path, interval in tasks.items():
        if path in last and clock - last[path] < interval:
            continue
        last[path] = clock
        try:
            import_string(path).enqueue()
            queued.append(path)
        except Exception:
            logger.exception("Queueing the periodic task %s failed", path)
    return queued


def periodic_forever(tasks: dict[str, float], stop: threading.Event) -> None:
    """Queue the periodic tasks at start and whenever their interval has passed, until `stop` is set."""
    last: dict[str, float] = {}
    try:
        while True:
            periodic_once(tasks, last, time.monotonic())
            close_old_connections()
            if stop.wait(min(tasks.values())):
                return
    finally:
        connection.close()


class Command(DebtboardCommand):
    help = ("Run the embedded worker: scans queued in the database (django-tasks-db) run here, one at a time; "
            "the stale-scan reaper runs at start and every DEBTBOARD_SCAN_REAP_INTERVAL seconds, scheduled rescans "
            "are queued every DEBTBOARD_RESCAN_INTERVAL seconds, and the tasks of DEBTBOARD_WORKER_PERIODIC_TASKS "
            "(refactorathon regression scans) on their own intervals.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of an empty queue.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many tasks.")

    def run(self, **options: Any) -> None:
        if settings.CELERY_BROKER_URL:
            raise CommandError("CELERY_BROKER_URL is set: tasks go to Celery; run `make worker` "
                               "(celery -A debtboard.celery worker) instead.")
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME], excluded_queue_names=[], interval=options["interval"],
            batch=options["batch"], backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=False,
            max_tasks=options["max_tasks"], worker_id=get_random_string(32),
        )
        _stop_on_signals(worker)
        reap_once()
        stop = threading.Event()
        threading.Thread(target=every, args=(float(settings.DEBTBOARD_SCAN_REAP_INTERVAL), reap_once, stop),
                         name="scan-reaper", daemon=True).start()
        threading.Thread(target=every, args=(float(settings.DEBTBOARD_RESCAN_INTERVAL), rescan_once, stop),
                         name="rescan-runner", daemon=True).start()
        periodic = {path: float(seconds) for path, seconds in settings.DEBTBOARD_WORKER_PERIODIC_TASKS.items()}
        if periodic:
            threading.Thread(target=periodic_forever, args=(periodic, stop), name="periodic-tasks",
                             daemon=True).start()
        stop_heartbeat = worker_heartbeat_start(worker_id=worker.worker_id, kind="database-queue")
        logger.info("Scan worker %s started (database queue)", worker.worker_id)
        try:
            worker.run()
        finally:
            stop.set()
            stop_heartbeat()
            logger.info("Scan worker %s stopped", worker.worker_id)


def _stop_on_signals(worker: Any) -> None:
    """Ctrl-C or SIGTERM stops the worker now: a running scan is interrupted (recorded), not finished first.

    db_worker's own handlers let the current task finish, which for a scan can take minutes: `make run`
    must stop when asked. KeyboardInterrupt reaches scan_run, which records the scan interrupted.
    """

    def stop(signum: int, frame: FrameType | None) -> None:
        if not worker.running:  # Ctrl-C reaches both `serve` and this worker: the second signal is the same ask
            return
        worker.running = False
        if not worker.running_task:
            sys.exit(0)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
