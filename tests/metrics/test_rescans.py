"""Scheduled rescans: setting a schedule, and rescan_due firing at the right times (injected clock), never twice."""
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string

from metrics.errors import RescanScheduleInvalid
from metrics.models import Repository, Scan
from metrics.selectors.rescans import rescan_schedule_get
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.schedule import rescan_due, rescan_schedule_set
from metrics.signals import scan_finished
from tests.task_queue import queued_tasks, run_queued_tasks

pytestmark = pytest.mark.django_db

SET_AT = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


@pytest.fixture
def repository(git_repo, settings) -> Repository:
    settings.TIME_ZONE = "UTC"
    git_repo.commit("start", files={"app.py": "def run(x):\n    if x:\n        return 1\n    return 2\n"})
    return repository_create(source=str(git_repo.path), name="sample")


def fire(now: datetime, capture) -> list[tuple[str, str]]:
    """rescan_due at `now`, with its on-commit queueing run: (repository, outcome) per firing."""
    with capture(execute=True):
        return [(fired.repository, fired.outcome) for fired in rescan_due(now=now)]


def test_a_nightly_schedule_fires_once_per_night_at_its_time(repository, django_capture_on_commit_callbacks):
    rescan_schedule_set(repository=repository, kind="nightly", at="02:30", now=SET_AT)
    assert fire(SET_AT + timedelta(hours=1), django_capture_on_commit_callbacks) == []  # 02:30 today is past
    assert fire(datetime(2026, 3, 5, 2, 29, tzinfo=UTC), django_capture_on_commit_callbacks) == []
    slot = datetime(2026, 3, 5, 2, 30, 20, tzinfo=UTC)
    assert fire(slot, django_capture_on_commit_callbacks) == [("sample", "queued")]
    scan = Scan.objects.get()
    assert queued_tasks() == [("metrics.tasks.scan_run_task", [scan.pk])]
    repository.refresh_from_db()
    assert repository.rescan_fired_at == slot
    assert fire(slot + timedelta(minutes=1), django_capture_on_commit_callbacks) == []  # fired already tonight
    [row] = run_queued_tasks()
    assert row.return_value == Scan.Status.SUCCEEDED
    assert fire(datetime(2026, 3, 6, 2, 30, tzinfo=UTC), django_capture_on_commit_callbacks) == [("sample", "queued")]
    assert Scan.objects.count() == 2


def test_a_runner_down_for_days_fires_once_not_once_per_missed_slot(repository, django_capture_on_commit_callbacks):
    rescan_schedule_set(repository=repository, kind="hourly", now=SET_AT)
    later = SET_AT + timedelta(days=3, minutes=7)
    assert fire(later, django_capture_on_commit_callbacks) == [("sample", "queued")]
    assert fire(later + timedelta(minutes=1), django_capture_on_commit_callbacks) == []
    assert rescan_schedule_get(repository=Repository.objects.get(), now=later).next_due_at == datetime(
        2026, 3, 7, 11, 0, tzinfo=UTC)


def test_a_weekly_schedule_fires_on_its_day(repository, django_capture_on_commit_callbacks):
    rescan_schedule_set(repository=repository, kind="weekly", at=time(6, 0), weekday=0, now=SET_AT)
    assert fire(datetime(2026, 3, 8, 23, 59, tzinfo=UTC), django_capture_on_commit_callbacks) == []  # Sunday
    assert fire(datetime(2026, 3, 9, 6, 0, tzinfo=UTC), django_capture_on_commit_callbacks) == [("sample", "queued")]


def test_a_live_scan_serves_the_slot_and_no_second_scan_is_queued(repository, django_capture_on_commit_callbacks):
    rescan_schedule_set(repository=repository, kind="hourly", now=SET_AT)
    live = scan_request(repository=repository, enqueue=False)
    assert fire(SET_AT + timedelta(hours=1), django_capture_on_commit_callbacks) == [("sample", "already_running")]
    assert list(Scan.objects.values_list("pk", flat=True)) == [live.pk]
    assert queued_tasks() == []
    repository.refresh_from_db()
    assert repository.rescan_fired_at == SET_AT + timedelta(hours=1)


