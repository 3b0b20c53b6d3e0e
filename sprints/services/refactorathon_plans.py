"""Planning a refactorathon: run the planner over its candidates, save the plan (versioned), change assignees.

A saved plan moves its chosen items to planned (through the register's lifecycle) and marks them in the
event; items a re-plan drops go back to accepted unless a sprint holds them. Saving names the plan version it
was based on: a save over a newer version raises PlanVersionConflict (two people re-planning at once).
"""
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from debt.choices import Status
from debt.errors import DebtItemChanged
from debt.selectors.history import debt_item_facts
from debt.selectors.items import debt_item_get
from debt.services.lifecycle import debt_item_transition
from sprints import event_scope as scopes
from sprints.choices import RefactorathonStatus
from sprints.core.planner import solve
from sprints.core.planning_data import Constraints, Plan
from sprints.data import RefactorathonPlan
from sprints.errors import (
    EventItemNotFound,
    ParticipantNotFound,
    PlanVersionConflict,
    RefactorathonStatusConflict,
)
from sprints.models import Refactorathon, RefactorathonItem, RefactorathonParticipant, SprintItem
from sprints.planning_input import planner_candidates, planner_participant
from sprints.selectors.refactorathons import candidate_lines, item_titles, participants_of, plan_view

PLANNABLE = (RefactorathonStatus.DRAFT, RefactorathonStatus.PLANNED)


def _constraints(event: Refactorathon, candidates: list) -> Constraints:
    caps: tuple[tuple[str, float], ...] = ()
    if event.area_cap_hours:
        caps = tuple((area, float(event.area_cap_hours)) for area in sorted({c.area_key for c in candidates}))
    return Constraints(area_caps=caps, pair_islands=event.pair_islands, time_limit=event.time_limit_seconds)


def refactorathon_plan_compute(*, event: Refactorathon) -> Plan:
    """Run the planner over the event's candidates and participants (nothing saved)."""
    scope = scopes.event_scope(event)
    lines = candidate_lines(event, scope)
    candidates = planner_candidates(lines, coupling_threshold=event.coupling_threshold)
    participants = [planner_participant(p.user.get_username(), p.hours, p.areas, scopes.identities(p.user))
                    for p in participants_of(event)]
    return solve(candidates, participants, _constraints(event, candidates))


def _check_version(locked: Refactorathon, expected_version: int | None) -> None:
    if expected_version is not None and locked.plan_version != expected_version:
        raise PlanVersionConflict(
            f"{locked.name}'s plan changed since you read it (version {expected_version}, now "
            f"{locked.plan_version}); reload it and plan again.",
            extra={"expected_version": expected_version, "version": locked.plan_version})


def _users(usernames: set[str]) -> dict[str, Any]:
    model = get_user_model()
    return {user.get_username(): user for user in model.objects.filter(**{f"{model.USERNAME_FIELD}__in": usernames})}


def _mark_items(event: Refactorathon, plan: Plan, actor: Any) -> None:
    """Record the chosen items and assignees, move them to planned, and free the items a re-plan dropped."""
    chosen = {int(item.id): item for item in plan.chosen}
    before = set(RefactorathonItem.objects.filter(event=event, chosen=True).values_list("item_id", flat=True))
    _record_rows(event, plan)
    note = f"planned for the refactorathon {event.name}"
    facts = debt_item_facts(item_ids=set(chosen) | before)
    for item_id in chosen:
        if facts[item_id].status == Status.ACCEPTED:
            _move(item_id, Status.PLANNED, actor, note)
    in_sprints = set(SprintItem.objects.filter(item_id__in=before, open=True).values_list("item_id", flat=True))
    for item_id in before - set(chosen) - in_sprints:
        if item_id in facts and facts[item_id].status == Status.PLANNED:
            _move(item_id, Status.ACCEPTED, actor, f"left out of the refactorathon {event.name}'s plan")


def _record_rows(event: Refactorathon, plan: Plan) -> None:
    """Mark the event's rows: chosen with assignee and partner for the plan's items, not chosen for the rest."""
    users = _users({item.assignee for item in plan.chosen} | {item.partner for item in plan.chosen if item.partner})
    RefactorathonItem.objects.filter(event=event).update(chosen=False, assignee=None, partner=None)
    for line in plan.chosen:
        row, _ = RefactorathonItem.objects.get_or_create(event=event, item_id=int(line.id))
        row.chosen, row.assignee = True, users.get(line.assignee)
        row.partner = users.get(line.partner) if line.partner else None
        row.save()


