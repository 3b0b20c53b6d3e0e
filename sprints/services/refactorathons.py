"""Creating and changing refactorathons: the event, its scope, participants, goals, status, and item choices.

Plans are made in `refactorathon_plans`; the before/after scans and the frozen snapshot in
`refactorathon_scans`. Every service takes the acting user (None: the system) and checks it may change the event.
"""
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from debt.choices import Kind, Source
from debt.data import LocationSpec
from debt.selectors.items import debt_item_get
from debt.services.items import debt_item_create
from metrics.errors import RepositoryNotFound
from metrics.selectors.repositories import repository_get
from sprints import event_scope as scopes
from sprints.choices import (
    MAX_AREA_CAP_HOURS,
    MAX_EVENT_DAYS,
    MAX_EVENT_HOURS,
    MAX_GOAL_TARGET,
    REFACTORATHON_MOVES,
    GoalKind,
    RefactorathonStatus,
)
from sprints.errors import (
    EventItemNotFound,
    GoalInvalid,
    GoalNotFound,
    ParticipantInvalid,
    ParticipantNotFound,
    RefactorathonInvalid,
    RefactorathonSlugTaken,
    RefactorathonStatusConflict,
    TeamInvalid,
)
from sprints.models import (
    Refactorathon,
    RefactorathonGoal,
    RefactorathonItem,
    RefactorathonParticipant,
    RefactorathonScope,
    Team,
)
from sprints.validation import clean_day, clean_name, clean_prefix, number_in

# Goals that measure one file or folder need a path; the others measure the whole scope.
PATH_GOALS = (GoalKind.HOTSPOT_SCORE_BELOW,)
EDITABLE = (RefactorathonStatus.DRAFT, RefactorathonStatus.PLANNED)


def _dates(start: Any, end: Any) -> tuple[date, date]:
    try:
        first, last = clean_day(start, "start"), clean_day(end, "end")
    except TeamInvalid as error:  # the shared date check's error, under the event's code
        raise RefactorathonInvalid(error.message, extra=error.extra) from None
    if last < first:
        raise RefactorathonInvalid(f"The event ends ({last}) before it starts ({first}).",
                                   extra={"field": "end", "start": str(first), "end": str(last)})
    if (last - first).days + 1 > MAX_EVENT_DAYS:
        raise RefactorathonInvalid(f"An event lasts at most {MAX_EVENT_DAYS} days.", extra={"field": "end"})
    return first, last


def _scope_rows(scope: Sequence[tuple[int, Sequence[str]]]) -> list[tuple[int, list[str]]]:
    """Validated (repository id, prefixes) pairs; an empty scope is refused."""
    if not scope:
        raise RefactorathonInvalid("The scope is empty: name at least one repository (and path prefixes).",
                                   extra={"field": "scope"})
    rows: dict[int, list[str]] = {}
    for repository_id, prefixes in scope:
        try:
            repository = repository_get(repository_id=repository_id)
        except RepositoryNotFound:
            raise RefactorathonInvalid(f"No repository #{repository_id}.", extra={"field": "scope"}) from None
        cleaned = [clean_prefix(prefix) for prefix in prefixes]
        rows[repository.pk] = sorted(set(cleaned)) if "" not in cleaned else []
    return list(rows.items())


def _slug(slug: str, name: str) -> str:
    value = slugify(slug or name)[:60]
    if not value:
        raise RefactorathonInvalid("The event needs a slug of letters, digits or dashes.", extra={"field": "slug"})
    if Refactorathon.objects.filter(slug=value).exists():
        raise RefactorathonSlugTaken(f"A refactorathon {value!r} exists already.", extra={"field": "slug"})
    return value


@transaction.atomic
def refactorathon_create(
    *, actor: Any, name: str, start: date | str, end: date | str, scope: Sequence[tuple[int, Sequence[str]]],
    slug: str = "", team: Team | None = None, coupling_threshold: float = 0.6, area_cap_hours: float | None = None,
    pair_islands: bool = False, time_limit_seconds: float = 5.0, now: datetime | None = None,
) -> Refactorathon:
    """Create a draft event over `scope`: (repository id, path prefixes) pairs; no prefix is the whole repository."""
    name = clean_name(name)
    first, last = _dates(start, end)
    rows = _scope_rows(scope)
    event = Refactorathon(
        name=name, slug=_slug(slug, name), team=team, start=first, end=last,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, created_at=now or timezone.now())
    _options(event, coupling_threshold=coupling_threshold, area_cap_hours=area_cap_hours,
             pair_islands=pair_islands, time_limit_seconds=time_limit_seconds)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise RefactorathonSlugTaken(f"A refactorathon {event.slug!r} exists already.",
                                     extra={"field": "slug"}) from None
    RefactorathonScope.objects.bulk_create([RefactorathonScope(event=event, repository_id=pk, prefixes=prefixes)
                                            for pk, prefixes in rows])
    return event


