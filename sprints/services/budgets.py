"""Setting a team's debt budget: fixed hours or a share of the capacity, with an optional capped carry-over."""
from typing import Any

from django.db import transaction

from sprints import access
from sprints.choices import MAX_FIXED_HOURS, BudgetMode
from sprints.errors import BudgetInvalid
from sprints.models import Team
from sprints.validation import number_in


@transaction.atomic
def team_budget_set(*, team: Team, actor: Any, mode: str | None = None, fixed_hours: float | None = None,
                    share_percent: float | None = None, carry_over: bool | None = None,
                    carry_cap_hours: float | None = None) -> Team:
    """Set the budget per sprint: `mode` "fixed" (fixed_hours) or "share" (share_percent, 0 to 100, of capacity).

    With carry_over, what a sprint leaves unspent is added to the next non-skipped sprint, at most
    carry_cap_hours. Values not given stay as they are. Raises BudgetInvalid ("team.budget_invalid").
    """
    access.require_change(team, actor)
    if mode is not None:
        if mode not in BudgetMode.values:
            raise BudgetInvalid(f"The budget mode is one of {', '.join(BudgetMode.values)}.",
                                extra={"field": "mode", "value": str(mode)[:50]})
        team.budget_mode = mode
    if fixed_hours is not None:
        team.fixed_hours = number_in(fixed_hours, field="fixed_hours", low=0, high=MAX_FIXED_HOURS,
                                     error=BudgetInvalid, unit=" hours")
    if share_percent is not None:
        team.share_percent = number_in(share_percent, field="share_percent", low=0, high=100, error=BudgetInvalid,
                                       unit=" %")
    if carry_over is not None:
        team.carry_over = bool(carry_over)
    if carry_cap_hours is not None:
        team.carry_cap_hours = number_in(carry_cap_hours, field="carry_cap_hours", low=0, high=MAX_FIXED_HOURS,
                                         error=BudgetInvalid, unit=" hours")
    team.save()
    return team
