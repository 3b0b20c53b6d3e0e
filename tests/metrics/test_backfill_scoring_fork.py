"""When scoring forks a child for its file side: in a live scan, and in a backfill once the cores are free.

A live scan's file side runs in a forked child on the free core. Within a backfill's block, while the
background pool still analyses what was started ahead, a fork costs more than it saves, so scoring runs
in-process; once those analyses are done, the cores are free and scoring forks again.
"""
import pytest

from metrics.services.scans.backfill import scan_backfill, scan_backfill_running
from metrics.services.scans.runs import scan_run
from tests.metrics import test_tasks
from tests.metrics.core.test_pool_background import start_slow
from tests.metrics.test_scans import run_scan

# The same sample repository and the same quiet scan_finished as the task tests.
repository = test_tasks.repository
_no_other_listeners = test_tasks._no_other_listeners


@pytest.mark.django_db
def test_within_a_backfill_scoring_forks_once_the_analyses_started_ahead_have_finished(repository, settings):
    settings.DEBTBOARD_SCORING_FORK = True
    live = run_scan(repository)
    assert live.counts["scoring"]["parallel"] is True  # its file side ran in a forked child
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    with scan_backfill_running(scans=past[:1]):
        start_slow(60)  # still running when the scan scores
        busy = scan_run(scan_id=past[0].pk)
    with scan_backfill_running(scans=past[1:]):
        free = [scan_run(scan_id=scan.pk) for scan in past[1:]]
    assert busy.counts["scoring"]["parallel"] is False
    assert free[-1].counts["scoring"]["parallel"] is True  # every analysis started ahead was taken by then
