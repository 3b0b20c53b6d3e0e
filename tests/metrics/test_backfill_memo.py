"""What a backfill's scans keep for each other within its block: git's unchanging answers and the history."""
import pytest

from metrics.models import Scan
from metrics.services import analysis, history, scoring_history
from metrics.services.scans.backfill import scan_backfill, scan_backfill_running
from metrics.services.scans.runs import scan_run
from metrics.services.scoring_memo import earlier_history
from tests.metrics import test_tasks
from tests.metrics.test_scans import assert_backfilled, run_scan

# The same sample repository and the same quiet scan_finished as the task tests.
repository = test_tasks.repository
_no_other_listeners = test_tasks._no_other_listeners


def counted(function, asked: list):
    """`function`, run for real, with each call's name added to `asked`."""
    def run(*args, **kwargs):
        asked.append(function.__name__)
        return function(*args, **kwargs)
    return run


@pytest.mark.django_db
def test_within_the_backfill_block_git_is_asked_each_question_once(repository, monkeypatch):
    """Answers that cannot change while the block runs (a commit's files, whether the clone is shallow) are
    asked of git once (metrics.core.block_memo), and forgotten when the block ends."""
    run_scan(repository)
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    asked = []
    for module, name in ((analysis, "list_files"), (history, "shallow_boundary"),
                         (scoring_history, "shallow_boundary"), (history, "count_commits")):
        monkeypatch.setattr(module, name, counted(getattr(module, name), asked))
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


@pytest.mark.django_db
def test_each_past_revision_builds_on_the_history_of_the_one_before_until_the_block_ends(repository):
    """The oldest past revision cuts its history out of the mined one; each later one reads only the commits
    since the revision before (metrics.services.scoring_memo.earlier_history), which the block then lets go.
    """
    run_scan(repository)
    past = scan_backfill(repository=repository, spec="weekly:3", enqueue=False)
    with scan_backfill_running(scans=past):
        scanned = [scan_run(scan_id=scan.pk) for scan in past]
        assert earlier_history((repository.pk, repository.history_token), backfill=True)["commit_sha"] == \
            past[-1].commit_sha
    assert [scan.counts["scoring"]["history_from_cache"] for scan in scanned] == [False, True, True]
    assert [scan.counts["scoring"]["history_commits_read"] for scan in scanned] == [2, 1, 1]
    assert earlier_history((repository.pk, repository.history_token), backfill=True) is None
