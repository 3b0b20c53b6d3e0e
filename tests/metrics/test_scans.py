"""The scan pipeline end to end: real git repositories, real radon and flake8, a real database."""
import shutil
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone as dj_timezone

from debtboard.errors import InvalidInput
from metrics.errors import ScanAlreadyRunning, UnsafeRepositorySource
from metrics.data import ScanCounts
from metrics.models import FileScore, Repository, Scan, SnapshotFile
from metrics.selectors.repositories import scan_trend
from metrics.services.repositories import repository_create
from metrics.services.scans.backfill import scan_backfill
from metrics.services.scans.requests import scan_request
from metrics.services.scans.retention import KEEP_DETAILED_SCANS
from metrics.services.scans.runs import scan_run
from metrics.signals import scan_finished
from tests.gitrepo import BASE_DATE, GitRepo
from tests.task_queue import queued_tasks, run_queued_tasks

ADA = "Ada Lovelace <ada@example.com>"
GRACE = "Grace Hopper <grace@example.com>"

CORE_V1 = '''\
"""Core rules."""


def classify(value):
    if value < 0:
        return "negative"
    elif value == 0:
        return "zero"
    elif value < 10:
        return "small"
    return "large"
'''


def core_version(number: int) -> str:
    """core.py growing one branch per version, so complexity and churn change with history."""
    branches = "".join(f"    if value == {n}:\n        return 'v{n}'\n" for n in range(number))
    return CORE_V1 + f"\n\ndef special(value):\n{branches}    return None  # TODO: cover more cases\n"


def build_sample_repo(repo: GitRepo, *, weeks: int = 5) -> GitRepo:
    """A small project with a few weeks of history by two authors (one commit a week)."""
    repo.commit("start", files={"app/__init__.py": "", "app/core.py": CORE_V1, "app/util.py": "X = 1\n",
                                "README.md": "# sample\n"}, author=ADA, date=BASE_DATE)
    for week in range(1, weeks):
        files = {"app/core.py": core_version(week)}
        if week % 2:
            files["app/util.py"] = f"X = {week}\nimport os\n"
        repo.commit(f"week {week}", files=files, author=GRACE if week % 2 else ADA,
                    date=BASE_DATE + timedelta(weeks=week))
    return repo


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    """Receivers other apps connect are theirs to test; these tests connect their own."""
    monkeypatch.setattr(scan_finished, "receivers", [])


@pytest.fixture
def repository(git_repo) -> Repository:
    build_sample_repo(git_repo)
    return repository_create(source=str(git_repo.path), name="sample")


def run_scan(repository: Repository, **kwargs) -> Scan:
    scan = scan_request(repository=repository, enqueue=False, **kwargs)
    return scan_run(scan_id=scan.pk)


