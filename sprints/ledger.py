"""A team's ledger: capacity, budget with carry-over and spend (planned, unplanned) per sprint, from done events.

Sprint days are whole days in settings.TIME_ZONE: a sprint runs from the start of its first day to the start
of the day after its last day, so an item finished at 23:59 on the last day counts in that sprint.
"""
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from debt.selectors.history import DoneEvent, debt_item_done_events
from metrics.data import EffortConversion
from metrics.selectors.areas import effort_conversions, paths_owned_by
from sprints.choices import BudgetMode
from sprints.models import Sprint, SprintItem, Team, TeamArea, TeamMember


def day_start(day: date) -> datetime:
    """The start of a day in the project's time zone (settings.TIME_ZONE), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def sprint_window(sprint: Sprint) -> tuple[datetime, datetime]:
    """The sprint's [start, end) moments: from its first day's start to the start of the day after its end."""
    return day_start(sprint.start), day_start(sprint.end + timedelta(days=1))


def local_today(now: datetime | None = None) -> date:
    """Today's date in the project's time zone."""
    return timezone.localdate(now or timezone.now(), timezone.get_default_timezone())


def hours2(value: float | Decimal) -> float:
    """Hours as shown and compared: rounded to two decimals."""
    return round(float(value), 2)


def area_label(area: TeamArea, repository_name: str) -> str:
    """How an area reads: "repo", "repo:app/payments/", "repo @acme/payments" or both."""
    label = repository_name + (f":{area.path_prefix}" if area.path_prefix else "")
    return label + (f" {area.codeowners_handle}" if area.codeowners_handle else "")


def _owned_path(path: str, owned: frozenset[str]) -> bool:
    """A file CODEOWNERS gives the handle, or a folder holding one."""
    return path in owned or (path.endswith("/") and any(file.startswith(path) for file in owned))


def _owns(area: TeamArea, owned: frozenset[str], paths: Sequence[str]) -> bool:
    """Whether an item linked to `paths` lies in the area (no prefix nor handle: the whole repository)."""
    if not area.path_prefix and not area.codeowners_handle:
        return True
    return any((area.path_prefix and path.startswith(area.path_prefix)) or _owned_path(path, owned)
               for path in paths)


class TeamScope:
    """A team loaded for figures: members, capacity, areas (with CODEOWNERS paths) and effort conversions."""

    def __init__(self, team: Team) -> None:
        self.team = team
        self.members = list(TeamMember.objects.filter(team=team).select_related("user").order_by("user__username"))
        self.capacity = sum(member.capacity_hours for member in self.members)
        self.areas = list(TeamArea.objects.filter(team=team).order_by("repository_id", "path_prefix", "id"))
        self.repository_ids = sorted({area.repository_id for area in self.areas})
        self._conversions: dict[int, EffortConversion] = effort_conversions(repository_ids=self.repository_ids)
        self.owned: dict[int, frozenset[str]] = {
            area.pk: paths_owned_by(repository_id=area.repository_id, handle=area.codeowners_handle)
            for area in self.areas if area.codeowners_handle
        }
        self.labels = {area.pk: area_label(area, self.conversion(area.repository_id).repository_name)
                       for area in self.areas}

    def conversion(self, repository_id: int) -> EffortConversion:
        """The effort conversion of a repository (loaded on first use for repositories outside the areas)."""
        if repository_id not in self._conversions:
            self._conversions.update(effort_conversions(repository_ids=[repository_id]))
        return self._conversions.get(repository_id) or EffortConversion(
            repository_id=repository_id, repository_name=str(repository_id), effort_unit="hours", hours_per_unit=1.0)

    def conversions_used(self, repository_ids: Iterable[int]) -> tuple[EffortConversion, ...]:
        """The conversions of the given repositories, by repository name."""
        return tuple(sorted((self.conversion(pk) for pk in set(repository_ids)), key=lambda c: c.repository_name))

    def hours(self, repository_id: int, effort: Decimal | float) -> float:
        """Effort in the repository's unit, in hours."""
        return float(effort) * self.conversion(repository_id).hours_per_unit

    def area_labels(self, repository_id: int, paths: Sequence[str]) -> tuple[str, ...]:
        """The labels of the team's areas holding an item of the repository linked to `paths`."""
        return tuple(
            self.labels[area.pk] for area in self.areas
            if area.repository_id == repository_id and _owns(area, self.owned.get(area.pk, frozenset()), paths)
        )

    def sprint_capacity(self, sprint: Sprint) -> float:
        """The team's capacity for a sprint: members' capacity pro-rated by its days; 0 when skipped."""
        if sprint.skipped:
            return 0.0
        return self.capacity * sprint.days / (self.team.length_weeks * 7)

    def base_budget(self, sprint: Sprint) -> float:
        """The sprint's own budget: fixed hours or the share of its capacity, both pro-rated by its days."""
        if sprint.skipped:
            return 0.0
        if self.team.budget_mode == BudgetMode.FIXED:
            return self.team.fixed_hours * sprint.days / (self.team.length_weeks * 7)
        return self.sprint_capacity(sprint) * self.team.share_percent / 100


