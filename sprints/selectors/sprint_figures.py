"""Reads of one sprint's figures: budget, committed, done, unplanned, left, breakdowns, burn-down and alerts."""
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from debt.choices import CLOSED_STATUSES, COMMITTED_STATUSES
from debt.selectors.history import ItemFacts, StatusChange, debt_item_facts, debt_item_status_changes
from sprints import access
from sprints.data import Budget, BreakdownRow, BurndownPoint, ItemLine, SprintFigures
from sprints.ledger import LedgerRow, TeamScope, build_ledger, day_start, hours2, local_today, scheduled_items
from sprints.models import Sprint, Team
from sprints.selectors.alerts import banners_of
from sprints.selectors.teams import sprint_get, sprint_info

UNASSIGNED = "(unassigned)"
OUTSIDE_AREAS = "(outside the team's areas)"


@dataclass(frozen=True)
class SprintState:
    """A sprint's ledger row, its scheduled items (with when) and their facts: what figures and alerts read."""

    scope: TeamScope
    row: LedgerRow
    scheduled: dict[int, datetime]
    facts: dict[int, ItemFacts]

    @property
    def committed_hours(self) -> float:
        return sum(self.scope.hours(f.repository_id, f.effort) for item_id, f in self.facts.items()
                   if item_id in self.scheduled and f.status in COMMITTED_STATUSES)

    @property
    def scheduled_hours(self) -> float:
        return sum(self.scope.hours(f.repository_id, f.effort) for item_id, f in self.facts.items()
                   if item_id in self.scheduled)


def sprint_state(*, team: Team, sprint: Sprint, scope: TeamScope | None = None) -> SprintState:
    """The ledger of the team up to `sprint` (for its carry-over) and the sprint's items (no permission check)."""
    scope = scope or TeamScope(team)
    sprints = list(Sprint.objects.filter(team=team, start__lte=sprint.start).order_by("start", "number"))
    scheduled = scheduled_items(sprints)
    row = build_ledger(scope, sprints, scheduled)[-1]
    mine = scheduled.get(sprint.pk, {})
    facts = debt_item_facts(item_ids=set(mine) | {e.item_id for e in row.unplanned})
    return SprintState(scope=scope, row=row, scheduled=mine, facts=facts)


def _line(scope: TeamScope, fact: ItemFacts, *, planned: bool, done_at: datetime | None) -> ItemLine:
    conversion = scope.conversion(fact.repository_id)
    return ItemLine(
        item_id=fact.item_id, title=fact.title, status=fact.status, repository_id=fact.repository_id,
        owner_name=fact.owner_name or UNASSIGNED, effort=float(fact.effort), effort_unit=conversion.effort_unit,
        hours_per_unit=conversion.hours_per_unit, hours=hours2(scope.hours(fact.repository_id, fact.effort)),
        areas=scope.area_labels(fact.repository_id, fact.paths), planned=planned, done_at=done_at,
    )


def _lines(state: SprintState) -> tuple[tuple[ItemLine, ...], tuple[ItemLine, ...]]:
    done_at = {e.item_id: e.done_at for e in state.row.planned}
    planned = tuple(_line(state.scope, state.facts[item_id], planned=True, done_at=done_at.get(item_id))
                    for item_id in state.scheduled if item_id in state.facts)
    unplanned = tuple(_line(state.scope, state.facts[e.item_id], planned=False, done_at=e.done_at)
                      for e in state.row.unplanned if e.item_id in state.facts)
    return planned, unplanned


def _breakdown(lines: Sequence[ItemLine], keys_of: Any) -> tuple[BreakdownRow, ...]:
    committed: dict[str, float] = defaultdict(float)
    spent: dict[str, float] = defaultdict(float)
    for line in lines:
        for key in keys_of(line):
            if line.done_at is not None:
                spent[key] += line.hours
            elif line.status in COMMITTED_STATUSES:
                committed[key] += line.hours
    keys = sorted(set(committed) | set(spent))
    return tuple(BreakdownRow(key=key, committed_hours=hours2(committed[key]), spent_hours=hours2(spent[key]))
                 for key in keys)


