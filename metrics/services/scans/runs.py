"""Running a scan: claim it, track its heartbeat, run the stages, swap it in, start the post-scan step.

See docs/scanning.md for the locking, visibility and failure rules implemented here.
"""
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from debtboard.errors import DebtboardError
from debtboard.logs import scan_logging
from debtboard.text import clean_text
from metrics.choices import ENDED_WITHOUT_RESULTS
from metrics.conf import analysis_workers, git_timeout
from metrics.core.errors import CoreError
from metrics.data import (
    AnalysisCounts,
    MiningCounts,
    RepositoryConfig,
    ScanCounts,
    ScoringCounts,
    repository_config_from_json,
)
from metrics.errors import ScanNotFound
from metrics.models import Repository, Scan
from metrics.services.analysis import SnapshotResult, analysis_config_for, snapshot_analyze
from metrics.services.history import MiningResult, history_mine
from metrics.services.repositories import (
    core_error_translate,
    repository_path,
    repository_revision_resolve,
    repository_sync,
)
from metrics.services.scans.after import scan_after_start
from metrics.services.scans.ahead import analysis_ahead
from metrics.services.scans.retention import scan_details_delete
from metrics.services.scoring import scan_score

logger = logging.getLogger(__name__)

# Progress and heartbeat rows are written at most this often (seconds); stage changes at once.
PROGRESS_INTERVAL = 0.5
# A running scan whose heartbeat is older than this is stale: its worker died or hung. It must exceed
# the longest step that reports no progress (one git fetch, bounded by DEBTBOARD_GIT_TIMEOUT).
STALE_RUNNING_AFTER = timedelta(minutes=15)

ScanProgress = Callable[[str, int, int], None]


class ScanLost(Exception):
    """The scan stopped being ours while it ran (cancelled, or marked stale and interrupted)."""


def stale_running_after() -> timedelta:
    """How old a running scan's heartbeat may be before the scan counts as dead."""
    return max(STALE_RUNNING_AFTER, timedelta(seconds=git_timeout() + 300))


def scan_run(*, scan_id: int, progress: ScanProgress | None = None) -> Scan:
    """Run a queued scan's stages and make it current; record why when it fails or is interrupted."""
    scan, claimed = _scan_claim(scan_id)
    if not claimed:
        logger.info("Scan %s is %s; not running it again", scan.pk, scan.status)
        return scan
    with scan_logging(scan_id=scan.pk, repository=scan.repository.name):
        logger.info("Scan %s of %s started (%s)", scan.pk, scan.repository.name, scan.revision)
        _scan_run_claimed(scan, ScanTracker(scan, progress))
    scan.refresh_from_db()
    return scan


def _scan_run_claimed(scan: Scan, tracker: "ScanTracker") -> None:
    """Run a claimed scan; a failure or interruption is recorded on the scan (and an interruption re-raised)."""
    try:
        _scan_pipeline(scan, tracker)
    except ScanLost:
        _scan_lost(scan)
    except (KeyboardInterrupt, SystemExit):
        _scan_end(scan, Scan.Status.INTERRUPTED, f"Interrupted during {scan.stage} (the process was stopped).",
                  "scan.interrupted")
        raise
    except DebtboardError as exc:
        _scan_end(scan, Scan.Status.FAILED, exc.message, exc.code)
    except CoreError as exc:
        error = core_error_translate(exc)
        _scan_end(scan, Scan.Status.FAILED, error.message, error.code)
    except Exception as exc:
        logger.exception("Scan %s failed during %s", scan.pk, scan.stage)
        _scan_end(scan, Scan.Status.FAILED, f"Unexpected error during {scan.stage}: {type(exc).__name__}: {exc}",
                  "scan.internal_error")


