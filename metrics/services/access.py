"""Repository memberships: give a user a role on a repository, or take it away."""
from django.contrib.auth import get_user_model

from debtboard.errors import InvalidInput, NotFound
from metrics.choices import Role
from metrics.models import Repository, RepositoryMembership


def _user_named(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(f"No active user {username!r}.", code="membership.user_not_found",
                       extra={"username": username})
    return user


def repository_member_set(*, repository: Repository, username: str, role: str) -> RepositoryMembership:
    """Give the user called `username` the role `role` on `repository` (replacing any role they had)."""
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; use one of {', '.join(Role.values)}.",
                           code="membership.invalid_role", extra={"field": "role", "role": role})
    membership, _ = RepositoryMembership.objects.update_or_create(
        repository=repository, user=_user_named(username), defaults={"role": role},
    )
    return membership


def repository_member_remove(*, repository: Repository, username: str) -> None:
    """Take away the membership of `username` on `repository` (they keep only the default role)."""
    deleted, _ = RepositoryMembership.objects.filter(
        repository=repository, user__username=username).delete()
    if not deleted:
        raise NotFound(f"{username!r} is not a member of {repository.name}.", code="membership.not_found",
                       extra={"username": username, "repository": repository.name})
