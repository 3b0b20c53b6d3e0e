"""Shared plumbing of the HTML views: repository lookup, access rules, filter defaults."""
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from debtboard.errors import NotFound
from metrics.selectors.repositories import repository_get, scan_list

PAGE_SIZE = 50


def repository_or_404(name: str) -> Any:
    """Return the repository called `name`, or raise Http404 with the selector's message."""
    try:
        return repository_get(name=name)
    except NotFound as error:
        raise Http404(error.message) from None


def latest_live_scan(repository: Any) -> Any:
    """Return the newest non-backfill scan of a repository (any status), or None."""
    return scan_list(repository=repository, is_backfill=False).first()


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a logged-in user (else redirect to login) who is staff (else 403)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_manage(request.user):
            raise PermissionDenied("Only staff members can do this.")
        return view(request, *args, **kwargs)

    return wrapper


def can_manage(user: Any) -> bool:
    """Whether `user` may change things (scan, import, repository settings): staff members.

    The one place the pages decide who may write; the permission model is due to be redesigned.
    """
    return bool(user.is_authenticated and user.is_staff)