def _options(event: Refactorathon, *, coupling_threshold: float | None, area_cap_hours: float | None,
             pair_islands: bool | None, time_limit_seconds: float | None) -> None:
    if coupling_threshold is not None:
        event.coupling_threshold = number_in(coupling_threshold, field="coupling_threshold", low=0, high=1,
                                             error=RefactorathonInvalid)
    if area_cap_hours is not None:
        event.area_cap_hours = number_in(area_cap_hours, field="area_cap_hours", low=0, high=MAX_AREA_CAP_HOURS,
                                         error=RefactorathonInvalid) or None
    if pair_islands is not None:
        event.pair_islands = bool(pair_islands)
    if time_limit_seconds is not None:
        event.time_limit_seconds = number_in(time_limit_seconds, field="time_limit_seconds", low=0.1, high=60,
                                             error=RefactorathonInvalid)


def _require_editable(event: Refactorathon) -> None:
    if event.status not in EDITABLE:
        raise RefactorathonStatusConflict(f"{event.name} is {event.status}; its set-up can no longer change.",
                                          extra={"status": event.status})


@transaction.atomic
def refactorathon_update(
    *, event: Refactorathon, actor: Any, name: str | None = None, start: date | str | None = None,
    end: date | str | None = None, scope: Sequence[tuple[int, Sequence[str]]] | None = None,
    coupling_threshold: float | None = None, area_cap_hours: float | None = None,
    pair_islands: bool | None = None, time_limit_seconds: float | None = None,
) -> Refactorathon:
    """Change a draft or planned event's name, dates, scope or planning options (area cap 0 removes the cap)."""
    scopes.require_change(event, actor)
    _require_editable(event)
    if name is not None:
        event.name = clean_name(name)
    if start is not None or end is not None:
        event.start, event.end = _dates(start if start is not None else event.start,
                                        end if end is not None else event.end)
    _options(event, coupling_threshold=coupling_threshold, area_cap_hours=area_cap_hours,
             pair_islands=pair_islands, time_limit_seconds=time_limit_seconds)
    event.save()
    if scope is not None:
        rows = _scope_rows(scope)
        RefactorathonScope.objects.filter(event=event).delete()
        RefactorathonScope.objects.bulk_create([RefactorathonScope(event=event, repository_id=pk, prefixes=prefixes)
                                                for pk, prefixes in rows])
    return event


def refactorathon_delete(*, event: Refactorathon, actor: Any) -> None:
    """Delete an event with its scope, participants, goals and item choices (the register's items stay)."""
    scopes.require_change(event, actor)
    event.delete()


def _areas(areas: Sequence[str]) -> list[str]:
    return sorted({clean_prefix(area) for area in areas if isinstance(area, str) and area.strip()})


def _hours(hours: Any) -> float:
    value = number_in(hours, field="hours", low=0, high=MAX_EVENT_HOURS, error=ParticipantInvalid,
                      unit=" hours for the event")
    if value <= 0:
        raise ParticipantInvalid("A participant needs hours to give (more than 0) for the event.",
                                 extra={"field": "hours", "value": str(hours)[:50]})
    return value


@transaction.atomic
def refactorathon_participant_add(*, event: Refactorathon, actor: Any, user_id: int, hours: float,
                                  areas: Sequence[str] = ()) -> RefactorathonParticipant:
    """Add a person with their hours for the event (more than 0) and the areas (path prefixes) they know."""
    scopes.require_change(event, actor)
    _require_editable(event)
    user = get_user_model().objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        raise ParticipantNotFound(f"No user #{user_id}.", extra={"user": user_id})
    if RefactorathonParticipant.objects.filter(event=event, user=user).exists():
        raise ParticipantInvalid(f"{user.get_username()} takes part already.", extra={"user": user_id})
    return RefactorathonParticipant.objects.create(event=event, user=user, hours=_hours(hours), areas=_areas(areas))


def _participant(event: Refactorathon, user_id: Any) -> RefactorathonParticipant:
    row = (RefactorathonParticipant.objects.filter(event=event, user_id=user_id).first()
           if isinstance(user_id, int) else None)
    if row is None:
        raise ParticipantNotFound(f"User #{user_id} does not take part in {event.name}.", extra={"user": user_id})
    return row


def refactorathon_participant_update(*, event: Refactorathon, actor: Any, user_id: int, hours: float | None = None,
                                     areas: Sequence[str] | None = None) -> RefactorathonParticipant:
    """Change a participant's hours or known areas."""
    scopes.require_change(event, actor)
    _require_editable(event)
    row = _participant(event, user_id)
    if hours is not None:
        row.hours = _hours(hours)
    if areas is not None:
        row.areas = _areas(areas)
    row.save()
    return row


@transaction.atomic
def refactorathon_participant_remove(*, event: Refactorathon, actor: Any, user_id: int) -> None:
    """Take a person out of the event; items assigned to them lose their assignee."""
    scopes.require_change(event, actor)
    _require_editable(event)
    _participant(event, user_id).delete()
    RefactorathonItem.objects.filter(event=event, assignee_id=user_id).update(assignee=None)
    RefactorathonItem.objects.filter(event=event, partner_id=user_id).update(partner=None)