@pytest.mark.django_db
def test_full_scan_becomes_current_with_file_scores(repository, git_repo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        scan = scan_request(repository=repository)
    assert len(callbacks) == 1  # queued with on_commit, into the database queue; nothing ran yet
    scan.refresh_from_db()
    assert scan.status == Scan.Status.QUEUED
    assert queued_tasks() == [("metrics.tasks.scan_run_task", [scan.pk])]
    run_queued_tasks()  # what the worker process does
    scan.refresh_from_db()
    repository.refresh_from_db()
    assert_succeeded_as_current(scan, repository, head=git_repo.head())
    assert_stored_files_and_scores(scan)


def assert_succeeded_as_current(scan: Scan, repository: Repository, *, head: str) -> None:
    """The scan finished every stage at the head commit and became the repository's current scan."""
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    assert scan.stage == Scan.Stage.DONE
    assert repository.current_scan_id == scan.pk
    assert scan.commit_sha == head
    assert scan.committed_at == BASE_DATE + timedelta(weeks=4)
    assert scan.started_at <= scan.heartbeat_at <= scan.finished_at


def assert_stored_files_and_scores(scan: Scan) -> None:
    """The sample's three files were analysed, snapshotted and scored, with timings and a summary."""
    assert scan.counts["analysis"]["files"] == 3
    assert set(scan.counts["seconds"]) >= {"fetching", "mining", "analysis", "scoring", "total"}
    paths = set(FileScore.objects.filter(scan=scan, window_days=0).values_list("path", flat=True))
    assert {"app/core.py", "app/util.py"} <= paths
    assert SnapshotFile.objects.filter(scan=scan).count() == 3
    assert scan.summary


@pytest.mark.django_db
def test_second_request_while_one_is_live_is_refused(repository):
    first = scan_request(repository=repository, enqueue=False)
    with pytest.raises(ScanAlreadyRunning) as caught:
        scan_request(repository=repository, enqueue=False)
    assert caught.value.code == "scan.already_running"
    assert caught.value.extra["scan"] == first.pk
    assert Scan.objects.filter(repository=repository).count() == 1


@pytest.mark.django_db
def test_stale_running_scan_is_marked_interrupted_and_no_longer_blocks(repository):
    stale = scan_request(repository=repository, enqueue=False)
    Scan.objects.filter(pk=stale.pk).update(status=Scan.Status.RUNNING,
                                            heartbeat_at=dj_timezone.now() - timedelta(hours=2))
    fresh = scan_request(repository=repository, enqueue=False)
    stale.refresh_from_db()
    assert stale.status == Scan.Status.INTERRUPTED
    assert "stopped reporting progress" in stale.error
    assert fresh.status == Scan.Status.QUEUED


@pytest.mark.django_db
def test_recently_alive_running_scan_still_blocks(repository):
    running = scan_request(repository=repository, enqueue=False)
    Scan.objects.filter(pk=running.pk).update(status=Scan.Status.RUNNING,
                                              heartbeat_at=dj_timezone.now() - timedelta(minutes=1))
    with pytest.raises(ScanAlreadyRunning):
        scan_request(repository=repository, enqueue=False)


@pytest.mark.django_db
def test_interrupted_scan_leaves_previous_results_current(repository, git_repo):
    first = run_scan(repository)
    assert first.status == Scan.Status.SUCCEEDED, first.error
    first_rows = FileScore.objects.filter(scan=first).count()
    git_repo.commit("more", files={"app/new.py": "def f():\n    return 1\n"}, date=BASE_DATE + timedelta(weeks=6))

    def stop_at_analysis(stage: str, done: int, total: int) -> None:
        if stage == "analysis":
            raise KeyboardInterrupt

    second = scan_request(repository=repository, enqueue=False)
    with pytest.raises(KeyboardInterrupt):
        scan_run(scan_id=second.pk, progress=stop_at_analysis)
    second.refresh_from_db()
    repository.refresh_from_db()
    assert second.status == Scan.Status.INTERRUPTED
    assert "analysis" in second.error
    assert second.finished_at is not None
    assert repository.current_scan_id == first.pk
    assert FileScore.objects.filter(scan=first).count() == first_rows
    # The next request is not blocked by the interrupted scan.
    assert run_scan(repository).status == Scan.Status.SUCCEEDED


@pytest.mark.django_db
def test_failed_scan_records_a_readable_error_and_keeps_current(repository, git_repo):
    first = run_scan(repository)
    shutil.rmtree(git_repo.path)
    second = run_scan(repository)
    repository.refresh_from_db()
    assert second.status == Scan.Status.FAILED
    assert "does not exist" in second.error
    assert second.counts["error_code"] == "repository.invalid"
    assert repository.current_scan_id == first.pk
    assert FileScore.objects.filter(scan=first).exists()


@pytest.mark.django_db
def test_unknown_revision_fails_with_its_name(repository):
    scan = run_scan(repository, revision="no-such-branch")
    assert scan.status == Scan.Status.FAILED
    assert "no-such-branch" in scan.error
    assert scan.counts["error_code"] == "revision.not_found"


@pytest.mark.django_db
def test_revision_that_looks_like_an_option_is_refused(repository):
    with pytest.raises(UnsafeRepositorySource):
        scan_request(repository=repository, revision="--output=/tmp/x", enqueue=False)
    assert not Scan.objects.exists()


@pytest.mark.django_db
def test_redelivered_scan_is_not_run_again(repository):
    scan = run_scan(repository)
    again = scan_run(scan_id=scan.pk)
    assert again.status == Scan.Status.SUCCEEDED
    assert again.finished_at == scan.finished_at


@pytest.mark.django_db
def test_running_scan_with_fresh_heartbeat_is_not_run_twice(repository):
    scan = scan_request(repository=repository, enqueue=False)
    beat = dj_timezone.now()
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.RUNNING, heartbeat_at=beat, stage="mining")
    result = scan_run(scan_id=scan.pk)
    assert result.status == Scan.Status.RUNNING
    assert result.heartbeat_at == beat
    assert result.stage == "mining"


