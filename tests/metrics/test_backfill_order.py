"""The order a backfill works in: its past revisions oldest first, each revision's new files largest first."""
import pytest

from metrics.core import pool_context
from metrics.core.blobs import BlobReader
from metrics.core.shared_pool import shared_pool
from metrics.services.scans.backfill import scan_backfill, scan_backfill_prepare
from tests.metrics import test_tasks
from tests.metrics.test_scans import run_scan

# The same sample repository and the same quiet scan_finished as the task tests.
repository = test_tasks.repository
_no_other_listeners = test_tasks._no_other_listeners


@pytest.mark.django_db
def test_past_revisions_are_created_oldest_first(repository):
    run_scan(repository)
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    dates = [scan.committed_at for scan in past]
    assert len(dates) == 3 and dates == sorted(dates)
    assert [scan.pk for scan in past] == sorted(scan.pk for scan in past)  # the order a worker runs them in


@pytest.mark.django_db
def test_each_revisions_files_are_started_largest_first(repository):
    run_scan(repository)
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    with shared_pool():
        scan_backfill_prepare(scans=past[:1])
        started = list(pool_context.kept().prefetched)  # in the order they were scheduled
    with BlobReader(repository.path) as reader:
        sizes = [len(reader.read(sha)) for sha, _fingerprint in started]
    assert len(sizes) > 1 and sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
