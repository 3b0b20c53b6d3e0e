"""The Celery app and a django.tasks backend that runs debtboard's tasks on it (when CELERY_BROKER_URL is set).

Loaded only when Celery is configured: by workers (`celery -A debtboard.celery worker`) and, through the
TASKS setting, by processes that queue tasks; never by `import debtboard`, never in the embedded mode.
Celery's Django fix-up inserts the working directory at sys.path[0] when the app is created; that insertion
is undone here, so a folder named like an installed package (`requests/`, `metrics/`) in the directory a
command runs from never shadows it. The project is installed: workers do not need the working directory.

Why a backend of our own rather than django-tasks-celery: that package (0.1.1) is young, declares Django
6.0 only, and registers tasks through Celery internals; here one generic Celery task, `debtboard.run_task`,
imports the django.tasks task by its path and calls it, with the options scans need (late acknowledgement,
requeue when the worker is lost). A task is therefore written once, with `django.tasks.task`, whatever
backend runs it (docs/operations.md, "Background work").
"""
import os
import sys
from datetime import datetime
from typing import Any

from celery import Celery
from celery.signals import worker_ready, worker_shutdown
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task as DjangoTask
from django.tasks.base import TaskResult, TaskResultStatus
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debtboard.settings")

_path_before = list(sys.path)
app = Celery("debtboard")
if sys.path[1:] == _path_before:
    del sys.path[0]
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="debtboard.run_task", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run the django.tasks task at `module_path` in this worker (what CeleryTaskBackend sends)."""
    task = import_string(module_path)
    return task.call(*args, **kwargs)


@worker_ready.connect
def _reap_at_start(**_: Any) -> None:
    """A starting worker recovers scans that a killed worker left running (beat repeats it on a schedule)."""
    run_task.delay("metrics.tasks.scan_reap_task", [], {})


@worker_ready.connect
def _heartbeat_start(sender: Any = None, **_: Any) -> None:
    """The worker records a heartbeat row every DEBTBOARD_WORKER_HEARTBEAT_INTERVAL s (/healthz, /metrics)."""
    from metrics.services.workers import worker_heartbeat_start

    hostname = getattr(sender, "hostname", None) or "celery"
    stop = worker_heartbeat_start(worker_id=f"{hostname}:{os.getpid()}", kind="celery")
    worker_shutdown.connect(lambda **__: stop(), weak=False)


class CeleryTaskBackend(BaseTaskBackend):
    """django.tasks backend: `task.enqueue(...)` sends `debtboard.run_task` to the Celery broker."""

    supports_defer = True
    supports_priority = False
    supports_get_result = False

    def enqueue(self, task: DjangoTask, args: Any, kwargs: Any) -> TaskResult:
        """Send the task to the broker; `run_after` becomes Celery's eta."""
        self.validate_task(task)
        options: dict[str, Any] = {}
        if isinstance(task.run_after, datetime):
            options["eta"] = task.run_after
        sent = run_task.apply_async(args=[task.module_path, list(args), dict(kwargs)], **options)
        result = TaskResult(
            task=task, id=sent.id, status=TaskResultStatus.READY, enqueued_at=timezone.now(), started_at=None,
            last_attempted_at=None, finished_at=None, args=list(args), kwargs=dict(kwargs), backend=self.alias,
            errors=[], worker_ids=[],
        )
        task_enqueued.send(type(self), task_result=result)
        return result
