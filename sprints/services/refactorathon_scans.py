"""The scans a refactorathon compares: at its start, at its end, and 4 and 8 weeks later; freezing the figures.

Scans at a date are metrics' dated scans (`metrics.services.scans.dated.scan_at_date`): the default branch's
last commit before the moment, stored like backfill scans, which retention never prunes. On top of that,
finishing an event freezes the per-file figures of its before and after scans into the event
(`RefactorathonSnapshot`), so its report survives whatever later happens to the scans.
"""
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from metrics.selectors.repositories import repository_get
from metrics.services.scans.dated import scan_at_date
from sprints import event_scope as scopes
from sprints.choices import REGRESSION_WEEKS, RefactorathonStatus
from sprints.data import RefactorathonSnapshot
from sprints.errors import RefactorathonStatusConflict
from sprints.ledger import day_start
from sprints.models import Refactorathon, RefactorathonScope
from sprints.scan_figures import scan_figures
from sprints.services.refactorathons import refactorathon_transition


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


def refactorathon_regression_scans(*, event: Refactorathon, actor: Any = None,
                                   now: datetime | None = None) -> list[int]:
    """Scan each scope repository 4 and 8 weeks after the end, for the weeks already past; the scan ids."""
    scopes.require_change(event, actor)
    now = now or timezone.now()
    end = event_window(event)[1]
    found = []
    for weeks in REGRESSION_WEEKS:
        at = end + timedelta(weeks=weeks)
        if at > now:
            continue
        for scope in RefactorathonScope.objects.filter(event=event).order_by("pk"):
            scan_id = _scan_id(scope, at, actor)
            if scan_id is not None:
                found.append(scan_id)
    return found
