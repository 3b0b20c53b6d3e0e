"""Fill a sprint's debt budget: the planner proposes accepted items in the team's areas; scheduling follows on confirm.

The capacity is what the budget has left (total - spent - committed); each member's hours are their share of
the team's capacity for the sprint, scaled to that budget. Nothing is written until `sprint_fill_confirm`.
"""
from collections.abc import Sequence
from typing import Any

from debt.choices import Status
from debt.selectors.planning import debt_item_planning_list
from sprints import access
from sprints.core.planner import solve
from sprints.core.planning_data import Constraints
from sprints.data import BulkScheduleResult, CandidateLine, SprintFillProposal
from sprints.event_scope import identities
from sprints.ledger import TeamScope
from sprints.models import Sprint, SprintItem
from sprints.planning_input import planner_candidates, planner_participant
from sprints.selectors.refactorathons import item_titles, plan_view
from sprints.selectors.sprint_figures import sprint_state
from sprints.services.scheduling import sprint_item_schedule_bulk

COUPLING_THRESHOLD = 0.6


def _lines(scope: TeamScope) -> list[CandidateLine]:
    """Accepted items in the team's areas that no open sprint holds yet (three queries)."""
    held = set(SprintItem.objects.filter(open=True).values_list("item_id", flat=True))
    found = debt_item_planning_list(repository_ids=scope.repository_ids, statuses=[Status.ACCEPTED])
    lines = []
    for repository_id in scope.repository_ids:
        conversion = scope.conversion(repository_id)
        for item in found:
            if item.repository_id != repository_id or item.item_id in held:
                continue
            if not scope.area_labels(repository_id, item.paths):
                continue
            lines.append(CandidateLine(
                item_id=item.item_id, repository_id=repository_id, title=item.title, status=item.status,
                value=float(item.priority), effort=float(item.effort), effort_unit=conversion.effort_unit,
                hours_per_unit=conversion.hours_per_unit,
                effort_hours=round(float(item.effort) * conversion.hours_per_unit, 2), paths=item.paths,
                pinned=False, excluded=False, chosen=False, assignee=None, partner=None))
    return lines


def sprint_fill_propose(*, sprint: Sprint, actor: Any, time_limit: float = 5.0) -> SprintFillProposal:
    """Run the planner over the team's accepted items with the sprint's remaining budget as capacity."""
    access.require_schedule(sprint.team, actor)
    state = sprint_state(team=sprint.team, sprint=sprint)
    scope = state.scope
    left = max(0.0, state.row.total - state.row.spent - state.committed_hours)
    lines = _lines(scope)
    candidates = planner_candidates(lines, coupling_threshold=COUPLING_THRESHOLD)
    total = sum(member.capacity_hours for member in scope.members) or 1.0
    participants = [planner_participant(m.user.get_username(), left * m.capacity_hours / total, (),
                                        identities(m.user)) for m in scope.members if m.capacity_hours > 0]
    plan = solve(candidates, participants, Constraints(total_capacity=round(left, 2), time_limit=time_limit))
    ids = [int(c.id) for c in plan.chosen] + [int(o.id) for o in plan.left_out]
    view = plan_view(sprint.team.slug, 0, plan, item_titles(ids), None)
    return SprintFillProposal(team_slug=sprint.team.slug, sprint_number=sprint.number, capacity_hours=round(left, 2),
                              status=plan.status.value, reason=plan.reason,
                              item_ids=tuple(int(c.id) for c in plan.chosen), plan=view)


def sprint_fill_confirm(*, sprint: Sprint, actor: Any, item_ids: Sequence[int]) -> BulkScheduleResult:
    """Schedule the proposal's items the user confirmed (each scheduled or refused on its own)."""
    return sprint_item_schedule_bulk(sprint=sprint, item_ids=list(item_ids), actor=actor)
