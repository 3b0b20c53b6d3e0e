"""Pruning superseded scans is part of the post-scan step, not of what `debtboard scan` waits for.

With the step as a background task (the default), a scan returns with the superseded scan's detail rows
still there; the step, run as a worker runs it, prunes them, and a step that finds a newer scan current
(skipped) still prunes. A failure to prune is logged and leaves the step's own outcome alone.
"""
import pytest

from metrics.choices import AfterScanStatus
from metrics.models import FileScore, Scan
from metrics.services.scans import after
from metrics.services.scans.after import scan_after_run
from metrics.services.scans.retention import KEEP_DETAILED_SCANS
from tests.metrics import test_scans
from tests.metrics.test_scans import run_scan

repository = test_scans.repository
_no_other_listeners = test_scans._no_other_listeners


def _detailed(scans: list[Scan]) -> list[bool]:
    return [FileScore.objects.filter(scan=scan).exists() for scan in scans]


@pytest.mark.django_db
def test_the_scan_returns_before_pruning_and_its_post_scan_step_prunes(repository, settings):
    settings.DEBTBOARD_POST_SCAN = "task"
    done = [run_scan(repository) for _ in range(KEEP_DETAILED_SCANS + 1)]
    assert _detailed(done) == [True] * (KEEP_DETAILED_SCANS + 1)  # nothing pruned while the scans ran
    assert scan_after_run(scan_id=done[-2].pk).after_status == AfterScanStatus.SKIPPED  # a newer one is current
    assert _detailed(done) == [False] + [True] * KEEP_DETAILED_SCANS
    assert scan_after_run(scan_id=done[-1].pk).after_status == AfterScanStatus.SUCCEEDED


@pytest.mark.django_db
def test_a_failure_to_prune_is_logged_and_the_step_still_succeeds(repository, settings, monkeypatch, caplog):
    settings.DEBTBOARD_POST_SCAN = "task"
    scan = run_scan(repository)

    def broken(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(after, "scan_retention_apply", broken)
    assert scan_after_run(scan_id=scan.pk).after_status == AfterScanStatus.SUCCEEDED
    assert "Pruning the superseded scans of sample" in caplog.text
