"""A team's sprint cadence: generating sprints ahead, adding one by hand, renaming, shortening or skipping one."""
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction

from sprints import access
from sprints.choices import MAX_GENERATED, MAX_LENGTH_WEEKS, MAX_SPRINT_DAYS, MAX_SPRINTS_AHEAD, MIN_LENGTH_WEEKS
from sprints.data import GenerateResult
from sprints.errors import CadenceInvalid, SprintClosed, SprintInvalid, SprintOverlap
from sprints.ledger import local_today
from sprints.models import Sprint, Team
from sprints.validation import clean_day, clean_name, whole_number_in


@transaction.atomic
def team_cadence_set(*, team: Team, actor: Any, first_day: date | str | None = None, length_weeks: int | None = None,
                     sprints_ahead: int | None = None) -> Team:
    """Change the cadence; a new length applies to sprints generated from now on, existing ones stay.

    The first day can change only while the team has no sprints (numbers and dates would no longer agree).
    """
    access.require_change(team, actor)
    if first_day is not None:
        day = clean_day(first_day, "first_day")
        if day != team.first_day and Sprint.objects.filter(team=team).exists():
            raise CadenceInvalid("The first day cannot move once sprints exist; shorten or skip sprints instead.",
                                 extra={"field": "first_day"})
        team.first_day = day
    if length_weeks is not None:
        team.length_weeks = whole_number_in(length_weeks, field="length_weeks", low=MIN_LENGTH_WEEKS,
                                            high=MAX_LENGTH_WEEKS, error=CadenceInvalid)
    if sprints_ahead is not None:
        team.sprints_ahead = whole_number_in(sprints_ahead, field="sprints_ahead", low=0, high=MAX_SPRINTS_AHEAD,
                                             error=CadenceInvalid)
    team.save()
    return team


def _next_start(team: Team, last: Sprint | None) -> date:
    """Sprint 1 starts on the first day; later ones keep the cadence even after a shortened sprint."""
    if last is None:
        return team.first_day
    return max(last.start + timedelta(weeks=team.length_weeks), last.end + timedelta(days=1))


def _enough(team: Team, last: Sprint | None, today: date) -> bool:
    """Whether the sprints reach `sprints_ahead` sprints past the one holding today (or the first)."""
    if last is None:
        return False
    reference = max(today, team.first_day)
    ahead = Sprint.objects.filter(team=team, start__gt=reference).count()
    return last.end >= reference and ahead >= team.sprints_ahead


@transaction.atomic
def sprint_generate(*, team: Team, actor: Any, now: datetime | None = None) -> GenerateResult:
    """Create the team's sprints from the first day up to today's sprint plus `sprints_ahead` more.

    Idempotent: a second run creates nothing. Numbers continue from the last sprint.
    """
    access.require_change(team, actor)
    Team.objects.select_for_update().filter(pk=team.pk).first()  # one generation per team at a time
    today = local_today(now)
    last = Sprint.objects.filter(team=team).order_by("-start", "-number").first()
    number = Sprint.objects.filter(team=team).order_by("-number").values_list("number", flat=True).first() or 0
    created: list[int] = []
    while not _enough(team, last, today) and len(created) < MAX_GENERATED:
        start = _next_start(team, last)
        number += 1
        last = Sprint.objects.create(team=team, number=number, start=start,
                                     end=start + timedelta(weeks=team.length_weeks, days=-1))
        created.append(number)
    current = Sprint.objects.filter(team=team, start__lte=today, end__gte=today).values_list("number", flat=True)
    return GenerateResult(created=tuple(created), current=current.first())


def _check_dates(team: Team, start: date, end: date, *, exclude: int | None = None) -> None:
    if end < start:
        raise SprintInvalid("A sprint ends on or after its first day.", extra={"field": "end"})
    if (end - start).days + 1 > MAX_SPRINT_DAYS:
        raise SprintInvalid(f"A sprint lasts at most {MAX_SPRINT_DAYS} days.", extra={"field": "end"})
    clash = Sprint.objects.filter(team=team, start__lte=end, end__gte=start).exclude(pk=exclude).first()
    if clash is not None:
        raise SprintOverlap(
            f"{clash.label} ({clash.start:%Y-%m-%d} to {clash.end:%Y-%m-%d}) overlaps these dates.",
            extra={"sprint": clash.number, "start": clash.start.isoformat(), "end": clash.end.isoformat()},
        )


@transaction.atomic
def sprint_create(*, team: Team, actor: Any, start: date | str, end: date | str, name: str = "") -> Sprint:
    """Add a sprint by hand (numbered after the last one); refused with sprint.overlap when dates clash."""
    access.require_change(team, actor)
    Team.objects.select_for_update().filter(pk=team.pk).first()
    start, end = clean_day(start, "start"), clean_day(end, "end")
    _check_dates(team, start, end)
    number = (Sprint.objects.filter(team=team).order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Sprint.objects.create(team=team, number=number, start=start, end=end,
                                 name=clean_name(name, required=False))


@transaction.atomic
def sprint_update(*, sprint: Sprint, actor: Any, name: str | None = None, end: date | str | None = None,
                  skipped: bool | None = None) -> Sprint:
    """Rename a sprint, move its last day (shorten it) or skip it; a closed sprint keeps its dates."""
    team = sprint.team
    access.require_change(team, actor)
    Team.objects.select_for_update().filter(pk=team.pk).first()
    if name is not None:
        sprint.name = clean_name(name, required=False)
    if end is not None or skipped is not None:
        if sprint.closed_at is not None:
            raise SprintClosed(f"{sprint.label} is closed; its dates and skip flag are history.",
                               extra={"sprint": sprint.number})
    if end is not None:
        new_end = clean_day(end, "end")
        _check_dates(team, sprint.start, new_end, exclude=sprint.pk)
        sprint.end = new_end
    if skipped is not None:
        sprint.skipped = bool(skipped)
    sprint.save()
    return sprint
