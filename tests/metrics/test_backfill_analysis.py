"""A backfill's analysis: its past revisions' changed files analysed once, ahead of or beside its scans."""
import pytest

from metrics.core import pool_context
from metrics.core.shared_pool import shared_pool
from metrics.data import ScanCounts
from metrics.models import Scan
from metrics.services import analysis, history, scoring_history
from metrics.services.scans.backfill import scan_backfill, scan_backfill_prepare, scan_backfill_running
from metrics.services.scans.runs import scan_run
from tests.metrics.test_scans import assert_backfilled, run_scan
from tests.metrics import test_tasks

# The same sample repository and the same quiet scan_finished as the task tests.
repository = test_tasks.repository
_no_other_listeners = test_tasks._no_other_listeners


@pytest.mark.django_db
def test_a_backfill_analyses_the_files_its_revisions_changed_ahead_in_one_run(repository):
    run_scan(repository)
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    # Weeks 3, 2 and 1 have core.py in three versions the head lacks, and util.py of weeks 1-2 (one blob);
    # week 3's util.py and the empty __init__.py are the head's.
    assert scan_backfill_prepare(scans=past) == 4
    assert scan_backfill_prepare(scans=past) == 0
    for scan in past:
        scan = scan_run(scan_id=scan.pk)
        counts = ScanCounts.from_json(scan.counts).analysis
        assert (counts.files, counts.analysed, counts.cached) == (3, 0, 3)
    assert_backfilled(past)


@pytest.mark.django_db
def test_within_a_shared_pool_the_backfill_analyses_beside_its_scans_and_each_scan_takes_its_own(repository):
    run_scan(repository)
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    with shared_pool():
        assert scan_backfill_prepare(scans=past) == 4  # started on the pool, not stored yet
        assert len(pool_context.kept().prefetched) == 4
        scanned = [scan_run(scan_id=scan.pk) for scan in past]
        assert pool_context.kept().prefetched == {}  # every scan took its own from the pool
    analysed = [ScanCounts.from_json(scan.counts).analysis for scan in scanned]
    # Each scan stored the versions its revision needed that the ones before had not: 4 in all, none twice.
    assert sum(counts.analysed for counts in analysed) == 4
    assert all(counts.files == 3 for counts in analysed)
    assert_backfilled(past)


@pytest.mark.django_db
def test_within_the_backfill_block_git_is_asked_each_question_once(repository, monkeypatch):
    run_scan(repository)
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    asked = []

    def counted(function):
        def run(*args, **kwargs):
            asked.append(function.__name__)
            return function(*args, **kwargs)
        return run

    # Spies that count and then run the real git commands.
    monkeypatch.setattr(analysis, "list_files", counted(analysis.list_files))
    monkeypatch.setattr(history, "shallow_boundary", counted(history.shallow_boundary))
    monkeypatch.setattr(scoring_history, "shallow_boundary", counted(scoring_history.shallow_boundary))
    monkeypatch.setattr(history, "count_commits", counted(history.count_commits))
    with scan_backfill_running(scans=past):
        assert [scan_run(scan_id=scan.pk).status for scan in past] == [Scan.Status.SUCCEEDED] * 3
    # Each revision listed once (by the preparation; its scan reuses that listing), the clone asked once
    # whether it is shallow, and no past revision mined (the mined head reaches them all).
    assert sorted(asked) == ["list_files"] * 3 + ["shallow_boundary"]
    assert_backfilled(past)
    # After the block every scan asks git again.
    asked.clear()
    analysis.revision_listing(repository.path, past[0].commit_sha, analysis.analysis_config_for(repository=repository))
    analysis.revision_listing(repository.path, past[0].commit_sha, analysis.analysis_config_for(repository=repository))
    assert asked == ["list_files", "list_files"]
