"""API authorisation: signed-in users only; each repository's rule comes from metrics.selectors.access.

A request made with an API token acts with its user's roles, narrowed by the token: a repository outside
the token's set is absent (404, as for a user who may not read it), and a capability outside the token's
scopes (api.scopes) is refused with 403 `token.scope_missing`.
"""
import operator
from functools import reduce
from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions

from api.errors import TokenRepositoriesLimited, TokenScopeMissing
from api.models import ApiToken
from api.scopes import SCOPE_CAPABILITIES, Scope, scope_for
from api.tokens import token_repository_ids
from debt.errors import DebtItemNotFound
from debt.selectors.items import debt_item_get
from metrics.errors import RepositoryNotFound
from metrics.selectors.access import access_require, repository_access, repository_visible_list, scan_visible_list
from metrics.selectors.repositories import repository_get, scan_list


def request_token(request) -> ApiToken | None:
    """The API token the request authenticated with, or None (a session, or anonymous)."""
    return request.auth if isinstance(request.auth, ApiToken) else None


def scope_require(request, capability: str) -> None:
    """Raise TokenScopeMissing unless the request's token (if any) has the scope granting `capability`."""
    token = request_token(request)
    if token is None or capability in set().union(*(SCOPE_CAPABILITIES[s] for s in token.scopes)):
        return
    scope = scope_for(capability)
    raise TokenScopeMissing(f"This API token lacks the {scope!r} scope.",
                            extra={"scope": scope, "capability": capability, "token_scopes": list(token.scopes)})


def token_reaches(request, repository: Any) -> bool:
    """Whether the request's token (if any) may be used on `repository`."""
    token = request_token(request)
    allowed = None if token is None else token_repository_ids(token)
    return allowed is None or repository.pk in allowed


class IsStaffToRegister(permissions.IsAuthenticated):
    """Signed-in users only; registering a repository (the viewset's `create`) is for staff alone.

    A token registers only with the write_metrics scope and every repository in its set. Everything else
    under a repository is decided per repository by `repository_for`.
    """

    message = "Only staff may register repositories."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if getattr(view, "action", None) != "create":
            return True
        if not request.user.is_staff:
            return False
        token = request_token(request)
        if token is not None and (Scope.WRITE_METRICS not in token.scopes or not token.all_repositories):
            self.message = "Registering a repository needs a token with the write_metrics scope on all repositories."
            return False
        return True


class PlanningTokenRule(permissions.IsAuthenticated):
    """Signed-in users only; a token on the planning API (teams, sprints, refactorathons) needs its scopes.

    Reading needs the read scope, any change the manage_register scope ("plan"). A team's sprints and an
    event's plan hold items of many repositories, so a token narrowed to some repositories is refused outright
    (403 `token.repositories_limited`) rather than shown plans cut to its set. The user's own team and event
    rights (sprints/access.py) still decide everything else.
    """

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        token = request_token(request)
        if token is not None and not token.all_repositories:
            raise TokenRepositoriesLimited(
                "This API token is limited to some repositories; teams, sprints and refactorathons span "
                "repositories and need a token on all of them.", extra={"token": token.prefix})
        scope_require(request, "read" if request.method in permissions.SAFE_METHODS else "plan")
        return True


def repository_require(request, repository: Any, capability: str) -> None:
    """Raise unless the request may do `capability` on `repository`.

    Unreadable by the user, or outside the token's repositories: RepositoryNotFound (404). Readable without
    the role's capability: Forbidden `repository.forbidden`; without the token's scope: `token.scope_missing`.
    """
    access = repository_access(user=request.user, repository=repository)
    access_require(access=access, repository=repository, capability="read")
    if not token_reaches(request, repository):
        raise RepositoryNotFound(f"No repository {repository.name!r}.", extra={"repository": repository.name})
    access_require(access=access, repository=repository, capability=capability)
    scope_require(request, capability)


def repository_for(request, name: str, capability: str = "read") -> Any:
    """The repository called `name` if the request's user (narrowed by its token) has `capability` on it.

    Unreadable: 404 (RepositoryNotFound); readable without the capability: 403.
    """
    repository = repository_get(name=name)
    repository_require(request, repository, capability)
    return repository


def item_for(request, item_id: Any, capability: str = "read") -> Any:
    """The debt item `item_id` if the request has `capability` on its repository (unreadable: 404 as if absent)."""
    item = debt_item_get(item_id=item_id)
    try:
        repository_require(request, item.repository, capability)
    except RepositoryNotFound:
        raise DebtItemNotFound(f"No debt item #{item_id}.", extra={"item": item_id}) from None
    return item


def visible_repositories(request, capability: str = "read") -> QuerySet:
    """The repositories the request may read (the user's, within the token's set); the token needs the scope
    of `capability` to list at all."""
    scope_require(request, capability)
    queryset = repository_visible_list(user=request.user)
    token = request_token(request)
    allowed = None if token is None else token_repository_ids(token)
    return queryset if allowed is None else queryset.filter(pk__in=allowed)


def visible_scans(request) -> QuerySet:
    """Scans of the repositories the request may read."""
    scope_require(request, "read")
    scans = scan_visible_list(user=request.user)
    token = request_token(request)
    if token is None or token.all_repositories:
        return scans
    # The scans of each repository in the token's set, through metrics' own selector (no field names here).
    reachable = reduce(operator.or_, (scan_list(repository=r) for r in visible_repositories(request)), scans.none())
    return scans & reachable
