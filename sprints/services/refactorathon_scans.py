"""The scans a refactorathon compares: at its start, at its end, and 4 and 8 weeks later; freezing the figures.

Scans at a date are metrics' dated scans (`metrics.services.scans.dated.scan_at_date`): the default branch's
last commit before the moment, stored like backfill scans, which retention never prunes. On top of that,
finishing an event freezes the per-file figures of its before and after scans into the event
(`RefactorathonSnapshot`), so its report survives whatever later happens to the scans. The regression points
(4 and 8 weeks after the end) are scanned once each and recorded on the scope, by the periodic runner
(`refactorathon_regressions_due`: Celery beat, the embedded worker, `debtboard refactorathon regress`).
"""
import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from debtboard.errors import DebtboardError
from metrics.selectors.repositories import repository_get
from metrics.services.scans.dated import scan_at_date
from sprints import event_scope as scopes
from sprints.choices import REGRESSION_WEEKS, RefactorathonStatus
from sprints.data import RefactorathonSnapshot, RegressionScanned
from sprints.errors import RefactorathonStatusConflict
from sprints.ledger import day_start
from sprints.models import Refactorathon, RefactorathonScope
from sprints.scan_figures import scan_figures
from sprints.services.refactorathons import refactorathon_transition

logger = logging.getLogger(__name__)
ENDED = (RefactorathonStatus.FINISHED, RefactorathonStatus.REVIEWED)  # events with regression points to scan


def event_window(event: Refactorathon) -> tuple[datetime, datetime]:
    """The event's [start, end) moments: its first day's start to the start of the day after its last day."""
    return day_start(event.start), day_start(event.end + timedelta(days=1))


def _scan_id(scope: RefactorathonScope, at: datetime, actor: Any) -> int | None:
    repository = repository_get(repository_id=scope.repository_id)
    scan = scan_at_date(repository=repository, at=at, requested_by=scopes.scopes_actor(actor))
    return scan.pk if scan is not None and scan.succeeded else None


def refactorathon_start_scan(*, event: Refactorathon, actor: Any = None) -> Refactorathon:
    """Scan each scope repository at the event's start (its last commit before the first day), if not done yet."""
    scopes.require_change(event, actor)
    at = event_window(event)[0]
    for scope in RefactorathonScope.objects.filter(event=event).order_by("pk"):
        if scope.start_scan_id is None:
            scope.start_scan_id = _scan_id(scope, at, actor)
            scope.save(update_fields=["start_scan_id"])
    _sync_event_ids(event)
    return event


def refactorathon_end_scan(*, event: Refactorathon, actor: Any = None, now: datetime | None = None) -> Refactorathon:
    """Scan each scope repository at the event's end (or now, when that is earlier)."""
    scopes.require_change(event, actor)
    at = min(event_window(event)[1], now or timezone.now())
    for scope in RefactorathonScope.objects.filter(event=event).order_by("pk"):
        scope.end_scan_id = _scan_id(scope, at, actor)
        scope.save(update_fields=["end_scan_id"])
    _sync_event_ids(event)
    return event


def _sync_event_ids(event: Refactorathon) -> None:
    first = RefactorathonScope.objects.filter(event=event).order_by("pk").first()
    event.start_scan_id = first.start_scan_id if first else None
    event.end_scan_id = first.end_scan_id if first else None
    event.save(update_fields=["start_scan_id", "end_scan_id"])


def refactorathon_begin(*, event: Refactorathon, actor: Any) -> Refactorathon:
    """Start a planned event: scan the start ("before") and move it to running."""
    if event.status != RefactorathonStatus.PLANNED:
        raise RefactorathonStatusConflict(f"{event.name} is {event.status}; only a planned event starts.",
                                          extra={"status": event.status})
    refactorathon_start_scan(event=event, actor=actor)
    return refactorathon_transition(event=event, actor=actor, to_status=RefactorathonStatus.RUNNING)


def refactorathon_finish(*, event: Refactorathon, actor: Any, now: datetime | None = None) -> Refactorathon:
    """Finish a running event: scan the end ("after"), freeze the before/after figures, move it to finished."""
    if event.status != RefactorathonStatus.RUNNING:
        raise RefactorathonStatusConflict(f"{event.name} is {event.status}; only a running event finishes.",
                                          extra={"status": event.status})
    refactorathon_start_scan(event=event, actor=actor)
    refactorathon_end_scan(event=event, actor=actor, now=now)
    with transaction.atomic():
        event.snapshot = refactorathon_snapshot_take(event=event, now=now).as_json()
        event.save(update_fields=["snapshot"])
        return refactorathon_transition(event=event, actor=actor, to_status=RefactorathonStatus.FINISHED)


