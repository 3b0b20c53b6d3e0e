"""A live scan's analysis starts on a background pool before its mining, and the analysis stage takes it."""
import pytest

from metrics.core import pool_context
from metrics.data import ScanCounts
from metrics.models import BlobAnalysis, Scan
from metrics.services.scans import runs
from tests.metrics import test_tasks
from tests.metrics.test_scans import run_scan

# The same sample repository (app/__init__.py, core.py and util.py) and quiet scan_finished as the task tests.
repository = test_tasks.repository
_no_other_listeners = test_tasks._no_other_listeners


def started_when_mining(monkeypatch) -> list[tuple[int, bool]]:
    """Spy on the mining stage: analyses started on the shared pool when it began, and whether the pool runs."""
    seen: list[tuple[int, bool]] = []
    mine = runs.history_mine

    def spied(**kwargs):
        kept = pool_context.kept()
        seen.append((len(kept.prefetched), kept.pool is not None) if kept is not None else (-1, False))
        return mine(**kwargs)

    monkeypatch.setattr(runs, "history_mine", spied)
    return seen


@pytest.mark.django_db
def test_a_live_scan_starts_its_uncached_files_before_mining_and_stores_them_in_the_analysis_stage(
    repository, monkeypatch
):
    seen = started_when_mining(monkeypatch)
    scan = run_scan(repository)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    assert seen == [(3, True)]  # the head's three Python files, started before mining began
    counts = ScanCounts.from_json(scan.counts).analysis
    assert (counts.files, counts.analysed, counts.cached, counts.errors) == (3, 3, 0, 0)
    assert BlobAnalysis.objects.count() == 3
    assert pool_context.kept() is None  # the block, and its pool, ended with the analysis stage


@pytest.mark.django_db
def test_a_rescan_with_nothing_new_to_analyse_starts_no_pool(repository, monkeypatch):
    run_scan(repository)
    seen = started_when_mining(monkeypatch)
    again = run_scan(repository)
    assert again.status == Scan.Status.SUCCEEDED, again.error
    assert ScanCounts.from_json(again.counts).analysis.cached == 3
    assert seen == [(0, False)]


@pytest.mark.django_db
def test_where_processes_cannot_be_started_the_analysis_stage_analyses_as_before(repository, monkeypatch):
    monkeypatch.setattr("metrics.services.scans.ahead.can_start_processes", lambda: False)
    monkeypatch.setattr("metrics.core.pool.can_start_processes", lambda: False)  # a Celery prefork child
    seen = started_when_mining(monkeypatch)
    scan = run_scan(repository)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    assert seen == [(-1, False)]  # no shared pool
    assert ScanCounts.from_json(scan.counts).analysis.analysed == 3
