"""Creating and changing teams, their members and their areas (leads and staff only)."""
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from metrics.errors import RepositoryNotFound
from metrics.selectors.repositories import repository_get
from sprints import access
from sprints.choices import MAX_LENGTH_WEEKS, MAX_SPRINTS_AHEAD, MIN_LENGTH_WEEKS
from sprints.errors import (
    AreaInvalid,
    AreaNotFound,
    MemberExists,
    MemberNotFound,
    TeamForbidden,
    TeamInvalid,
    TeamSlugTaken,
)
from sprints.models import Team, TeamArea, TeamMember
from sprints.validation import (
    clean_capacity,
    clean_day,
    clean_handle,
    clean_name,
    clean_prefix,
    clean_slug,
    number_in,
    whole_number_in,
)


@transaction.atomic
def team_create(
    *, actor: Any, name: str, first_day: date | str, slug: str = "", is_private: bool = False,
    length_weeks: int = 2, sprints_ahead: int = 3, lead_capacity_hours: float = 0,
    now: datetime | None = None,
) -> Team:
    """Create a team; the actor (when a user) becomes its first lead with `lead_capacity_hours`.

    The budget starts as 20 % of the capacity, no carry-over; set it with team_budget_set.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        raise TeamForbidden("Sign in to create a team.")
    name = clean_name(name)
    slug = clean_slug(slug, name=name)
    team = Team(
        name=name, slug=slug, is_private=bool(is_private), first_day=clean_day(first_day, "first_day"),
        length_weeks=whole_number_in(length_weeks, field="length_weeks", low=MIN_LENGTH_WEEKS,
                                     high=MAX_LENGTH_WEEKS),
        sprints_ahead=whole_number_in(sprints_ahead, field="sprints_ahead", low=0, high=MAX_SPRINTS_AHEAD),
        created_at=now or timezone.now(),
    )
    capacity = clean_capacity(lead_capacity_hours)
    if Team.objects.filter(slug=slug).exists():
        raise TeamSlugTaken(f"A team with the slug {slug!r} exists already.", extra={"field": "slug", "slug": slug})
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise TeamSlugTaken(f"A team with the slug {slug!r} exists already.",
                            extra={"field": "slug", "slug": slug}) from None
    if actor is not None and getattr(actor, "is_authenticated", False):
        TeamMember.objects.create(team=team, user=actor, capacity_hours=capacity, is_lead=True)
    return team


def team_update(*, team: Team, actor: Any, name: str | None = None, is_private: bool | None = None,
                overcommit_tolerance_percent: float | None = None,
                underspend_share_percent: float | None = None) -> Team:
    """Rename a team, make it private or public, or change its alert thresholds (percentages)."""
    access.require_change(team, actor)
    if name is not None:
        team.name = clean_name(name)
    if is_private is not None:
        team.is_private = bool(is_private)
    if overcommit_tolerance_percent is not None:
        team.overcommit_tolerance_percent = number_in(overcommit_tolerance_percent,
                                                      field="overcommit_tolerance_percent", low=0, high=1000)
    if underspend_share_percent is not None:
        team.underspend_share_percent = number_in(underspend_share_percent, field="underspend_share_percent",
                                                  low=0, high=100)
    team.save()
    return team


def team_delete(*, team: Team, actor: Any) -> None:
    """Delete a team with its sprints, schedule, alerts and snapshots (the register's items stay)."""
    access.require_change(team, actor)
    team.delete()


def _user(user_id: Any) -> Any:
    user = get_user_model().objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        raise MemberNotFound(f"No user #{user_id}.", extra={"user": user_id})
    return user


@transaction.atomic
def team_member_add(*, team: Team, actor: Any, user_id: int, capacity_hours: float = 0,
                    is_lead: bool = False) -> TeamMember:
    """Add a user to a team with their capacity per sprint (0 to 200 hours)."""
    access.require_change(team, actor)
    user = _user(user_id)
    capacity = clean_capacity(capacity_hours)
    if TeamMember.objects.filter(team=team, user=user).exists():
        raise MemberExists(f"{user.get_username()} is already in {team.name}.", extra={"user": user_id})
    return TeamMember.objects.create(team=team, user=user, capacity_hours=capacity, is_lead=bool(is_lead))


def _member(team: Team, user_id: Any) -> TeamMember:
    member = TeamMember.objects.filter(team=team, user_id=user_id).first() if isinstance(user_id, int) else None
    if member is None:
        raise MemberNotFound(f"User #{user_id} is not in {team.name}.", extra={"user": user_id})
    return member


def _keep_a_lead(team: Team, member: TeamMember) -> None:
    if member.is_lead and not TeamMember.objects.filter(team=team, is_lead=True).exclude(pk=member.pk).exists():
        raise TeamInvalid(f"{team.name} needs at least one lead; make someone else lead first.",
                          extra={"field": "is_lead", "user": member.user_id})


@transaction.atomic
def team_member_update(*, team: Team, actor: Any, user_id: int, capacity_hours: float | None = None,
                       is_lead: bool | None = None) -> TeamMember:
    """Change a member's capacity per sprint or lead role (the last lead stays a lead)."""
    access.require_change(team, actor)
    member = _member(team, user_id)
    if capacity_hours is not None:
        member.capacity_hours = clean_capacity(capacity_hours)
    if is_lead is not None and not is_lead:
        _keep_a_lead(team, member)
    if is_lead is not None:
        member.is_lead = bool(is_lead)
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, team: Team, actor: Any, user_id: int) -> None:
    """Take a user out of a team (not its last lead)."""
    access.require_change(team, actor)
    member = _member(team, user_id)
    _keep_a_lead(team, member)
    member.delete()


@transaction.atomic
def team_area_add(*, team: Team, actor: Any, repository_id: int, path_prefix: str = "",
                  codeowners_handle: str = "") -> TeamArea:
    """Give a team an area: a repository, narrowed to a path prefix and/or a CODEOWNERS handle.

    A blank prefix with no handle is the whole repository; a prefix and a handle together mean files under
    the prefix or owned by the handle.
    """
    access.require_change(team, actor)
    try:
        repository = repository_get(repository_id=repository_id)
    except RepositoryNotFound:
        raise AreaInvalid(f"No repository #{repository_id}.", extra={"field": "repository_id"}) from None
    prefix, handle = clean_prefix(path_prefix), clean_handle(codeowners_handle)
    if TeamArea.objects.filter(team=team, repository_id=repository.pk, path_prefix=prefix,
                               codeowners_handle=handle).exists():
        raise AreaInvalid(f"{team.name} has this area already.", extra={"field": "path_prefix"})
    return TeamArea.objects.create(team=team, repository_id=repository.pk, path_prefix=prefix,
                                   codeowners_handle=handle)


def team_area_remove(*, team: Team, actor: Any, area_id: int) -> None:
    """Take an area away from a team."""
    access.require_change(team, actor)
    deleted, _ = TeamArea.objects.filter(team=team, pk=area_id).delete()
    if not deleted:
        raise AreaNotFound(f"{team.name} has no area #{area_id}.", extra={"area": area_id})
