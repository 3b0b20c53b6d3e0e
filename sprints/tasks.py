"""Background tasks of the sprints app (django.tasks): the regression scans of finished refactorathons.

One definition whatever runs it: Celery beat (debtboard.settings CELERY_BEAT_SCHEDULE) or the embedded
worker, which queues it every DEBTBOARD_REGRESSION_INTERVAL seconds (DEBTBOARD_WORKER_PERIODIC_TASKS) and runs
it between scans. Thin: call the service.
"""
from django.tasks import task

from sprints.services.refactorathon_scans import refactorathon_regressions_due


@task
def refactorathon_regressions_due_task() -> list[str]:
    """Scan every finished event's repositories at its 4- and 8-week points that are past and not yet scanned."""
    return [f"{done.event} +{done.weeks} weeks {done.repository}: {done.outcome}"
            for done in refactorathon_regressions_due()]
