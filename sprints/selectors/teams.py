"""Reads of teams and their sprints: lists, one team (for services), team details, sprint lookup."""
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, Sum

from metrics.selectors.areas import effort_conversions
from sprints import access
from sprints.data import AreaInfo, MemberInfo, SprintInfo, TeamDetail, TeamSummary
from sprints.errors import SprintNotFound
from sprints.ledger import area_label, local_today
from sprints.models import Sprint, Team, TeamArea, TeamMember


def sprint_info(sprint: Sprint, *, today: Any) -> SprintInfo:
    """A sprint's identity and dates, and whether it holds `today`."""
    return SprintInfo(number=sprint.number, label=sprint.label, name=sprint.name, start=sprint.start,
                      end=sprint.end, days=sprint.days, skipped=sprint.skipped, closed=sprint.closed_at is not None,
                      is_current=sprint.start <= today <= sprint.end)


def _visible_teams(user: Any):
    queryset = Team.objects.all()
    if user is None or (getattr(user, "is_authenticated", False) and user.is_staff):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.filter(is_private=False)
    return queryset.filter(Q(is_private=False) | Q(members__user_id=user.pk)).distinct()


def team_list(*, user: Any, now: datetime | None = None) -> list[TeamSummary]:
    """The teams the user may see, by name, with members, capacity and current sprint (three queries)."""
    today = local_today(now)
    teams = list(_visible_teams(user).annotate(member_count=Count("members", distinct=True),
                                               capacity=Sum("members__capacity_hours")).order_by("name", "id"))
    current = {s.team_id: s for s in Sprint.objects.filter(team__in=teams, start__lte=today, end__gte=today)}
    return [
        TeamSummary(team_id=team.pk, slug=team.slug, name=team.name, is_private=team.is_private,
                    members=team.member_count, capacity_hours=round(team.capacity or 0.0, 2),
                    current_sprint=sprint_info(current[team.pk], today=today) if team.pk in current else None)
        for team in teams
    ]


def team_get(*, slug: str, user: Any, need: str = "view") -> Team:
    """The team to pass to services if the user may see it, and change it or schedule into it when `need` says so.

    TeamNotFound when the user may not see it; TeamForbidden when it is visible but `need` ("change" or
    "schedule") is not granted. Interfaces ask before they validate a form, so a refused user learns nothing
    from validation messages.
    """
    team = access.team_visible(slug=slug, user=user)
    if need == "change":
        access.require_change(team, user)
    elif need == "schedule":
        access.require_schedule(team, user)
    return team


def sprint_current(*, team: Team, now: datetime | None = None) -> Sprint | None:
    """The sprint holding today (in settings.TIME_ZONE), or None (no sprint generated for today)."""
    today = local_today(now)
    return Sprint.objects.filter(team=team, start__lte=today, end__gte=today).first()


def sprint_get(*, team: Team, number: int | None = None, now: datetime | None = None) -> Sprint:
    """Sprint `number` of the team, or its current sprint when `number` is None; SprintNotFound otherwise."""
    sprint = sprint_current(team=team, now=now) if number is None else (
        Sprint.objects.filter(team=team, number=number).first() if isinstance(number, int) else None)
    if sprint is None:
        what = "no current sprint (generate sprints first)" if number is None else f"no sprint {number}"
        raise SprintNotFound(f"{team.name} has {what}.", extra={"team": team.slug, "sprint": number})
    return sprint


SPRINT_STATES = ("past", "current", "upcoming")


def sprint_list(*, slug: str, user: Any, now: datetime | None = None, state: str | None = None) -> list[SprintInfo]:
    """A visible team's sprints, by start; `state` keeps only the past, current or upcoming ones."""
    team = access.team_visible(slug=slug, user=user)
    today = local_today(now)
    sprints = Sprint.objects.filter(team=team).order_by("start", "number")
    if state == "past":
        sprints = sprints.filter(end__lt=today)
    elif state == "current":
        sprints = sprints.filter(start__lte=today, end__gte=today)
    elif state == "upcoming":
        sprints = sprints.filter(start__gt=today)
    return [sprint_info(s, today=today) for s in sprints]


def _areas(team: Team) -> tuple[AreaInfo, ...]:
    areas = list(TeamArea.objects.filter(team=team).order_by("repository_id", "path_prefix", "codeowners_handle"))
    names = {pk: c.repository_name
             for pk, c in effort_conversions(repository_ids={a.repository_id for a in areas}).items()}
    return tuple(
        AreaInfo(area_id=a.pk, repository_id=a.repository_id, repository_name=names.get(a.repository_id, ""),
                 path_prefix=a.path_prefix, codeowners_handle=a.codeowners_handle,
                 label=area_label(a, names.get(a.repository_id, "")))
        for a in areas
    )


def team_detail(*, slug: str, user: Any, now: datetime | None = None) -> TeamDetail:
    """A visible team's settings, members, areas and current sprint, and what `user` may do with it."""
    team = access.team_visible(slug=slug, user=user)
    members = tuple(
        MemberInfo(user_id=m.user_id, username=m.user.get_username(), capacity_hours=m.capacity_hours,
                   is_lead=m.is_lead)
        for m in TeamMember.objects.filter(team=team).select_related("user").order_by("user__username")
    )
    current = sprint_current(team=team, now=now)
    return TeamDetail(
        team_id=team.pk, slug=team.slug, name=team.name, is_private=team.is_private, first_day=team.first_day,
        length_weeks=team.length_weeks, sprints_ahead=team.sprints_ahead, budget_mode=team.budget_mode,
        fixed_hours=team.fixed_hours, share_percent=team.share_percent, carry_over=team.carry_over,
        carry_cap_hours=team.carry_cap_hours, overcommit_tolerance_percent=team.overcommit_tolerance_percent,
        underspend_share_percent=team.underspend_share_percent,
        capacity_hours=round(sum(m.capacity_hours for m in members), 2), members=members, areas=_areas(team),
        current_sprint=sprint_info(current, today=local_today(now)) if current else None,
        is_member=any(m.user_id == getattr(user, "pk", None) for m in members),
        can_change=access.can_change(team, user), can_schedule=access.can_schedule(team, user),
    )