@pytest.mark.django_db
def test_running_scan_of_a_dead_worker_is_taken_over_on_redelivery(repository):
    scan = scan_request(repository=repository, enqueue=False)
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.RUNNING,
                                           heartbeat_at=dj_timezone.now() - timedelta(hours=1))
    result = scan_run(scan_id=scan.pk)
    repository.refresh_from_db()
    assert result.status == Scan.Status.SUCCEEDED, result.error
    assert repository.current_scan_id == scan.pk


@pytest.mark.django_db
def test_scan_marked_interrupted_while_running_never_becomes_current(repository):
    def mark_interrupted_at_scoring(stage: str, done: int, total: int) -> None:
        if stage == "scoring":  # another process judged the scan stale
            Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.INTERRUPTED, error="judged stale")

    scan = scan_request(repository=repository, enqueue=False)
    result = scan_run(scan_id=scan.pk, progress=mark_interrupted_at_scoring)
    repository.refresh_from_db()
    assert result.status == Scan.Status.INTERRUPTED
    assert result.error == "judged stale"
    assert repository.current_scan_id is None


@pytest.mark.django_db
def test_receivers_run_after_the_swap_and_failures_are_recorded(repository):
    seen = []

    def record(sender, *, scan: Scan, **kwargs) -> None:
        seen.append((sender, scan.pk, Repository.objects.get(pk=scan.repository_id).current_scan_id))

    def explode(sender, *, scan: Scan, **kwargs) -> None:
        raise ValueError("receiver bug")

    scan_finished.connect(explode, weak=False)
    scan_finished.connect(record, weak=False)
    scan = run_scan(repository)
    assert scan.succeeded
    assert seen == [(Scan, scan.pk, scan.pk)]  # a failing receiver does not stop the next one
    errors = scan.counts["listener_errors"]
    assert len(errors) == 1
    assert "explode" in errors[0]["listener"] and "ValueError: receiver bug" in errors[0]["error"]
    assert {name.rsplit(".", 1)[-1] for name in scan.counts["listener_seconds"]} == {"record", "explode"}
    assert ScanCounts.from_json(scan.counts).listener_errors[0].error == "ValueError: receiver bug"


@pytest.mark.django_db
def test_a_failing_receiver_rolls_back_only_its_own_writes(repository):
    # Receivers own their transactions (the runner opens none around them: the debt register blames
    # files between its short write transactions).
    def write_then_fail(sender, *, scan: Scan, **kwargs) -> None:
        with transaction.atomic():
            Repository.objects.filter(pk=scan.repository_id).update(default_revision="written-then-failed")
            raise RuntimeError("half done")

    def write(sender, *, scan: Scan, **kwargs) -> None:
        Repository.objects.filter(pk=scan.repository_id).update(path=scan.repository.path + "/")

    scan_finished.connect(write_then_fail, weak=False)
    scan_finished.connect(write, weak=False)
    scan = run_scan(repository)
    repository.refresh_from_db()
    assert scan.succeeded and repository.current_scan_id == scan.pk
    assert repository.default_revision == "HEAD"  # its own transaction rolled back
    assert repository.path.endswith("/")  # the next receiver's write stands
    assert [error["listener"].rsplit(".", 1)[-1] for error in scan.counts["listener_errors"]] == ["write_then_fail"]


@pytest.mark.django_db
def test_no_receivers_leave_no_receiver_counts(repository):
    scan = run_scan(repository)
    assert scan.succeeded
    assert "listener_seconds" not in scan.counts and "listener_errors" not in scan.counts


@pytest.mark.django_db
def test_scan_is_live_and_succeeded_follow_the_status(repository):
    scan = scan_request(repository=repository, enqueue=False)
    assert (scan.is_live, scan.succeeded) == (True, False)
    scan = scan_run(scan_id=scan.pk)
    assert (scan.is_live, scan.succeeded) == (False, True)
    for status, live, succeeded in [("running", True, False), ("failed", False, False),
                                    ("interrupted", False, False)]:
        scan.status = status
        assert (scan.is_live, scan.succeeded) == (live, succeeded)