class ScanTracker:
    """Writes a running scan's stage, progress and heartbeat (throttled) and forwards progress to a callback."""

    def __init__(self, scan: Scan, callback: ScanProgress | None = None, *, interval: float = PROGRESS_INTERVAL):
        self.scan = scan
        self.callback = callback
        self.interval = interval
        self.last_write = 0.0

    def stage(self, stage: str) -> None:
        """Enter a stage: written at once, progress reset."""
        self.scan.stage = stage
        self.scan.progress_done = self.scan.progress_total = 0
        self._write()
        if self.callback is not None:
            self.callback(stage, 0, 0)

    def progress(self, done: int, total: int | None = None) -> None:
        """Record `done` of `total` items in the current stage."""
        self.scan.progress_done = max(0, int(done))
        self.scan.progress_total = max(0, int(total if total is not None else self.scan.progress_total))
        if time.monotonic() - self.last_write >= self.interval:
            self._write()
        if self.callback is not None:
            self.callback(self.scan.stage, self.scan.progress_done, self.scan.progress_total)

    def _write(self) -> None:
        now = timezone.now()
        self.scan.heartbeat_at = now
        self.last_write = time.monotonic()
        # queryset.update, so a concurrent write of other fields is never overwritten with stale values;
        # the status condition makes a scan that was marked interrupted stop instead of carrying on.
        updated = Scan.objects.filter(pk=self.scan.pk, status=Scan.Status.RUNNING).update(
            stage=self.scan.stage, progress_done=self.scan.progress_done,
            progress_total=self.scan.progress_total, heartbeat_at=now,
        )
        if not updated:
            raise ScanLost(self.scan.pk)


def _scan_claim(scan_id: int) -> tuple[Scan, bool]:
    """Take a queued scan (queued -> running, one conditional UPDATE), or a stale running one after a crash."""
    now = timezone.now()
    claimed = Scan.objects.filter(pk=scan_id, status=Scan.Status.QUEUED).update(
        status=Scan.Status.RUNNING, stage=Scan.Stage.FETCHING, started_at=now, heartbeat_at=now
    )
    scan = Scan.objects.select_related("repository").filter(pk=scan_id).first()
    if scan is None:
        raise ScanNotFound(f"No scan {scan_id}.", extra={"scan": scan_id})
    if claimed:
        return scan, True
    stale = scan.heartbeat_at is None or scan.heartbeat_at < now - stale_running_after()
    if scan.status == Scan.Status.RUNNING and stale:
        # A redelivered task whose previous worker died: take over with a compare-and-swap on the heartbeat.
        took = Scan.objects.filter(pk=scan_id, status=Scan.Status.RUNNING, heartbeat_at=scan.heartbeat_at).update(
            started_at=now, heartbeat_at=now, error=""
        )
        if took:
            scan.refresh_from_db()
            return scan, True
    return scan, False


def _scan_pipeline(scan: Scan, tracker: ScanTracker) -> None:
    """Fetch, resolve, mine, analyse and score; then swap the scan in atomically."""
    durations: dict[str, float] = {}
    started = time.perf_counter()
    repo_path = _scan_fetch(scan, tracker, durations)
    config = repository_config_from_json(scan.repository.config)
    # The analysis starts on a background pool before mining (metrics.services.scans.ahead).
    with analysis_ahead(scan=scan, repo_path=repo_path):
        mining, analysis = _scan_mine_and_analyse(scan, tracker, repo_path, config, durations)

    tracker.stage(Scan.Stage.SCORING)
    mark = time.perf_counter()
    scoring = scan_score(scan=scan, repo_path=repo_path, config=config, progress=tracker.progress)
    durations["scoring"] = time.perf_counter() - mark
    durations["total"] = time.perf_counter() - started

    counts = replace(
        ScanCounts.from_json(scan.counts),  # what the stages recorded themselves (e.g. CODEOWNERS problems)
        mining=MiningCounts.of(mining), analysis=AnalysisCounts.of(analysis), scoring=ScoringCounts.of(scoring),
        seconds={stage: round(value, 3) for stage, value in durations.items()},
    )
    _scan_finish(scan, counts)
    logger.info("Scan %s of %s succeeded in %.1f s", scan.pk, scan.repository.name, durations["total"])


