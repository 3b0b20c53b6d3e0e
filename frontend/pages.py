"""Shared plumbing of the HTML views: repository and item lookup under the access rule, filter defaults."""
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from debt.errors import DebtItemNotFound
from debt.selectors.items import debt_item_get
from debtboard.errors import Forbidden, NotFound
from metrics.data import RepositoryAccess
from metrics.selectors.access import access_require, repository_access, repository_access_get
from metrics.selectors.repositories import scan_list

PAGE_SIZE = 50


def repository_for(request: HttpRequest, name: str, capability: str = "read") -> tuple[Any, RepositoryAccess]:
    """The repository called `name` and the user's access to it, if the user has `capability` on it.

    The same rule as the API (metrics.selectors.access): a repository the user may not read is a 404 (its
    existence stays hidden); a readable one without the capability is a 403 with the rule's message.
    """
    try:
        return repository_access_get(user=request.user, name=name, capability=capability)
    except NotFound as error:
        raise Http404(error.message) from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None


def item_for(request: HttpRequest, item_id: int, capability: str = "read") -> tuple[Any, RepositoryAccess]:
    """The debt item `item_id` and the user's access to its repository, if the user has `capability` there."""
    try:
        item = debt_item_get(item_id=item_id)
        access = repository_access(user=request.user, repository=item.repository)
        if not access.can_read:
            raise DebtItemNotFound(f"No debt item #{item_id}.", extra={"item": item_id})
        access_require(access=access, repository=item.repository, capability=capability)
    except NotFound as error:
        raise Http404(error.message) from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    return item, access


def latest_live_scan(repository: Any) -> Any:
    """Return the newest non-backfill scan of a repository (any status), or None."""
    return scan_list(repository=repository, is_backfill=False).first()


def can_manage(user: Any, repository: Any) -> bool:
    """Whether `user` may change `repository`'s settings, members and existence (its maintainers and staff)."""
    return repository_access(user=user, repository=repository).can_manage
