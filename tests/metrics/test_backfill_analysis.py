"""A backfill's analysis: its past revisions' changed files analysed once, ahead of or beside its scans."""
import pytest

from metrics.core import pool_context
from metrics.core.shared_pool import shared_pool
from metrics.data import ScanCounts
from metrics.services.scans.backfill import scan_backfill, scan_backfill_prepare
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