def _status_at(changes: Sequence[StatusChange], current: str, moment: datetime) -> str:
    status = current
    for change in reversed(changes):
        if change.at <= moment:
            return change.to_status
        status = change.from_status
    return status


def _remaining(state: SprintState, changes: dict[int, list[StatusChange]], moment: datetime) -> float:
    total = 0.0
    for item_id, scheduled_at in state.scheduled.items():
        fact = state.facts.get(item_id)
        if fact is None or scheduled_at > moment:
            continue
        if _status_at(changes.get(item_id, []), fact.status, moment) not in CLOSED_STATUSES:
            total += state.scope.hours(fact.repository_id, fact.effort)
    return total


def burndown(state: SprintState, *, now: datetime) -> tuple[BurndownPoint, ...]:
    """Ideal line (all scheduled hours down to 0 at the end) vs remaining committed hours, day by day.

    Point 0 is the sprint's start, point i the end of its i-th day (today's point is "now"); remaining hours
    count the items scheduled by that moment that are not done or won't fix then (from the transition history).
    """
    sprint = state.row.sprint
    changes: dict[int, list[StatusChange]] = defaultdict(list)
    for change in debt_item_status_changes(item_ids=list(state.scheduled)):
        changes[change.item_id].append(change)
    total = state.scheduled_hours
    points = []
    for index in range(sprint.days + 1):
        day = sprint.start + timedelta(days=max(index - 1, 0))
        moment = day_start(sprint.start + timedelta(days=index))
        begun = day_start(day) <= now
        remaining = hours2(_remaining(state, changes, min(moment, now))) if begun else None
        points.append(BurndownPoint(day=day, at=moment, ideal_hours=hours2(total * (sprint.days - index) / sprint.days),
                                    remaining_hours=remaining))
    return tuple(points)


def figures_of(*, team: Team, sprint: Sprint, now: datetime | None = None) -> SprintFigures:
    """The figures of a sprint (no permission check: the selector below and the services check)."""
    now = now or timezone.now()
    state = sprint_state(team=team, sprint=sprint)
    row = state.row
    planned, unplanned = _lines(state)
    committed = state.committed_hours
    lines = planned + unplanned
    return SprintFigures(
        team_slug=team.slug, team_name=team.name, sprint=sprint_info(sprint, today=local_today(now)),
        budget=Budget(mode=team.budget_mode, capacity_hours=hours2(row.capacity), base_hours=hours2(row.base),
                      carry_in_hours=hours2(row.carry_in), total_hours=hours2(row.total)),
        committed_hours=hours2(committed), done_hours=hours2(row.done_hours),
        unplanned_hours=hours2(row.unplanned_hours), spent_hours=hours2(row.spent),
        left_hours=hours2(row.total - row.spent - committed),
        over_committed=hours2(row.spent + committed) > hours2(row.total),
        overcommit_limit_hours=hours2(row.total * (1 + team.overcommit_tolerance_percent / 100)),
        items=planned, unplanned_items=unplanned,
        by_member=_breakdown(lines, lambda line: [line.owner_name]),
        by_area=_breakdown(lines, lambda line: line.areas or [OUTSIDE_AREAS]),
        burndown=burndown(state, now=now),
        alerts=banners_of(team=team, sprint_ids=[sprint.pk]),
        conversions=state.scope.conversions_used(line.repository_id for line in lines),
    )


def sprint_figures(*, slug: str, user: Any, number: int | None = None, now: datetime | None = None) -> SprintFigures:
    """The figures of sprint `number` (None: the current sprint) of a team the user may see.

    Raises TeamNotFound (no such team, or a private team the user is not a member of) or SprintNotFound.
    """
    team = access.team_visible(slug=slug, user=user)
    return figures_of(team=team, sprint=sprint_get(team=team, number=number, now=now), now=now)
