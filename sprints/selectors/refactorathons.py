"""Reads of refactorathons: the list, one event's set-up, its candidates (items and hotspots in scope), its plan."""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from debt.choices import ACTIVE_STATUSES, OPEN_STATUSES
from debt.data import PlanningItem
from debt.selectors.planning import debt_item_titles
from metrics.selectors.repositories import repository_get
from metrics.selectors.scope_figures import scope_file_figures
from sprints import event_scope as scopes
from sprints.choices import DEFAULT_HOTSPOT_CANDIDATES, REFACTORATHON_MOVES, GoalKind
from sprints.core.planning_data import Plan
from sprints.data import (
    CandidateLine,
    GoalInfo,
    HotspotCandidate,
    LeftOutLine,
    LoadLine,
    ParticipantInfo,
    PlanLine,
    RefactorathonCandidates,
    RefactorathonInfo,
    RefactorathonPlan,
)
from sprints.models import Refactorathon, RefactorathonGoal, RefactorathonItem, RefactorathonParticipant


def refactorathon_list(*, user: Any) -> list[Refactorathon]:
    """The events the user may see, newest first."""
    events = Refactorathon.objects.select_related("team").order_by("-start", "name", "id")
    return [event for event in events if scopes.can_view(event, user)]


def refactorathon_get(*, slug: str, user: Any) -> Refactorathon:
    """One event the user may see, or RefactorathonNotFound."""
    return scopes.visible(slug, user)


def refactorathon_can_change(*, slug: str, user: Any) -> bool:
    """Whether the user may change the event (sprints/event_scope.py: organisers, participants, team, staff)."""
    return scopes.can_change(scopes.visible(slug, user), user)


def participants_of(event: Refactorathon) -> list[RefactorathonParticipant]:
    """The event's participants with their users, by username."""
    return list(RefactorathonParticipant.objects.filter(event=event).select_related("user").order_by("user__username"))


def refactorathon_info(*, slug: str, user: Any) -> RefactorathonInfo:
    """An event's settings, scope, participants and goals, its plan's status and version."""
    event = scopes.visible(slug, user)
    people = participants_of(event)
    goals: QuerySet[RefactorathonGoal] = RefactorathonGoal.objects.filter(event=event).order_by("id")
    return RefactorathonInfo(
        slug=event.slug, name=event.name, team_slug=event.team.slug if event.team else None, start=event.start,
        end=event.end, status=event.status, next_statuses=tuple(REFACTORATHON_MOVES.get(event.status, ())),
        scope=scopes.event_scope(event).entries,
        participants=tuple(ParticipantInfo(user_id=p.user_id, username=p.user.get_username(), hours=p.hours,
                                           areas=tuple(p.areas), identities=scopes.identities(p.user))
                           for p in people),
        goals=tuple(GoalInfo(goal_id=g.pk, kind=g.kind, label=GoalKind(g.kind).label, target=g.target, path=g.path)
                    for g in goals),
        capacity_hours=round(sum(p.hours for p in people), 2), coupling_threshold=event.coupling_threshold,
        area_cap_hours=event.area_cap_hours, pair_islands=event.pair_islands,
        time_limit_seconds=event.time_limit_seconds, plan_status=event.plan_status, plan_version=event.plan_version,
        start_scan_id=event.start_scan_id, end_scan_id=event.end_scan_id,
    )


@dataclass(frozen=True)
class _Choice:
    """People's and the plan's choices about one item at the event (a RefactorathonItem row, read as values)."""

    pinned: bool = False
    excluded: bool = False
    chosen: bool = False
    assignee: str | None = None
    partner: str | None = None


NO_CHOICE = _Choice()


def _choices(event: Refactorathon) -> dict[int, _Choice]:
    """The event's item rows by item id, with the assignee's and partner's user names (one query)."""
    name = get_user_model().USERNAME_FIELD
    rows = RefactorathonItem.objects.filter(event=event).values_list(
        "item_id", "pinned", "excluded", "chosen", f"assignee__{name}", f"partner__{name}")
    return {item_id: _Choice(pinned, excluded, chosen, assignee, partner)
            for item_id, pinned, excluded, chosen, assignee, partner in rows}


def candidate_lines(event: Refactorathon, scope: scopes.EventScope, items: Sequence[PlanningItem] | None = None
                    ) -> list[CandidateLine]:
    """The active register items in scope as candidates, with the event's pins, exclusions and assignees."""
    choices = _choices(event)
    found = scopes.scope_items(scope) if items is None else items
    return [_line(item, choices.get(item.item_id, NO_CHOICE), scope) for item in found]