def _move(item_id: int, status: str, actor: Any, note: str) -> None:
    item = debt_item_get(item_id=item_id)
    try:
        debt_item_transition(item=item, to_status=status,
                             actor=actor if getattr(actor, "is_authenticated", False) else None, note=note)
    except DebtItemChanged as error:
        raise PlanVersionConflict(error.message, extra={"item": item_id}) from None


def refactorathon_plan(*, event: Refactorathon, actor: Any, expected_version: int | None = None,
                       now: Any = None) -> RefactorathonPlan:
    """Plan (or re-plan) a draft or planned event and save the plan with its solver status and explanations.

    `expected_version` is the plan version the caller saw (None: do not check); a stale one raises
    PlanVersionConflict and saves nothing. A plan with chosen items moves a draft event to planned; zero
    capacity gives an empty plan whose reason says so (saved like any other).
    """
    scopes.require_change(event, actor)
    if event.status not in PLANNABLE:
        raise RefactorathonStatusConflict(f"{event.name} is {event.status}; only draft or planned events are "
                                          "planned.", extra={"status": event.status})
    plan = refactorathon_plan_compute(event=event)
    return _save(event, plan, actor, expected_version, now or timezone.now())


@transaction.atomic
def _save(event: Refactorathon, plan: Plan, actor: Any, expected_version: int | None, now: Any) -> RefactorathonPlan:
    locked = Refactorathon.objects.select_for_update().get(pk=event.pk)
    _check_version(locked, expected_version)
    locked.plan, locked.plan_status = plan.as_json(), plan.status.value
    locked.plan_version += 1
    locked.planned_at = now
    if plan.chosen and locked.status == RefactorathonStatus.DRAFT:
        locked.status = RefactorathonStatus.PLANNED
    locked.save(update_fields=["plan", "plan_status", "plan_version", "planned_at", "status"])
    _mark_items(locked, plan, actor)
    for name in ("plan", "plan_status", "plan_version", "planned_at", "status"):
        setattr(event, name, getattr(locked, name))
    ids = [int(c.id) for c in plan.chosen] + [int(o.id) for o in plan.left_out]
    return plan_view(event.slug, locked.plan_version, plan, item_titles(ids), now)


def _participant_name(event: Refactorathon, user_id: int | None) -> tuple[Any, str | None]:
    if user_id is None:
        return None, None
    row = RefactorathonParticipant.objects.filter(event=event, user_id=user_id).select_related("user").first()
    if row is None:
        raise ParticipantNotFound(f"User #{user_id} does not take part in {event.name}.", extra={"user": user_id})
    return row.user, row.user.get_username()


@transaction.atomic
def refactorathon_item_assign(*, event: Refactorathon, actor: Any, item_id: int, assignee_id: int,
                              partner_id: int | None = None, expected_version: int | None = None
                              ) -> RefactorathonPlan:
    """Give a chosen item to another participant (and partner); the saved plan follows and its version grows."""
    scopes.require_change(event, actor)
    locked = Refactorathon.objects.select_for_update().get(pk=event.pk)
    _check_version(locked, expected_version)
    row = RefactorathonItem.objects.filter(event=locked, item_id=item_id, chosen=True).first()
    if row is None or not locked.plan:
        raise EventItemNotFound(f"Item #{item_id} is not in {event.name}'s plan.", extra={"item": item_id})
    assignee, assignee_name = _participant_name(locked, assignee_id)
    partner, partner_name = _participant_name(locked, partner_id)
    row.assignee, row.partner = assignee, partner
    row.save(update_fields=["assignee", "partner"])
    data = dict(locked.plan)
    data["chosen"] = [{**line, "assignee": assignee_name, "partner": partner_name,
                       "explanation": f"assigned by hand to {assignee_name}"}
                      if line["id"] == str(item_id) else line for line in data.get("chosen", [])]
    plan = Plan.from_json(data)
    locked.plan, locked.plan_version = plan.as_json(), locked.plan_version + 1
    locked.save(update_fields=["plan", "plan_version"])
    event.plan, event.plan_version = locked.plan, locked.plan_version
    ids = [int(c.id) for c in plan.chosen] + [int(o.id) for o in plan.left_out]
    return plan_view(event.slug, locked.plan_version, plan, item_titles(ids), locked.planned_at)
