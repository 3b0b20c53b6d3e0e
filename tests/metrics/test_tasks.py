"""Celery tasks: eager runs through the broker-less configuration, redelivery, late acknowledgement."""
import pytest

from metrics.models import Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.backfill import scan_backfill
from metrics.services.scans.requests import scan_request
from metrics.signals import scan_finished
from metrics.tasks import scan_backfill_task, scan_run_task
from tests.metrics.test_scans import build_sample_repo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


@pytest.fixture
def repository(git_repo):
    build_sample_repo(git_repo)
    return repository_create(source=str(git_repo.path), name="sample")


def test_tasks_acknowledge_late_and_requeue_when_the_worker_is_lost():
    for task in (scan_run_task, scan_backfill_task):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True


def test_scan_run_task_runs_eagerly_without_a_broker(settings, repository):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    scan = scan_request(repository=repository, enqueue=False)
    result = scan_run_task.delay(scan.pk)
    assert result.get() == Scan.Status.SUCCEEDED
    repository.refresh_from_db()
    assert repository.current_scan_id == scan.pk


def test_redelivered_task_does_not_run_the_scan_again(repository):
    scan = scan_request(repository=repository, enqueue=False)
    assert scan_run_task(scan.pk) == Scan.Status.SUCCEEDED
    scan.refresh_from_db()
    finished = scan.finished_at
    assert scan_run_task(scan.pk) == Scan.Status.SUCCEEDED
    scan.refresh_from_db()
    assert scan.finished_at == finished


def test_scan_backfill_task_runs_each_scan(repository):
    scan_run_task(scan_request(repository=repository, enqueue=False).pk)
    past = scan_backfill(repository=repository, spec="weekly:2", enqueue=False)
    assert scan_backfill_task([scan.pk for scan in past]) == [Scan.Status.SUCCEEDED] * 2
    assert Scan.objects.filter(is_backfill=True, status=Scan.Status.SUCCEEDED).count() == 2


def test_request_queues_the_task_on_commit(repository, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scan = scan_request(repository=repository)
    assert len(callbacks) == 1
    scan.refresh_from_db()
    assert scan.status == Scan.Status.QUEUED  # nothing runs before the transaction commits
    callbacks[0]()
    scan.refresh_from_db()
    assert scan.status == Scan.Status.SUCCEEDED


def test_unreachable_broker_fails_the_scan_instead_of_leaving_it_queued(repository, django_capture_on_commit_callbacks):
    import socket

    from debtboard.celery import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = {"task_always_eager": False, "broker_url": f"redis://127.0.0.1:{port}/0",
                   "task_publish_retry": False, "broker_transport_options": {"max_retries": 0}}
    saved = {key: app.conf[key] for key in unreachable}
    saved_pools = app._pool, app.amqp._producer_pool
    # Producer pools are built lazily from the configuration of their first use: start from none.
    app._pool = app.amqp._producer_pool = None
    app.conf.update(unreachable)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            scan = scan_request(repository=repository)
    finally:
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = saved_pools
    scan.refresh_from_db()
    assert scan.status == Scan.Status.FAILED
    assert "could not be queued" in scan.error
