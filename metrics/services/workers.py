"""Worker heartbeats: each worker process keeps a row up to date, so /healthz and /metrics of any process see it.

A row in the database rather than a cache key: the database is the one store every web process and every
worker shares in every configuration (the local-memory cache is per process).
"""
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

from metrics.conf import worker_heartbeat_interval
from metrics.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Rows of workers not heard from for this long (killed, machine gone) are deleted by the next heartbeat.
FORGET_AFTER = timedelta(days=1)


def worker_heartbeat_record(*, worker_id: str, kind: str) -> WorkerHeartbeat:
    """Record that worker `worker_id` is alive now (insert or update its row); forget long-dead workers."""
    now = timezone.now()
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id[:64],
        defaults={"seen_at": now},
        create_defaults={"kind": kind[:16], "hostname": socket.gethostname()[:255], "pid": os.getpid(),
                         "started_at": now, "seen_at": now},
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return beat


def worker_heartbeat_remove(*, worker_id: str) -> None:
    """Forget a worker that stops on purpose (a stopped worker is not a stale one)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id[:64]).delete()


def worker_heartbeat_start(*, worker_id: str, kind: str) -> Callable[[], None]:
    """Beat now, then every DEBTBOARD_WORKER_HEARTBEAT_INTERVAL s in a daemon thread; return the stop function.

    Stopping ends the thread and removes the worker's row. A failed write is logged and tried again next time.
    """
    stop = threading.Event()
    _beat(worker_id, kind)
    thread = threading.Thread(target=_beat_until, args=(worker_id, kind, stop), name="worker-heartbeat",
                              daemon=True)
    thread.start()

    def stop_beating() -> None:
        stop.set()
        thread.join(timeout=10)
        try:
            worker_heartbeat_remove(worker_id=worker_id)
        except DatabaseError:
            logger.exception("Could not remove the heartbeat of worker %s", worker_id)

    return stop_beating


def _beat_until(worker_id: str, kind: str, stop: threading.Event) -> None:
    try:
        while not stop.wait(worker_heartbeat_interval()):
            _beat(worker_id, kind)
    finally:
        connection.close()


def _beat(worker_id: str, kind: str) -> None:
    try:
        worker_heartbeat_record(worker_id=worker_id, kind=kind)
    except DatabaseError:
        logger.exception("Could not record the heartbeat of worker %s", worker_id)
