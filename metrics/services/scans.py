"""The scan pipeline: request, run (fetching -> mining -> analysis -> scoring), swap, listeners, retention, backfill.

See docs/scanning.md for the locking, visibility, failure and retention rules implemented here.
"""
import calendar
import dataclasses
import logging
import math
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from debtboard.errors import DebtboardError, InvalidInput
from debtboard.text import clean_text
from metrics.conf import analysis_workers, git_timeout
from metrics.core.errors import CoreError
from metrics.core.gitcmd import run_git
from metrics.data import repository_config_from_json
from metrics.errors import ScanAlreadyRunning, ScanNotFound
from metrics.models import CodeOwner, Coupling, FileAuthor, FileScore, FunctionScore, Repository, Scan, SnapshotFile
from metrics.services.analysis import analysis_config_for, snapshot_analyze
from metrics.services.history import history_mine
from metrics.services.repositories import (
    core_error_translate,
    repository_path,
    repository_revision_resolve,
    repository_sync,
    revision_validate,
)
from metrics.services.scoring import scan_score

logger = logging.getLogger(__name__)

# Progress and heartbeat rows are written at most this often (seconds); stage changes at once.
PROGRESS_INTERVAL = 0.5
# A running scan whose heartbeat is older than this is stale: its worker died or hung. It must exceed
# the longest step that reports no progress (one git fetch, bounded by DEBTBOARD_GIT_TIMEOUT).
STALE_RUNNING_AFTER = timedelta(minutes=15)
# A queued scan whose task never started (a lost message) stops blocking new scans after this long;
# it is longer than the broker's visibility timeout, after which a lost message would be redelivered.
STALE_QUEUED_AFTER = timedelta(hours=24)
# Detail rows (scores, couplings, authors, owners, snapshot files) are kept for the current scan and the
# newest successful live scans up to this many; older live scans keep their summary only.
KEEP_DETAILED_SCANS = 3
MAX_BACKFILL_POINTS = 1000
BACKFILL_UNITS = ("daily", "weekly", "monthly")
DETAIL_MODELS = (FileScore, FunctionScore, Coupling, FileAuthor, CodeOwner, SnapshotFile)
LIVE_STATUSES = (Scan.Status.QUEUED, Scan.Status.RUNNING)

ScanProgress = Callable[[str, int, int], None]
ScanListener = Callable[[Scan], None]

_LISTENERS: list[ScanListener] = []


class ScanLost(Exception):
    """The scan stopped being ours while it ran (marked stale and interrupted, or taken over)."""


def on_scan_finished(callback: ScanListener) -> ScanListener:
    """Register `callback(scan)` to run after a live scan succeeded and became current (usable as a decorator)."""
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)
    return callback


def stale_running_after() -> timedelta:
    """How old a running scan's heartbeat may be before the scan counts as dead."""
    return max(STALE_RUNNING_AFTER, timedelta(seconds=git_timeout() + 300))


def scan_stale_recover(*, repository: Repository | None = None) -> int:
    """Mark scans whose worker stopped reporting as interrupted; return how many were marked."""
    now = timezone.now()
    stale = Q(status=Scan.Status.RUNNING, heartbeat_at__lt=now - stale_running_after()) | Q(
        status=Scan.Status.QUEUED, created_at__lt=now - STALE_QUEUED_AFTER
    )
    queryset = Scan.objects.filter(stale)
    if repository is not None:
        queryset = queryset.filter(repository=repository)
    marked = queryset.update(
        status=Scan.Status.INTERRUPTED,
        finished_at=now,
        error="The scan stopped reporting progress (its worker stopped or was killed); it was marked interrupted.",
    )
    if marked:
        logger.warning("Marked %d stale scan(s) interrupted", marked)
    return marked


def scan_request(
    *, repository: Repository, revision: str = "", requested_by: Any = None, enqueue: bool = True
) -> Scan:
    """Create a queued live scan of a revision and queue it; raise ScanAlreadyRunning when one is live."""
    revision = revision_validate(revision or repository.default_revision)
    scan_stale_recover(repository=repository)
    _raise_if_live(repository)
    try:
        with transaction.atomic():
            scan = Scan.objects.create(
                repository=repository, revision=revision, requested_by=requested_by, status=Scan.Status.QUEUED,
                stage=Scan.Stage.QUEUED, heartbeat_at=timezone.now(),
            )
    except IntegrityError:
        _raise_if_live(repository)  # a concurrent request won the race
        raise
    if enqueue:
        transaction.on_commit(lambda: _enqueue("scan_run_task", scan.pk, scan_ids=[scan.pk]))
    return scan