def refactorathon_goal_add(*, event: Refactorathon, actor: Any, kind: str, target: float,
                           path: str = "") -> RefactorathonGoal:
    """Add a goal: a kind of GoalKind, a target value, and a file or folder path for hotspot goals."""
    scopes.require_change(event, actor)
    if kind not in GoalKind.values:
        raise GoalInvalid(f"Unknown goal kind {kind!r}; use one of {', '.join(GoalKind.values)}.",
                          extra={"field": "kind"})
    value = number_in(target, field="target", low=0, high=MAX_GOAL_TARGET, error=GoalInvalid)
    cleaned = clean_prefix(path)
    if kind in PATH_GOALS and not cleaned:
        raise GoalInvalid("This goal measures one file or folder: give its path.", extra={"field": "path"})
    return RefactorathonGoal.objects.create(event=event, kind=kind, target=value,
                                            path=cleaned if kind in PATH_GOALS else "")


def refactorathon_goal_remove(*, event: Refactorathon, actor: Any, goal_id: int) -> None:
    """Remove a goal."""
    scopes.require_change(event, actor)
    deleted, _ = RefactorathonGoal.objects.filter(event=event, pk=goal_id).delete()
    if not deleted:
        raise GoalNotFound(f"{event.name} has no goal #{goal_id}.", extra={"goal": goal_id})


def _check_move(event: Refactorathon, to_status: str) -> None:
    if to_status not in REFACTORATHON_MOVES.get(event.status, ()):
        allowed = ", ".join(REFACTORATHON_MOVES.get(event.status, ())) or "nothing"
        raise RefactorathonStatusConflict(f"{event.name} is {event.status}; it can move to {allowed}.",
                                          extra={"status": event.status, "to": to_status})
    if to_status == RefactorathonStatus.PLANNED and not (event.plan and event.plan.get("chosen")):
        raise RefactorathonStatusConflict(f"{event.name} has no plan with chosen items yet; plan it first.",
                                          extra={"status": event.status, "to": to_status})


@transaction.atomic
def refactorathon_transition(*, event: Refactorathon, actor: Any, to_status: str) -> Refactorathon:
    """Move an event along draft -> planned -> running -> finished -> reviewed (planned may go back to draft).

    Planned needs a saved plan with chosen items. Finishing does not scan: call
    `refactorathon_scans.refactorathon_finish`, which scans the end and freezes the figures, then moves here.
    """
    scopes.require_change(event, actor)
    locked = Refactorathon.objects.select_for_update().get(pk=event.pk)
    _check_move(locked, to_status)
    locked.status = to_status
    locked.save(update_fields=["status"])
    event.status = to_status
    return event


def _event_item(event: Refactorathon, item_id: int) -> RefactorathonItem:
    item = debt_item_get(item_id=item_id)
    scope = scopes.event_scope(event)
    if not scope.holds(item.repository_id, [location.path for location in item.locations.all()]):
        raise EventItemNotFound(f"Item #{item_id} is outside {event.name}'s scope.", extra={"item": item_id})
    row, _ = RefactorathonItem.objects.get_or_create(event=event, item_id=item.pk)
    return row


def refactorathon_item_choose(*, event: Refactorathon, actor: Any, item_id: int, pinned: bool | None = None,
                              excluded: bool | None = None) -> RefactorathonItem:
    """Pin an item into the next plan or exclude it from it (pinning clears excluded and the other way round)."""
    scopes.require_change(event, actor)
    _require_editable(event)
    row = _event_item(event, item_id)
    if pinned is not None:
        row.pinned = bool(pinned)
        row.excluded = row.excluded and not row.pinned
    if excluded is not None:
        row.excluded = bool(excluded)
        row.pinned = row.pinned and not row.excluded
    row.save()
    return row


@transaction.atomic
def refactorathon_hotspot_adopt(*, event: Refactorathon, actor: Any, repository_id: int, path: str,
                                effort: Decimal | float = 4, title: str = "") -> RefactorathonItem:
    """Turn a hotspot in scope into an accepted register item (source hotspot) and make it a candidate."""
    scopes.require_change(event, actor)
    cleaned = clean_prefix(path)
    scope = scopes.event_scope(event)
    if not cleaned or not scope.holds(repository_id, [cleaned]):
        raise RefactorathonInvalid(f"{path!r} is not in {event.name}'s scope.", extra={"field": "path"})
    repository = repository_get(repository_id=repository_id)
    item = debt_item_create(
        repository=repository, title=title or f"Refactor the hotspot {cleaned}", actor=scopes.scopes_actor(actor),
        kind=Kind.CODE, effort=effort, source=Source.HOTSPOT, locations=[LocationSpec(path=cleaned)],
        description=f"Adopted as a candidate of the refactorathon {event.name}.")
    row, _ = RefactorathonItem.objects.get_or_create(event=event, item_id=item.pk)
    return row
