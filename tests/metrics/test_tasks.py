"""Scan tasks (django.tasks): queued in the database without a broker, run by the worker, never in the request."""
import pytest
from django.tasks import Task

from metrics.models import Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.backfill import scan_backfill
from metrics.services.scans.requests import scan_request
from metrics.signals import scan_finished
from metrics.tasks import scan_backfill_task, scan_reap_task, scan_run_task
from tests.metrics.test_scans import build_sample_repo
from tests.task_queue import queued_tasks, run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


@pytest.fixture
def repository(git_repo):
    build_sample_repo(git_repo)
    return repository_create(source=str(git_repo.path), name="sample")


def test_the_scan_tasks_are_django_tasks_on_the_database_queue_without_a_broker(settings):
    assert not settings.CELERY_BROKER_URL
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    for task in (scan_run_task, scan_backfill_task, scan_reap_task):
        assert isinstance(task, Task)
        assert type(task.get_backend()).__name__ == "DatabaseBackend"


def test_request_queues_the_task_on_commit_and_nothing_runs_in_the_caller(
    repository, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scan = scan_request(repository=repository)
    scan.refresh_from_db()
    assert scan.status == Scan.Status.QUEUED and scan.started_at is None
    assert queued_tasks() == [("metrics.tasks.scan_run_task", [scan.pk])]
    [row] = run_queued_tasks()
    assert row.status == "SUCCESSFUL" and row.return_value == Scan.Status.SUCCEEDED
    repository.refresh_from_db()
    assert repository.current_scan_id == scan.pk


def test_redelivered_task_does_not_run_the_scan_again(repository):
    scan = scan_request(repository=repository, enqueue=False)
    assert scan_run_task.call(scan.pk) == Scan.Status.SUCCEEDED
    scan.refresh_from_db()
    finished = scan.finished_at
    assert scan_run_task.call(scan.pk) == Scan.Status.SUCCEEDED
    scan.refresh_from_db()
    assert scan.finished_at == finished


def test_scan_backfill_task_runs_each_scan(repository):
    scan_run_task.call(scan_request(repository=repository, enqueue=False).pk)
    past = scan_backfill(repository=repository, spec="weekly:2", enqueue=False)
    assert scan_backfill_task.call([scan.pk for scan in past]) == [Scan.Status.SUCCEEDED] * 2
    assert Scan.objects.filter(is_backfill=True, status=Scan.Status.SUCCEEDED).count() == 2


def test_unreachable_broker_fails_the_scan_instead_of_leaving_it_queued(
    repository, settings, django_capture_on_commit_callbacks
):
    import socket

    from django.tasks import task_backends

    from debtboard.celery import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = {"broker_url": f"redis://127.0.0.1:{port}/0", "task_publish_retry": False,
                   "broker_transport_options": {"max_retries": 0}}
    saved = {key: app.conf[key] for key in unreachable}
    saved_pools = app._pool, app.amqp._producer_pool
    app._pool = app.amqp._producer_pool = None  # producer pools are built from the configuration of first use
    app.conf.update(unreachable)
    settings.TASKS = {"default": {"BACKEND": "debtboard.celery.CeleryTaskBackend"}}
    try:
        assert type(task_backends["default"]).__name__ == "CeleryTaskBackend"
        with django_capture_on_commit_callbacks(execute=True):
            scan = scan_request(repository=repository)
    finally:
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = saved_pools
    scan.refresh_from_db()
    assert scan.status == Scan.Status.FAILED
    assert "could not be queued" in scan.error