def scan_run(*, scan_id: int, progress: ScanProgress | None = None) -> Scan:
    """Run a queued scan's stages and make it current; record why when it fails or is interrupted."""
    scan, claimed = _scan_claim(scan_id)
    if not claimed:
        logger.info("Scan %s is %s; not running it again", scan.pk, scan.status)
        return scan
    tracker = ScanTracker(scan, progress)
    try:
        _scan_pipeline(scan, tracker)
    except ScanLost:
        logger.warning("Scan %s was marked stale or taken over while it ran; its results are discarded", scan.pk)
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
    scan.refresh_from_db()
    return scan


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
    repository = scan.repository
    durations: dict[str, float] = {}
    started = time.perf_counter()
    tracker.stage(Scan.Stage.FETCHING)
    repo_path = repository_path(repository=repository) if scan.is_backfill else repository_sync(repository=repository)
    resolved = repository_revision_resolve(repository=repository, revision=scan.revision, repo_path=repo_path)
    scan.commit_sha, scan.committed_at = resolved.sha, resolved.committed_at
    Scan.objects.filter(pk=scan.pk).update(commit_sha=scan.commit_sha, committed_at=scan.committed_at)
    config = repository_config_from_json(repository.config)
    scan_details_delete(scan_ids=[scan.pk])  # a clean slate when a crashed scan is run again
    durations["fetching"] = time.perf_counter() - started

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

    tracker.stage(Scan.Stage.SCORING)
    mark = time.perf_counter()
    scoring = scan_score(scan=scan, repo_path=repo_path, config=config, progress=tracker.progress)
    durations["scoring"] = time.perf_counter() - mark
    durations["total"] = time.perf_counter() - started

    counts = {
        **(scan.counts or {}),  # what the stages recorded themselves (e.g. CODEOWNERS problems)
        "mining": _result_counts(mining),
        "analysis": _result_counts(analysis),
        "scoring": _result_counts(scoring),
        "seconds": {stage: round(value, 3) for stage, value in durations.items()},
    }
    _scan_finish(scan, counts)


def _scan_finish(scan: Scan, counts: dict[str, Any]) -> None:
    """Mark the scan succeeded and make it current in one transaction; then notify listeners and prune."""
    now = timezone.now()
    with transaction.atomic():
        updated = Scan.objects.filter(pk=scan.pk, status=Scan.Status.RUNNING).update(
            status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE, finished_at=now, heartbeat_at=now,
            counts=counts, summary=scan.summary or {}, error="",
        )
        if not updated:
            raise ScanLost(scan.pk)
        if not scan.is_backfill:
            Repository.objects.filter(pk=scan.repository_id).update(current_scan=scan)
    scan.status, scan.stage, scan.finished_at, scan.counts = Scan.Status.SUCCEEDED, Scan.Stage.DONE, now, counts
    if scan.is_backfill:
        return
    scan.repository.current_scan = scan
    _notify_listeners(scan)
    scan_retention_apply(repository=scan.repository)


def _scan_end(scan: Scan, status: str, message: str, code: str) -> None:
    """Record a failed or interrupted scan; the repository's current scan stays as it was."""
    logger.warning("Scan %s %s: %s", scan.pk, status, message)
    try:
        Scan.objects.filter(pk=scan.pk, status=Scan.Status.RUNNING).update(
            status=status, error=clean_text(message, max_length=10000), finished_at=timezone.now(),
            counts={**(scan.counts or {}), "error_code": code},
        )
    except Exception:  # the database itself may be what failed; the scan goes stale and is recovered later
        logger.exception("Could not record the end of scan %s", scan.pk)


