"""The post-scan step as a background task: same register as inline, failures recorded, blames cached by blob."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from debt.models import DebtItem
from debt.services.discovery import debt_item_discover
from metrics.models import FileBlame, Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.signals import scan_finished
from tests.gitrepo import BASE_DATE, init_repo
from tests.task_queue import queued_tasks, run_queued_tasks

GRACE = "Grace Hopper <grace@example.com>"
ADA = "Ada Lovelace <ada@example.com>"
PARSE = ('"""Parsing."""\n\n\ndef parse(text):\n    # TODO: handle empty input\n    # FIXME: tabs\n'
         '    return text.split()\n')
LOAD = '"""Loading."""\n\n\ndef load(path):\n    # HACK: no encoding\n    return open(path).read()\n'


def build_repository(path, name):
    """A real repository with markers in two files written by two people, registered as `name`."""
    repo = init_repo(path)
    repo.commit("start", files={"app/__init__.py": "", "app/parse.py": '"""Parsing."""\n'}, author=ADA,
                date=BASE_DATE)
    repo.commit("parse", files={"app/parse.py": PARSE}, author=GRACE, date=BASE_DATE + timedelta(days=3))
    repo.commit("load", files={"app/load.py": LOAD}, author=ADA, date=BASE_DATE + timedelta(days=5))
    return repo, repository_create(source=str(repo.path), name=name)


def register_state(repository):
    """The register as a user sees it, without ids and clock times."""
    rows = DebtItem.objects.filter(repository=repository).order_by("fingerprint")
    return [
        (item.fingerprint, item.title, item.status, item.source, item.marker_author, item.marker_commit,
         item.marker_added_at, item.marker_line, round(item.priority, 6), item.description.split("at commit")[0],
         sorted(label.name for label in item.labels.all()), [location.path for location in item.locations.all()])
        for item in rows
    ]


def scan(repository) -> Scan:
    result = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert result.succeeded, result.error
    return result


@pytest.mark.django_db
def test_the_post_scan_task_leaves_the_register_as_the_inline_step_does(tmp_path, settings):
    settings.DEBTBOARD_POST_SCAN = "inline"
    _repo, inline_repository = build_repository(tmp_path / "inline", "inline")
    inline_scan = scan(inline_repository)
    assert inline_scan.after_status == "succeeded"
    inline = register_state(inline_repository)
    assert len([row for row in inline if row[3] == "marker"]) == 3

    settings.DEBTBOARD_POST_SCAN = "task"
    _repo, task_repository = build_repository(tmp_path / "task", "task")
    task_scan = scan(task_repository)
    # The results are visible at once; the register waits for the task.
    assert task_scan.after_status == "queued"
    assert task_repository.__class__.objects.get(pk=task_repository.pk).current_scan_id == task_scan.pk
    assert DebtItem.objects.filter(repository=task_repository).count() == 0
    assert queued_tasks() == [("metrics.tasks.scan_after_task", [task_scan.pk])]
    run_queued_tasks()
    task_scan.refresh_from_db()
    assert task_scan.after_status == "succeeded" and task_scan.after_error == ""
    assert register_state(task_repository) == inline
    assert set(task_scan.counts["listener_seconds"]) == set(inline_scan.counts["listener_seconds"])


@pytest.mark.django_db
def test_a_failing_post_scan_task_keeps_the_results_and_records_the_failure(
        tmp_path, settings, client, django_user_model):
    settings.DEBTBOARD_POST_SCAN = "task"
    _repo, repository = build_repository(tmp_path / "repo", "sample")

    def explode(sender, *, scan, **kwargs):
        raise RuntimeError("register unavailable")

    scan_finished.connect(explode, weak=False, dispatch_uid="test.explode")
    try:
        finished = scan(repository)
        run_queued_tasks()
    finally:
        scan_finished.disconnect(dispatch_uid="test.explode")
    finished.refresh_from_db()
    repository.refresh_from_db()
    assert finished.succeeded and repository.current_scan_id == finished.pk
    assert finished.after_status == "failed"
    assert "RuntimeError: register unavailable" in finished.after_error
    assert finished.counts["listener_errors"][0]["error"] == "RuntimeError: register unavailable"
    assert DebtItem.objects.filter(repository=repository, source="marker").count() == 3  # the debt step ran

    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    body = client.get(f"/api/v1/scans/{finished.pk}/").json()
    assert (body["status"], body["after_status"]) == ("succeeded", "failed")
    assert "register unavailable" in body["after_error"]
    page = client.get(f"/repos/{repository.name}/scan/status/").content.decode()
    assert 'data-after-scan="failed"' in page and "register unavailable" in page


@pytest.mark.django_db
def test_scan_command_returns_before_the_post_scan_step_and_wait_runs_it(tmp_path, settings):
    settings.DEBTBOARD_POST_SCAN = "task"
    _repo, repository = build_repository(tmp_path / "repo", "sample")
    out = StringIO()
    call_command("scan", "sample", stdout=out, stderr=StringIO())
    assert "post-scan step (debt register, sprint snapshots) is queued" in out.getvalue()
    assert DebtItem.objects.filter(repository=repository).count() == 0

    waited = StringIO()
    call_command("scan", "sample", "--wait", stdout=waited, stderr=StringIO())
    assert "Waiting for the post-scan step" in waited.getvalue()
    assert "post-scan step (debt register, sprint snapshots) succeeded in" in waited.getvalue()
    assert DebtItem.objects.filter(repository=repository, source="marker").count() == 3
    first, second = Scan.objects.filter(repository=repository).order_by("pk")
    assert (first.after_status, second.after_status) == ("queued", "succeeded")
    run_queued_tasks()  # the worker comes by: the first scan's step is moot, the second's done already
    first.refresh_from_db()
    assert first.after_status == "skipped"  # a newer scan became current before a worker took it
    assert DebtItem.objects.filter(repository=repository, source="marker").count() == 3


@pytest.mark.django_db
def test_scan_wait_fails_the_command_when_the_post_scan_step_fails(tmp_path, settings):
    settings.DEBTBOARD_POST_SCAN = "task"
    build_repository(tmp_path / "repo", "sample")

    def explode(sender, *, scan, **kwargs):
        raise RuntimeError("boom")

    scan_finished.connect(explode, weak=False, dispatch_uid="test.explode")
    try:
        with pytest.raises(CommandError, match="post-scan step .* failed in .*RuntimeError: boom"):
            call_command("scan", "sample", "--wait", stdout=StringIO(), stderr=StringIO())
    finally:
        scan_finished.disconnect(dispatch_uid="test.explode")
    assert Scan.objects.get().succeeded


def marker_attribution(repository):
    return {item.fingerprint: (item.marker_author, item.marker_commit, item.marker_added_at)
            for item in DebtItem.objects.filter(repository=repository, source="marker")}


@pytest.mark.django_db
def test_an_unchanged_file_is_never_blamed_again(tmp_path, settings):
    repo, repository = build_repository(tmp_path / "repo", "sample")
    scan(repository)  # its post-scan step (inline here) blames parse.py and load.py once each
    assert set(FileBlame.objects.filter(repository=repository).values_list("path", flat=True)) == {
        "app/parse.py", "app/load.py"}
    attributed = marker_attribution(repository)
    assert {author for author, _commit, _at in attributed.values()} == {"Grace Hopper", "Ada Lovelace"}

    # A user deletes the proposals; a later commit changes load.py only. Discovery proposes the three
    # markers again: the changed file is blamed (one git run), the unchanged one comes from the cache.
    DebtItem.objects.filter(repository=repository).delete()
    repo.commit("load more", files={"app/load.py": LOAD.replace("# HACK", "\n    # HACK")}, author=GRACE,
                date=BASE_DATE + timedelta(days=9))
    settings.DEBTBOARD_POST_SCAN = "task"  # the step is called below, to read its figures
    second = scan(repository)
    result = debt_item_discover(scan=second, recompute=False)
    assert (result.markers, result.blame_runs, result.blame_cached) == (3, 1, 1)
    again = marker_attribution(repository)
    parse_items = {fingerprint for fingerprint, row in attributed.items() if row[0] == "Grace Hopper"}
    assert {fingerprint: again[fingerprint] for fingerprint in parse_items} == {
        fingerprint: attributed[fingerprint] for fingerprint in parse_items}

    # The same scan once more: nothing changed, so no git blame runs at all.
    DebtItem.objects.filter(repository=repository).delete()
    result = debt_item_discover(scan=second, recompute=False)
    assert (result.markers, result.blame_runs, result.blame_cached) == (3, 0, 2)
    assert marker_attribution(repository) == again


@pytest.mark.django_db
def test_demo_runs_the_post_scan_step_before_it_says_where_to_look(tmp_path, settings):
    settings.DEBTBOARD_POST_SCAN = "task"
    repo, _repository = build_repository(tmp_path / "repo", "other")
    call_command("demo", "--repo", str(repo.path), "--backfill", "none", stdout=StringIO(), stderr=StringIO())
    scan = Scan.objects.get()
    assert scan.after_status == "succeeded"
    assert DebtItem.objects.filter(source="marker").count() == 3