def _line(item: PlanningItem, choice: _Choice, scope: scopes.EventScope) -> CandidateLine:
    per_unit = scope.hours_per_unit(item.repository_id)
    return CandidateLine(
        item_id=item.item_id, repository_id=item.repository_id, title=item.title, status=item.status,
        value=round(float(item.priority), 4), effort=float(item.effort),
        effort_unit=scope.effort_unit(item.repository_id), hours_per_unit=per_unit,
        effort_hours=round(float(item.effort) * per_unit, 2), paths=item.paths,
        pinned=choice.pinned, excluded=choice.excluded, chosen=choice.chosen,
        assignee=choice.assignee, partner=choice.partner,
    )


def _scanned(scope: scopes.EventScope) -> list[tuple[Any, int]]:
    scans = ((entry, repository_get(repository_id=entry.repository_id).current_scan_id) for entry in scope.entries)
    return [(entry, scan_id) for entry, scan_id in scans if scan_id is not None]


def _taken(scope: scopes.EventScope, active: Sequence[PlanningItem] | None) -> set[tuple[int, str]]:
    """Paths of the open items in scope; the active ones may be given (loaded already), then only the rest load."""
    if active is None:
        return scopes.open_item_paths(scope)
    rest = sorted(set(OPEN_STATUSES) - set(ACTIVE_STATUSES))
    items = list(active) + (scopes.scope_items(scope, statuses=rest) if rest else [])
    return {(item.repository_id, path) for item in items for path in item.paths}


def hotspot_candidates(scope: scopes.EventScope, *, limit: int = DEFAULT_HOTSPOT_CANDIDATES,
                       active: Sequence[PlanningItem] | None = None) -> list[HotspotCandidate]:
    """The top hotspots in scope (current scans) that no open register item is linked to yet.

    `active`: the active register items in scope when the caller has loaded them (they are not loaded again).
    """
    scanned = _scanned(scope)
    taken = _taken(scope, active) if scanned else set()
    found: list[HotspotCandidate] = []
    for entry, scan_id in scanned:
        for figures in scope_file_figures(scan_id=scan_id, prefixes=entry.prefixes or ("",)):
            if (entry.repository_id, figures.path) not in taken and figures.hotspot_score:
                found.append(HotspotCandidate(repository_id=entry.repository_id, path=figures.path,
                                              hotspot_score=figures.hotspot_score, health=figures.health,
                                              complexity=figures.complexity))
    return sorted(found, key=lambda line: (-line.hotspot_score, line.repository_id, line.path))[:limit]


def refactorathon_candidates(*, slug: str, user: Any) -> RefactorathonCandidates:
    """Register items in scope (best priority first) and the top hotspots in scope without an item."""
    event = scopes.visible(slug, user)
    scope = scopes.event_scope(event)
    items = scopes.scope_items(scope)  # loaded once: the candidates, and the paths hotspots are matched against
    return RefactorathonCandidates(slug=event.slug, items=tuple(candidate_lines(event, scope, items)),
                                   hotspots=tuple(hotspot_candidates(scope, active=items)))


def plan_view(key: str, version: int, plan: Plan, titles: dict[int, str], planned_at: Any) -> RefactorathonPlan:
    """A core Plan as the public RefactorathonPlan (item ids back to integers, titles added)."""
    return RefactorathonPlan(
        slug=key, version=version, status=plan.status.value, reason=plan.reason,
        total_value=round(plan.total_value, 4), total_effort_hours=round(plan.total_effort, 2),
        capacity_hours=round(plan.capacity, 2), greedy_value=round(plan.greedy_value, 4),
        solver_seconds=round(plan.seconds, 3),
        chosen=tuple(PlanLine(item_id=int(c.id), title=titles.get(int(c.id), ""), value=c.value,
                              effort_hours=c.effort, assignee=c.assignee, partner=c.partner, why=c.why.value,
                              explanation=c.explanation) for c in plan.chosen),
        left_out=tuple(LeftOutLine(item_id=int(o.id), title=titles.get(int(o.id), ""), value=o.value,
                                   effort_hours=o.effort, reason=o.reason.value, explanation=o.explanation)
                       for o in plan.left_out),
        loads=tuple(LoadLine(username=load.participant, capacity_hours=load.capacity, hours=load.hours)
                    for load in plan.loads),
        planned_at=planned_at,
    )


def item_titles(item_ids: Sequence[int]) -> dict[int, str]:
    """Titles of register items (for plan lines)."""
    return debt_item_titles(item_ids=item_ids)


def refactorathon_plan_get(*, slug: str, user: Any) -> RefactorathonPlan | None:
    """The event's saved plan, or None when it was never planned."""
    event = scopes.visible(slug, user)
    if not event.plan:
        return None
    plan = Plan.from_json(event.plan)
    ids = [int(c.id) for c in plan.chosen] + [int(o.id) for o in plan.left_out]
    return plan_view(event.slug, event.plan_version, plan, item_titles(ids), event.planned_at)