@pytest.mark.django_db
def test_old_scans_keep_summaries_but_lose_detail_rows(repository):
    done = [run_scan(repository) for _ in range(KEEP_DETAILED_SCANS + 2)]
    assert all(scan.status == Scan.Status.SUCCEEDED for scan in done)
    for scan in done[:2]:
        scan.refresh_from_db()
        assert not FileScore.objects.filter(scan=scan).exists()
        assert not SnapshotFile.objects.filter(scan=scan).exists()
        assert scan.summary
    for scan in done[2:]:
        assert FileScore.objects.filter(scan=scan).exists()
    # Every scan was of the same commit: the trend plots it once, as its newest scan (issue 17).
    assert list(scan_trend(repository=repository).values_list("pk", flat=True)) == [done[-1].pk]


def assert_backfilled(scans) -> None:
    """Each scan ran as a backfill scan, succeeded and kept its scores."""
    for scan in scans:
        scan.refresh_from_db()
        assert scan.is_backfill
        assert scan.status == Scan.Status.SUCCEEDED, scan.error
        assert FileScore.objects.filter(scan=scan).exists()


@pytest.mark.django_db
def test_backfill_scans_past_revisions_without_becoming_current(
    repository, git_repo, django_capture_on_commit_callbacks
):
    live = run_scan(repository)
    with django_capture_on_commit_callbacks(execute=True):
        past = scan_backfill(repository=repository, spec="weekly:3")
    assert queued_tasks() == [("metrics.tasks.scan_backfill_task", [[scan.pk for scan in past]])]
    run_queued_tasks()
    # The live scan is at week 4; a week before each boundary lies the commit of weeks 3, 2 and 1. They
    # run oldest first: each builds on the history of the one before.
    assert [scan.commit_sha for scan in past] == [git_repo.commits[1], git_repo.commits[2], git_repo.commits[3]]
    assert_backfilled(past)
    assert [s.committed_at for s in past] == [BASE_DATE + timedelta(weeks=w) for w in (1, 2, 3)]
    assert [scan.counts["scoring"]["history_from_cache"] for scan in past] == [False, True, True]
    repository.refresh_from_db()
    assert repository.current_scan_id == live.pk
    assert scan_trend(repository=repository).count() == 4
    # Asking again adds nothing: every point is scanned already.
    assert scan_backfill(repository=repository, spec="weekly:3", enqueue=False) == []


@pytest.mark.django_db
def test_backfill_skips_repeated_commits_and_periods_before_the_first_commit(repository):
    past = scan_backfill(repository=repository, spec="daily:40", enqueue=False)
    # Forty days back from the tip (week 4) meet only the commits of weeks 3, 2, 1 and 0, once each.
    assert [scan.committed_at for scan in past] == [BASE_DATE + timedelta(weeks=w) for w in (0, 1, 2, 3)]
    assert all(scan.status == Scan.Status.QUEUED and scan.is_backfill for scan in past)


@pytest.mark.django_db
@pytest.mark.parametrize("spec", ["yearly:3", "weekly:0", "weekly:1001", "", "weekly:3;rm"])
def test_invalid_backfill_spec_is_refused(repository, spec):
    with pytest.raises(InvalidInput, match="weekly:52") as caught:
        scan_backfill(repository=repository, spec=spec)
    assert caught.value.code == "scan.invalid_backfill"
    assert caught.value.extra == {"spec": spec}
    assert not Scan.objects.filter(is_backfill=True).exists()


@pytest.mark.django_db
def test_repository_without_python_files_scans_to_empty_results(git_repo):
    git_repo.commit("docs only", files={"README.md": "# nothing to analyse\n", "setup.cfg": "[x]\n"})
    repository = repository_create(source=str(git_repo.path))
    scan = run_scan(repository)
    repository.refresh_from_db()
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    assert repository.current_scan_id == scan.pk
    assert not FileScore.objects.filter(scan=scan).exists()
    assert scan.counts["analysis"]["files"] == 0
