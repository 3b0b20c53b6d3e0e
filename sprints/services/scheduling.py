"""Scheduling register items into a team's sprints and taking them out; the item's status follows.

Scheduling an accepted item makes it planned (through the register's lifecycle service); a planned or in
progress item keeps its status. Proposed, done and won't-fix items are refused (sprint_item.not_schedulable).
An item of a repository or path outside the team's areas is scheduled with the warning "item.outside_areas";
over-committing is allowed with the warning "sprint.over_committed".
"""
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from debt.choices import Status
from debt.errors import DebtItemChanged, DebtItemNotFound
from debt.selectors.history import debt_item_facts
from debt.selectors.items import debt_item_get
from debt.services.lifecycle import debt_item_transition
from sprints import access
from sprints.data import BulkScheduleResult, ScheduleResult
from sprints.errors import NotSchedulable, SprintClosed, SprintInvalid, SprintItemConflict, SprintItemNotFound
from sprints.ledger import hours2, local_today
from sprints.models import Sprint, SprintItem
from sprints.selectors.sprint_figures import sprint_state

SCHEDULABLE = (Status.ACCEPTED, Status.PLANNED, Status.IN_PROGRESS)
WARN_OUTSIDE = "item.outside_areas"
WARN_OVER = "sprint.over_committed"


def _check_open(sprint: Sprint, today: Any) -> None:
    if sprint.closed_at is not None or sprint.end < today:
        raise SprintClosed(f"{sprint.label} has ended; schedule into a current or later sprint.",
                           extra={"sprint": sprint.number})
    if sprint.skipped:
        raise SprintInvalid(f"{sprint.label} is skipped; nothing can be scheduled into it.",
                            extra={"sprint": sprint.number})


def public_sprint_name(sprint: Sprint) -> str:
    """How a sprint is named where anyone who can read the item may see it: a private team stays unnamed."""
    return "a private team's sprint" if sprint.team.is_private else f"{sprint.team.name} {sprint.label}"


def _conflict(item_id: int, sprint: Sprint) -> SprintItemConflict:
    holder = SprintItem.objects.filter(item_id=item_id, open=True).select_related("sprint", "sprint__team").first()
    where = public_sprint_name(holder.sprint) if holder else "another sprint"
    shown = holder is not None and not holder.sprint.team.is_private
    return SprintItemConflict(
        f"Item #{item_id} is already scheduled into {where} (perhaps just now by someone else); "
        "take it out there first.",
        extra={"item": item_id, "sprint": holder.sprint.number if shown else None,
               "team": holder.sprint.team.slug if shown else None},
    )


def _insert(sprint: Sprint, item: Any, actor: Any, now: datetime) -> None:
    """Insert the schedule row and move the item to planned; the unique constraint decides races."""
    # Rows of sprints that ended but were not closed yet free their items.
    SprintItem.objects.filter(item_id=item.pk, open=True, sprint__end__lt=local_today(now)).update(open=False)
    try:
        with transaction.atomic():
            SprintItem.objects.create(sprint=sprint, item_id=item.pk, scheduled_by=_user(actor), scheduled_at=now)
    except IntegrityError:
        raise _conflict(item.pk, sprint) from None
    if item.status == Status.ACCEPTED:
        try:
            debt_item_transition(item=item, to_status=Status.PLANNED, actor=_user(actor),
                                 note=f"scheduled into {public_sprint_name(sprint)}")
        except DebtItemChanged as error:
            raise SprintItemConflict(error.message, extra={"item": item.pk}) from None


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _warnings(sprint: Sprint, item_id: int) -> tuple[tuple[str, ...], float, float]:
    state = sprint_state(team=sprint.team, sprint=sprint)
    fact = state.facts[item_id]
    warnings = []
    if not state.scope.area_labels(fact.repository_id, fact.paths):
        warnings.append(WARN_OUTSIDE)
    committed = state.committed_hours
    if hours2(committed + state.row.spent) > hours2(state.row.total):
        warnings.append(WARN_OVER)
    return tuple(warnings), hours2(committed), hours2(state.row.total)


def sprint_item_schedule(*, sprint: Sprint, item_id: int, actor: Any, now: datetime | None = None) -> ScheduleResult:
    """Schedule a register item into a sprint that has not ended (members of the team and staff).

    Raises NotSchedulable for proposed, done or won't-fix items, SprintItemConflict when the item is already
    in an open sprint (also when two people schedule it at once: one wins), SprintClosed for an ended sprint.
    """
    now = now or timezone.now()
    access.require_schedule(sprint.team, actor)
    _check_open(sprint, local_today(now))
    item = debt_item_get(item_id=item_id)
    if item.status not in SCHEDULABLE:
        raise NotSchedulable(
            f"Item #{item.pk} is {Status(item.status).label}; only accepted, planned or in-progress items can be "
            "scheduled.", extra={"item": item.pk, "status": item.status})
    with transaction.atomic():
        _insert(sprint, item, actor, now)
    warnings, committed, budget = _warnings(sprint, item.pk)
    return ScheduleResult(sprint_number=sprint.number, item_id=item.pk, status=item.status, warnings=warnings,
                          committed_hours=committed, budget_hours=budget)


def sprint_item_schedule_bulk(*, sprint: Sprint, item_ids: Sequence[int], actor: Any,
                              now: datetime | None = None) -> BulkScheduleResult:
    """Schedule several items (from the register's bulk action); each is scheduled or refused on its own."""
    scheduled, refused = [], []
    for item_id in dict.fromkeys(item_ids):
        try:
            scheduled.append(sprint_item_schedule(sprint=sprint, item_id=item_id, actor=actor, now=now))
        except (NotSchedulable, SprintItemConflict, DebtItemNotFound) as error:
            refused.append((item_id, error.code, error.message))
    return BulkScheduleResult(scheduled=tuple(scheduled), refused=tuple(refused))


@transaction.atomic
def sprint_item_unschedule(*, sprint: Sprint, item_id: int, actor: Any,
                           now: datetime | None = None) -> ScheduleResult:
    """Take an item out of a sprint that has not ended; a still-planned item goes back to accepted."""
    now = now or timezone.now()
    access.require_schedule(sprint.team, actor)
    if sprint.closed_at is not None or sprint.end < local_today(now):
        raise SprintClosed(f"{sprint.label} has ended; its schedule is history.", extra={"sprint": sprint.number})
    deleted, _ = SprintItem.objects.filter(sprint=sprint, item_id=item_id).delete()
    if not deleted:
        raise SprintItemNotFound(f"Item #{item_id} is not in {sprint.label}.",
                                 extra={"item": item_id, "sprint": sprint.number})
    facts = debt_item_facts(item_ids=[item_id])
    status = facts[item_id].status if item_id in facts else ""
    if status == Status.PLANNED:
        item = debt_item_get(item_id=item_id)
        debt_item_transition(item=item, to_status=Status.ACCEPTED, actor=_user(actor),
                             note=f"taken out of {public_sprint_name(sprint)}")
        status = Status.ACCEPTED
    state = sprint_state(team=sprint.team, sprint=sprint)
    return ScheduleResult(sprint_number=sprint.number, item_id=item_id, status=status, warnings=(),
                          committed_hours=hours2(state.committed_hours), budget_hours=hours2(state.row.total))