def _scan_fetch(scan: Scan, tracker: ScanTracker, durations: dict[str, float]) -> str:
    """Fetch (a live scan) and resolve the scan's revision; return the path to run git against."""
    repository = scan.repository
    started = time.perf_counter()
    tracker.stage(Scan.Stage.FETCHING)
    repo_path = repository_path(repository=repository) if scan.is_backfill else repository_sync(repository=repository)
    resolved = repository_revision_resolve(repository=repository, revision=scan.revision, repo_path=repo_path)
    scan.commit_sha, scan.committed_at = resolved.sha, resolved.committed_at
    Scan.objects.filter(pk=scan.pk).update(commit_sha=scan.commit_sha, committed_at=scan.committed_at)
    scan_details_delete(scan_ids=[scan.pk])  # a clean slate when a crashed scan is run again
    durations["fetching"] = time.perf_counter() - started
    return repo_path


def _scan_mine_and_analyse(
    scan: Scan, tracker: ScanTracker, repo_path: str, config: RepositoryConfig, durations: dict[str, float]
) -> tuple[MiningResult, SnapshotResult]:
    """The mining and analysis stages, each timed."""
    repository = scan.repository
    tracker.stage(Scan.Stage.MINING)
    mark = time.perf_counter()
    update_head = not scan.is_backfill and scan.revision == repository.default_revision
    mining = history_mine(repository=repository, repo_path=repo_path, commit_sha=scan.commit_sha, config=config,
                          progress=tracker.progress, update_head=update_head)
    durations["mining"] = time.perf_counter() - mark

    tracker.stage(Scan.Stage.ANALYSIS)
    mark = time.perf_counter()
    analysis = snapshot_analyze(scan=scan, repo_path=repo_path, commit_sha=scan.commit_sha,
                                config=analysis_config_for(repository=repository),
                                workers=analysis_workers() or None, progress=tracker.progress)
    durations["analysis"] = time.perf_counter() - mark
    return mining, analysis


def _scan_finish(scan: Scan, counts: ScanCounts) -> None:
    """Mark the scan succeeded and make it current in one transaction; then start the post-scan step and prune."""
    now = timezone.now()
    with transaction.atomic():
        updated = Scan.objects.filter(pk=scan.pk, status=Scan.Status.RUNNING).update(
            status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE, finished_at=now, heartbeat_at=now,
            counts=counts.as_json(), summary=scan.summary or {}, error="",
        )
        if not updated:
            raise ScanLost(scan.pk)
        if not scan.is_backfill:
            Repository.objects.filter(pk=scan.repository_id).update(current_scan=scan)
    scan.status, scan.stage, scan.finished_at = Scan.Status.SUCCEEDED, Scan.Stage.DONE, now
    scan.counts = counts.as_json()
    if scan.is_backfill:
        return
    scan.repository.current_scan = scan
    # The post-scan step (a background task, or inline: DEBTBOARD_POST_SCAN) also prunes superseded scans.
    scan_after_start(scan=scan)


def _scan_lost(scan: Scan) -> None:
    """Stop a scan that was cancelled or interrupted while it ran: drop the detail rows it wrote so far."""
    status = Scan.objects.filter(pk=scan.pk).values_list("status", flat=True).first()
    logger.warning("Scan %s is %s: stopped during %s; its partial results are discarded", scan.pk, status, scan.stage)
    if status in ENDED_WITHOUT_RESULTS:  # never a scan another worker took over and finished
        scan_details_delete(scan_ids=[scan.pk])


def _scan_end(scan: Scan, status: str, message: str, code: str) -> None:
    """Record a failed or interrupted scan; the repository's current scan stays as it was."""
    logger.warning("Scan %s %s: %s", scan.pk, status, message)
    try:
        Scan.objects.filter(pk=scan.pk, status=Scan.Status.RUNNING).update(
            status=status, error=clean_text(message, max_length=10000), finished_at=timezone.now(),
            counts=replace(ScanCounts.from_json(scan.counts), error_code=code).as_json(),
        )
    except Exception:  # the database itself may be what failed; the scan goes stale and is recovered later
        logger.exception("Could not record the end of scan %s", scan.pk)
