"""Who may see and change a team: members and staff see private teams; leads and staff change settings.

`user=None` is the system (management commands, cron, scan receivers): it may do everything. Interfaces
always pass the signed-in user (an anonymous user is neither a member nor staff).
"""
from typing import Any

from sprints.errors import TeamForbidden, TeamNotFound
from sprints.models import Team, TeamMember


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


def membership(team: Team, user: Any) -> TeamMember | None:
    """The user's membership of the team, or None (anonymous users and the system are no members)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return TeamMember.objects.filter(team=team, user_id=user.pk).first()


def can_view(team: Team, user: Any) -> bool:
    """A public team is visible to everyone; a private one to its members and staff."""
    return user is None or not team.is_private or _is_staff(user) or membership(team, user) is not None


def can_change(team: Team, user: Any) -> bool:
    """Team settings, members, areas and sprints: the team's leads and staff."""
    if user is None or _is_staff(user):
        return True
    member = membership(team, user)
    return member is not None and member.is_lead


def can_schedule(team: Team, user: Any) -> bool:
    """Scheduling items into the team's sprints: any member, and staff."""
    return user is None or _is_staff(user) or membership(team, user) is not None


def team_visible(*, slug: str, user: Any) -> Team:
    """The team with `slug` if the user may see it; TeamNotFound otherwise (a private team is not revealed)."""
    team = Team.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    if team is None or not can_view(team, user):
        raise TeamNotFound(f"No team {slug!r}.", extra={"team": slug})
    return team


def require_view(team: Team, user: Any) -> None:
    """Raise TeamNotFound unless the user may see the team."""
    if not can_view(team, user):
        raise TeamNotFound(f"No team {team.slug!r}.", extra={"team": team.slug})


def require_change(team: Team, user: Any) -> None:
    """Raise TeamNotFound (cannot see it) or TeamForbidden unless the user leads the team or is staff."""
    require_view(team, user)
    if not can_change(team, user):
        raise TeamForbidden(f"Only the leads of {team.name} and staff can change it.",
                            extra={"team": team.slug})


def require_schedule(team: Team, user: Any) -> None:
    """Raise TeamNotFound or TeamForbidden unless the user is a member of the team or staff."""
    require_view(team, user)
    if not can_schedule(team, user):
        raise TeamForbidden(f"Only members of {team.name} and staff can schedule into its sprints.",
                            extra={"team": team.slug})