def test_two_runners_at_the_same_moment_queue_one_scan(repository, django_capture_on_commit_callbacks):
    rescan_schedule_set(repository=repository, kind="hourly", now=SET_AT)
    now = SET_AT + timedelta(hours=1)
    assert fire(now, django_capture_on_commit_callbacks) == [("sample", "queued")]
    # A second runner (cron beside the worker) at the same instant finds the slot taken.
    assert fire(now, django_capture_on_commit_callbacks) == []
    assert Scan.objects.count() == 1 and len(queued_tasks()) == 1


def test_off_and_unscheduled_repositories_never_fire(repository, django_capture_on_commit_callbacks):
    assert fire(SET_AT + timedelta(days=30), django_capture_on_commit_callbacks) == []
    rescan_schedule_set(repository=repository, kind="hourly", now=SET_AT)
    rescan_schedule_set(repository=repository, kind="off", now=SET_AT + timedelta(minutes=5))
    assert fire(SET_AT + timedelta(days=30), django_capture_on_commit_callbacks) == []
    assert Scan.objects.count() == 0


def test_setting_the_same_schedule_again_keeps_its_slot(repository):
    rescan_schedule_set(repository=repository, kind="nightly", at="02:30", now=SET_AT)
    state = rescan_schedule_set(repository=repository, kind="nightly", at="2:30", now=SET_AT + timedelta(days=1))
    assert state.next_due_at == datetime(2026, 3, 5, 2, 30, tzinfo=UTC)
    assert state.description == "nightly at 02:30" and state.time == "02:30" and state.time_zone == "UTC"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"kind": "daily"}, "kind"), ({"kind": "nightly"}, "time"), ({"kind": "nightly", "at": "25:00"}, "time"),
     ({"kind": "nightly", "at": "2026-03-01T02:30"}, "time"), ({"kind": "weekly", "at": "06:00"}, "weekday"),
     ({"kind": "weekly", "at": "06:00", "weekday": 9}, "weekday")],
)
def test_invalid_schedules_are_refused_with_the_field_named(repository, arguments, field):
    with pytest.raises(RescanScheduleInvalid) as raised:
        rescan_schedule_set(repository=repository, **arguments)
    assert raised.value.code == "rescan_schedule.invalid" and raised.value.extra == {"field": field}
    repository.refresh_from_db()
    assert repository.rescan_kind == "off"


def test_a_stored_schedule_that_cannot_be_kept_is_skipped_and_the_others_fire(
    repository, git_repo, tmp_path, django_capture_on_commit_callbacks
):
    Repository.objects.filter(pk=repository.pk).update(rescan_kind="nightly", rescan_at=None, rescan_set_at=SET_AT)
    other = repository_create(source=str(git_repo.path), name="other")
    rescan_schedule_set(repository=other, kind="hourly", now=SET_AT)
    assert fire(SET_AT + timedelta(days=2), django_capture_on_commit_callbacks) == [("other", "queued")]
    assert rescan_schedule_get(repository=Repository.objects.get(name="sample")).next_due_at is None


def test_times_are_in_the_server_time_zone(repository, settings):
    settings.TIME_ZONE = "America/New_York"
    state = rescan_schedule_set(repository=repository, kind="nightly", at="02:30", now=SET_AT)
    assert state.time_zone == "America/New_York"
    assert state.next_due_at == datetime(2026, 3, 5, 7, 30, tzinfo=UTC)  # 02:30 EST


def test_the_rescan_due_command_prints_what_it_queued(repository, capsys, django_capture_on_commit_callbacks):
    Repository.objects.filter(pk=repository.pk).update(rescan_kind="hourly",
                                                       rescan_set_at=datetime(2026, 1, 1, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rescan_due")
    scan = Scan.objects.get()
    assert capsys.readouterr().out == f"sample: queued (scan {scan.pk})\n"
    call_command("rescan_due")
    assert capsys.readouterr().out == "No scheduled rescan is due.\n"


def test_celery_beat_runs_the_same_runner_through_the_generic_task(
    repository, settings, django_capture_on_commit_callbacks
):
    entry = settings.CELERY_BEAT_SCHEDULE["rescan-due"]
    assert entry["task"] == "debtboard.run_task" and entry["schedule"] == settings.DEBTBOARD_RESCAN_INTERVAL
    path, args, kwargs = entry["args"]
    task = import_string(path)
    Repository.objects.filter(pk=repository.pk).update(rescan_kind="hourly",
                                                       rescan_set_at=datetime(2026, 1, 1, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert task.call(*args, **kwargs) == ["sample: queued"]
    assert queued_tasks() == [("metrics.tasks.scan_run_task", [Scan.objects.get().pk])]
