"""Reads for the "schedule into sprint" actions: the sprints a user may schedule into, the sprint holding an item."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sprints import access
from sprints.data import _AsJson
from sprints.ledger import local_today
from sprints.models import Sprint, SprintItem, Team

OPTIONS_PER_TEAM = 2  # the current sprint and the next one


@dataclass(frozen=True)
class SprintOption(_AsJson):
    """A sprint to schedule into (or holding an item): team, number and dates; `key` is "team-slug:number"."""

    team_slug: str
    team_name: str
    number: int
    label: str
    start: date
    end: date
    is_current: bool

    @property
    def key(self) -> str:
        return f"{self.team_slug}:{self.number}"

    @property
    def choice_label(self) -> str:
        when = "current" if self.is_current else f"from {self.start:%Y-%m-%d}"
        return f"{self.team_name} · {self.label} ({when})"


def _option(sprint: Sprint, today: date) -> SprintOption:
    return SprintOption(team_slug=sprint.team.slug, team_name=sprint.team.name, number=sprint.number,
                        label=sprint.label, start=sprint.start, end=sprint.end,
                        is_current=sprint.start <= today <= sprint.end)


def _schedulable_teams(user: Any) -> Iterable[Team]:
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    if user.is_staff:
        return Team.objects.all()
    return Team.objects.filter(members__user_id=user.pk)


def sprint_schedule_options(*, user: Any, now: datetime | None = None) -> list[SprintOption]:
    """The current and next open, non-skipped sprint of each team the user may schedule into (members; staff: all).

    Two queries whatever the number of teams; by team name, then start.
    """
    today = local_today(now)
    sprints = (Sprint.objects.filter(team__in=_schedulable_teams(user), end__gte=today, skipped=False,
                                     closed_at=None)
               .select_related("team").order_by("team__name", "team_id", "start", "number"))
    options: list[SprintOption] = []
    taken: dict[int, int] = {}
    for sprint in sprints:
        if taken.get(sprint.team_id, 0) < OPTIONS_PER_TEAM:
            taken[sprint.team_id] = taken.get(sprint.team_id, 0) + 1
            options.append(_option(sprint, today))
    return options


def sprint_holding_item(*, item_id: int, user: Any, now: datetime | None = None) -> SprintOption | None:
    """The open sprint an item is scheduled into, or None (also when it is a private team the user may not see)."""
    row = (SprintItem.objects.filter(item_id=item_id, open=True).select_related("sprint", "sprint__team")
           .order_by("-sprint__start").first())
    if row is None or not access.can_view(row.sprint.team, user):
        return None
    return _option(row.sprint, local_today(now))