def refactorathon_snapshot_take(*, event: Refactorathon, now: datetime | None = None) -> RefactorathonSnapshot:
    """The per-file figures of the event's start and end scans in scope (not saved)."""
    before, after = [], []
    for scope in RefactorathonScope.objects.filter(event=event).order_by("pk"):
        prefixes = tuple(scope.prefixes) or ("",)
        if scope.start_scan_id is not None:
            before.append(scan_figures(scope.repository_id, scope.start_scan_id, prefixes))
        if scope.end_scan_id is not None:
            after.append(scan_figures(scope.repository_id, scope.end_scan_id, prefixes))
    return RefactorathonSnapshot(taken_at=now or timezone.now(), before=tuple(before), after=tuple(after))


def _regression_points(event: Refactorathon, now: datetime) -> list[tuple[int, datetime]]:
    """(weeks, moment) of the event's regression points already past at `now`."""
    end = event_window(event)[1]
    points = [(weeks, end + timedelta(weeks=weeks)) for weeks in REGRESSION_WEEKS]
    return [(weeks, at) for weeks, at in points if at <= now]


def _regression_scan(event: Refactorathon, scope: RefactorathonScope, weeks: int, at: datetime,
                     actor: Any) -> RegressionScanned | None:
    """Scan the scope's repository at the point and record it, unless it is recorded already (then None).

    A succeeded scan is recorded by its id, a repository without a commit that old as None (checked: nothing
    to scan); a failed scan is not recorded, so the next run tries again.
    """
    key = str(weeks)
    if key in scope.regression_scans:
        return None
    repository = repository_get(repository_id=scope.repository_id)
    scan = scan_at_date(repository=repository, at=at, requested_by=scopes.scopes_actor(actor))
    if scan is not None and not scan.succeeded:
        logger.warning("Regression scan of %s at %s failed (scan %s): retried on the next run",
                       repository.name, at.isoformat(), scan.pk)
        return RegressionScanned(event=event.slug, weeks=weeks, repository=repository.name, scan_id=None,
                                 outcome="failed")
    scope.regression_scans = {**scope.regression_scans, key: scan.pk if scan is not None else None}
    scope.save(update_fields=["regression_scans"])
    return RegressionScanned(event=event.slug, weeks=weeks, repository=repository.name,
                             scan_id=scan.pk if scan is not None else None,
                             outcome="scanned" if scan is not None else "no_commit")


def refactorathon_regression_scan(*, event: Refactorathon, actor: Any = None,
                                  now: datetime | None = None) -> list[RegressionScanned]:
    """Scan each scope repository at the event's regression points already past and not yet scanned.

    Idempotent: a point recorded on the scope (`regression_scans`) is never scanned again, so a second run
    does nothing. `actor=None` is the system (the periodic runner, cron): it may change every event.
    """
    scopes.require_change(event, actor)
    points = _regression_points(event, now or timezone.now())
    scope_rows = list(RefactorathonScope.objects.filter(event=event).order_by("pk")) if points else []
    done = []
    for weeks, at in points:
        for scope in scope_rows:
            scanned = _regression_scan(event, scope, weeks, at, actor)
            if scanned is not None:
                done.append(scanned)
    return done


def refactorathon_regression_scans(*, event: Refactorathon, actor: Any = None,
                                   now: datetime | None = None) -> list[int]:
    """Scan each scope repository 4 and 8 weeks after the end, for the weeks already past; the scan ids.

    The ids of every point past, those scanned now and those recorded by an earlier run.
    """
    refactorathon_regression_scan(event=event, actor=actor, now=now)
    weeks_past = {str(weeks) for weeks, _ in _regression_points(event, now or timezone.now())}
    return [scan_id for scope in RefactorathonScope.objects.filter(event=event).order_by("pk")
            for weeks, scan_id in sorted(scope.regression_scans.items(), key=lambda kv: int(kv[0]))
            if weeks in weeks_past and scan_id is not None]


def _regression_due(event: Refactorathon, scope_rows: list[RefactorathonScope], now: datetime) -> bool:
    """Whether one of the event's regression points is past at `now` and not recorded on every scope."""
    due = [str(weeks) for weeks, _ in _regression_points(event, now)]
    return any(key not in scope.regression_scans for key in due for scope in scope_rows)


def refactorathon_regressions_due(*, now: datetime | None = None) -> list[RegressionScanned]:
    """Run the due regression scans of every finished (or reviewed) event, as the system; what each point did.

    What the periodic runners call (Celery beat and the embedded worker through
    sprints.tasks.refactorathon_regressions_due_task; `debtboard refactorathon regress` from cron). An event
    whose repository cannot be scanned (gone, unreachable) is logged and skipped, never stopping the others.
    """
    now = now or timezone.now()
    first_point = (now - timedelta(weeks=min(REGRESSION_WEEKS))).date()
    events = (Refactorathon.objects.filter(status__in=ENDED, end__lte=first_point)
              .defer("plan", "snapshot").prefetch_related("scopes").order_by("end", "pk"))
    done = []
    for event in events:
        if not _regression_due(event, list(event.scopes.all()), now):
            continue
        try:
            done += refactorathon_regression_scan(event=event, actor=None, now=now)
        except DebtboardError as error:
            logger.warning("Regression scans of %s skipped: %s", event.slug, error.message)
    return done
