"""Run the tasks queued in the database (django-tasks-db) in the test's own process and transaction."""
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def queued_tasks() -> list[tuple[str, list]]:
    """The ready tasks as (task path, args), oldest first."""
    return [(row.task_path, row.args_kwargs["args"]) for row in DBTaskResult.objects.ready().order_by("enqueued_at")]


def run_queued_tasks() -> list[DBTaskResult]:
    """Run every ready task the way `scan_worker` does (db_worker's Worker.run_task); return their rows."""
    worker = Worker(queue_names=["default"], excluded_queue_names=[], interval=0, batch=True,
                    backend_name="default", startup_delay=False, max_tasks=None, worker_id=get_random_string(32))
    ran = []
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        row.refresh_from_db()
        ran.append(row)
    return ran