@dataclass
class LedgerRow:
    """One sprint of the ledger (all hours, unrounded)."""

    sprint: Sprint
    capacity: float
    base: float
    carry_in: float = 0.0
    planned: list[DoneEvent] = field(default_factory=list)
    unplanned: list[DoneEvent] = field(default_factory=list)
    done_hours: float = 0.0
    unplanned_hours: float = 0.0

    @property
    def total(self) -> float:
        return self.base + self.carry_in

    @property
    def spent(self) -> float:
        return self.done_hours + self.unplanned_hours

    @property
    def carry_out(self) -> float:
        """What the sprint left unspent (before the next sprint's cap); 0 for a skipped sprint."""
        return 0.0 if self.sprint.skipped else max(0.0, self.total - self.spent)


def scheduled_items(sprints: Sequence[Sprint]) -> dict[int, dict[int, datetime]]:
    """The items scheduled into each sprint, with when: {sprint id: {item id: scheduled_at}}."""
    found: dict[int, dict[int, datetime]] = defaultdict(dict)
    rows = (SprintItem.objects.filter(sprint__in=[s.pk for s in sprints])
            .values_list("sprint_id", "item_id", "scheduled_at"))
    for sprint_id, item_id, at in rows:
        found[sprint_id][item_id] = at
    return found


def _sort_events(scope: TeamScope, rows: list[LedgerRow], scheduled: dict[int, dict[int, datetime]],
                 events: list[DoneEvent]) -> None:
    starts = [sprint_window(row.sprint)[0] for row in rows]
    ends = [sprint_window(row.sprint)[1] for row in rows]
    for event in events:
        if event.reopened_at is not None:
            continue  # a reopened item gives its spend back
        index = bisect_right(starts, event.done_at) - 1
        if index < 0 or event.done_at >= ends[index] or rows[index].sprint.skipped:
            continue
        row = rows[index]
        hours = scope.hours(event.repository_id, event.effort)
        if event.item_id in scheduled.get(row.sprint.pk, {}):
            row.planned.append(event)
            row.done_hours += hours
        elif scope.area_labels(event.repository_id, event.paths):
            row.unplanned.append(event)
            row.unplanned_hours += hours


def _carry(scope: TeamScope, rows: list[LedgerRow]) -> None:
    team = scope.team
    previous: LedgerRow | None = None
    for row in rows:
        if row.sprint.skipped:
            continue
        if team.carry_over and previous is not None:
            row.carry_in = min(team.carry_cap_hours, previous.carry_out)
        previous = row


def build_ledger(scope: TeamScope, sprints: Sequence[Sprint],
                 scheduled: dict[int, dict[int, datetime]]) -> list[LedgerRow]:
    """The ledger of `sprints` (sorted by start, no overlaps): budgets, carry-over and spend, in one pass."""
    rows = [LedgerRow(sprint=s, capacity=scope.sprint_capacity(s), base=scope.base_budget(s)) for s in sprints]
    if not rows:
        return rows
    item_ids = {item_id for items in scheduled.values() for item_id in items}
    events = debt_item_done_events(repository_ids=scope.repository_ids, item_ids=item_ids,
                                   since=sprint_window(sprints[0])[0], until=sprint_window(sprints[-1])[1])
    _sort_events(scope, rows, scheduled, events)
    _carry(scope, rows)
    return rows