def _notify_listeners(scan: Scan) -> None:
    """Call every registered listener; a failing one is logged and recorded, never fails the scan."""
    errors, seconds = [], {}
    for callback in list(_LISTENERS):
        name = f"{getattr(callback, '__module__', '?')}.{getattr(callback, '__qualname__', repr(callback))}"
        started = time.perf_counter()
        try:
            with transaction.atomic():
                callback(scan)
        except Exception as exc:
            logger.exception("Scan listener %s failed for scan %s", name, scan.pk)
            errors.append({"listener": name, "error": f"{type(exc).__name__}: {exc}"[:1000]})
        seconds[name] = round(time.perf_counter() - started, 3)
    if seconds:
        scan.counts = {**scan.counts, "listener_seconds": seconds, **({"listener_errors": errors} if errors else {})}
        Scan.objects.filter(pk=scan.pk).update(counts=scan.counts)


def scan_details_delete(*, scan_ids: list[int]) -> None:
    """Delete the detail rows (scores, couplings, authors, owners, snapshot files) of the given scans."""
    for model in DETAIL_MODELS:
        model.objects.filter(scan_id__in=scan_ids).delete()


def scan_retention_apply(*, repository: Repository) -> list[int]:
    """Drop detail rows of superseded live scans beyond the newest KEEP_DETAILED_SCANS and of failed scans."""
    current_id = Repository.objects.filter(pk=repository.pk).values_list("current_scan_id", flat=True).first()
    keep = list(
        Scan.objects.filter(repository=repository, is_backfill=False, status=Scan.Status.SUCCEEDED)
        .order_by("-finished_at", "-id").values_list("id", flat=True)[:KEEP_DETAILED_SCANS]
    )
    superseded = Scan.objects.filter(repository=repository).filter(
        Q(is_backfill=False, status=Scan.Status.SUCCEEDED) | Q(status__in=[Scan.Status.FAILED, Scan.Status.INTERRUPTED])
    ).exclude(id__in=[*keep, current_id or 0])
    has_details = Exists(FileScore.objects.filter(scan=OuterRef("pk"))) | Exists(
        SnapshotFile.objects.filter(scan=OuterRef("pk"))
    )
    ids = list(superseded.filter(has_details).values_list("id", flat=True))
    if ids:
        scan_details_delete(scan_ids=ids)
        logger.info("Pruned detail rows of %d superseded scan(s) of %s", len(ids), repository.name)
    return ids


def scan_backfill(
    *, repository: Repository, spec: str = "weekly:52", requested_by: Any = None, enqueue: bool = True
) -> list[Scan]:
    """Create (and queue) backfill scans at the last default-branch commit before each past period."""
    unit, count = backfill_spec_parse(spec)
    repo_path = repository_sync(repository=repository)
    tip = repository_revision_resolve(repository=repository, revision=repository.default_revision,
                                      repo_path=repo_path)
    dates = backfill_dates(unit, count, until=tip.committed_at)
    chain = _first_parent_chain(repo_path, tip.sha)
    picks = backfill_pick(chain, dates)
    covered = set(
        Scan.objects.filter(repository=repository, commit_sha__in=[sha for sha, _ in picks])
        .filter(Q(status=Scan.Status.SUCCEEDED) | Q(status__in=LIVE_STATUSES, is_backfill=True))
        .values_list("commit_sha", flat=True)
    )
    now = timezone.now()
    with transaction.atomic():
        scans = [
            Scan.objects.create(
                repository=repository, revision=sha, commit_sha=sha, committed_at=committed_at, is_backfill=True,
                requested_by=requested_by, status=Scan.Status.QUEUED, stage=Scan.Stage.QUEUED, heartbeat_at=now,
            )
            for sha, committed_at in picks
            if sha not in covered
        ]
    if enqueue and scans:
        scan_ids = [scan.pk for scan in scans]
        transaction.on_commit(lambda: _enqueue("scan_backfill_task", scan_ids, scan_ids=scan_ids))
    return scans


def backfill_spec_parse(spec: str) -> tuple[str, int]:
    """Parse "weekly:N", "monthly:N" or "daily:N" into (unit, N); raise InvalidInput otherwise."""
    match = re.fullmatch(r"\s*(daily|weekly|monthly)\s*:\s*(\d{1,6})\s*", spec or "")
    if not match or not 1 <= int(match[2]) <= MAX_BACKFILL_POINTS:
        raise InvalidInput(
            f"Invalid backfill {spec!r}: write daily:N, weekly:N or monthly:N with N from 1 to "
            f"{MAX_BACKFILL_POINTS} (for example weekly:52).",
            code="scan.invalid_backfill", extra={"spec": str(spec)[:100]},
        )
    return match[1], int(match[2])


