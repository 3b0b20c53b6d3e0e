"""API authorisation: signed-in users only; each repository's rule comes from metrics.selectors.access."""
from typing import Any

from rest_framework import permissions

from debt.errors import DebtItemNotFound
from debt.selectors.items import debt_item_get
from metrics.selectors.access import access_require, repository_access, repository_access_get


class IsStaffToRegister(permissions.IsAuthenticated):
    """Signed-in users only; registering a repository (the viewset's `create`) is for staff alone.

    Everything else under a repository is decided per repository by `repository_for`.
    """

    message = "Only staff may register repositories."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return getattr(view, "action", None) != "create" or bool(request.user.is_staff)


def repository_for(request, name: str, capability: str = "read") -> Any:
    """The repository called `name` if the request's user (or token's user) has `capability` on it.

    Unreadable: 404 (RepositoryNotFound); readable without the capability: 403 (`repository.forbidden`).
    """
    repository, _ = repository_access_get(user=request.user, name=name, capability=capability)
    return repository


def item_for(request, item_id: Any, capability: str = "read") -> Any:
    """The debt item `item_id` if the user has `capability` on its repository (unreadable: 404 as if absent)."""
    item = debt_item_get(item_id=item_id)
    access = repository_access(user=request.user, repository=item.repository)
    if not access.can_read:
        raise DebtItemNotFound(f"No debt item #{item_id}.", extra={"item": item_id})
    access_require(access=access, repository=item.repository, capability=capability)
    return item