def backfill_dates(unit: str, count: int, *, until: datetime) -> list[datetime]:
    """The `count` period boundaries before `until`, newest first (`until` itself is the live scan's)."""
    if unit == "monthly":
        return [_months_before(until, i) for i in range(1, count + 1)]
    step = timedelta(days=1 if unit == "daily" else 7)
    return [until - step * i for i in range(1, count + 1)]


def backfill_pick(chain: list[tuple[str, int]], dates: list[datetime]) -> list[tuple[str, datetime]]:
    """For each date, the first commit of the first-parent chain dated at or before it; no repeats.

    This is what `git rev-list -1 --before=DATE --first-parent TIP` answers, for all dates in one walk:
    with dates newest first, the answer's position in the chain never moves back.
    """
    picks: list[tuple[str, datetime]] = []
    seen: set[str] = set()
    position = 0
    for date in sorted(dates, reverse=True):
        limit = date.timestamp()
        while position < len(chain) and chain[position][1] > limit:
            position += 1
        if position == len(chain):
            break  # no commit that old: the repository is younger than the remaining dates
        sha, stamp = chain[position]
        if sha not in seen:
            seen.add(sha)
            picks.append((sha, datetime.fromtimestamp(stamp, tz=dt_timezone.utc)))
    return picks


def _first_parent_chain(repo_path: str, tip: str) -> list[tuple[str, int]]:
    """The default branch's first-parent chain from `tip`, as (sha, committer timestamp), newest first."""
    try:
        out = run_git(repo_path, ["rev-list", "--first-parent", "--timestamp", tip, "--"], timeout=git_timeout())
    except CoreError as exc:
        raise core_error_translate(exc) from exc
    chain = []
    for line in out.decode("ascii", "replace").splitlines():
        stamp, _, sha = line.partition(" ")
        chain.append((sha, int(stamp)))
    return chain


def _months_before(moment: datetime, months: int) -> datetime:
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _raise_if_live(repository: Repository) -> None:
    live = Scan.objects.filter(repository=repository, is_backfill=False, status__in=LIVE_STATUSES).first()
    if live is not None:
        raise ScanAlreadyRunning(
            f"Scan {live.pk} of {repository.name} is already {live.status} (stage {live.stage}); "
            "wait for it to finish.",
            extra={"scan": live.pk, "repository": repository.name},
        )


def _enqueue(task_name: str, *args: Any, scan_ids: list[int]) -> None:
    """Send a scan task; when the broker cannot be reached, fail the scans instead of leaving them queued."""
    from metrics import tasks

    try:
        getattr(tasks, task_name).delay(*args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # kombu raises OperationalError and friends when the broker is down
        logger.exception("Could not queue %s for scans %s", task_name, scan_ids)
        Scan.objects.filter(pk__in=scan_ids, status=Scan.Status.QUEUED).update(
            status=Scan.Status.FAILED, finished_at=timezone.now(),
            error=f"The scan could not be queued (is the Celery broker running?): {exc}"[:1000],
        )


def _result_counts(result: Any) -> dict[str, Any]:
    """The JSON-safe numbers and short texts of a stage's result object."""
    if result is None:
        return {}
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        items = {field.name: getattr(result, field.name) for field in dataclasses.fields(result)}
    elif isinstance(result, dict):
        items = result
    else:
        items = dict(vars(result)) if hasattr(result, "__dict__") else {}
    counts: dict[str, Any] = {}
    for key, value in items.items():
        if isinstance(value, bool) or isinstance(value, int):
            counts[key] = value
        elif isinstance(value, float) and math.isfinite(value):
            counts[key] = value
        elif isinstance(value, str):
            counts[key] = clean_text(value, max_length=500)
        elif isinstance(value, dict) and all(
            isinstance(number, int | float) and math.isfinite(number) for number in value.values()
        ):  # timings per phase and other named numbers
            counts[key] = {str(name): number for name, number in value.items()}
    return counts
