"""Creating, hashing, checking, listing and revoking API tokens."""
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from api.errors import ApiTokenInvalid, ApiTokenNotFound
from api.models import ApiToken
from api.scopes import ALL_SCOPES
from debtboard.text import clean_text

TOKEN_PREFIX = "dbt_"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_token(secret: str) -> str:
    """Hash a token secret for storage and look-up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _valid_scopes(scopes: Iterable[str] | None) -> list[str]:
    chosen = set(ALL_SCOPES) if scopes is None else set(scopes)
    unknown = sorted(chosen - set(ALL_SCOPES))
    if unknown:
        raise ApiTokenInvalid(f"Unknown scope(s): {', '.join(unknown)}; choose from {', '.join(ALL_SCOPES)}.",
                              extra={"scopes": unknown})
    if not chosen:
        raise ApiTokenInvalid("A token needs at least one scope.", extra={"scopes": []})
    return [scope for scope in ALL_SCOPES if scope in chosen]


@transaction.atomic
def api_token_create(
    *,
    user: AbstractBaseUser,
    name: str,
    scopes: Iterable[str] | None = None,
    repositories: Sequence[Any] | None = None,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Issue a new token for a user; the secret is returned once and only its hash is kept.

    `scopes` None gives every scope; `repositories` None gives every repository the user may reach, a list
    only those (at least one); `expires_at` None never expires.
    """
    name = clean_text(name, max_length=100).strip()
    if not name:
        raise ApiTokenInvalid("A token needs a name saying what it is for, e.g. 'ci'.", extra={"field": "name"})
    chosen = _valid_scopes(scopes)
    if repositories is not None and not repositories:
        raise ApiTokenInvalid("Give at least one repository, or none for all.", extra={"field": "repositories"})
    if expires_at is not None and expires_at <= timezone.now():
        raise ApiTokenInvalid("The expiry date must lie in the future.", extra={"field": "expires_at"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:12], token_hash=hash_token(secret),
                                    scopes=chosen, all_repositories=repositories is None, expires_at=expires_at)
    if repositories is not None:
        token.repositories.set(repositories)
    return IssuedToken(token=token, secret=secret)


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """Return the live (not revoked, not expired) token for a secret, recording its use, or None."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now),
                token_hash=hash_token(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_list(*, user: AbstractBaseUser | None = None) -> QuerySet[ApiToken]:
    """Tokens, newest first, with their users and repositories (one user's when `user` is given)."""
    queryset = ApiToken.objects.select_related("user").prefetch_related("repositories")
    if user is not None:
        queryset = queryset.filter(user=user)
    return queryset.order_by("-created_at", "-id")


def api_token_revoke(*, prefix: str = "", token_id: int | None = None,
                     user: AbstractBaseUser | None = None) -> int:
    """Revoke active tokens by prefix or id (only `user`'s when given); return how many, or ApiTokenNotFound."""
    queryset = ApiToken.objects.filter(revoked_at=None)
    if user is not None:
        queryset = queryset.filter(user=user)
    if token_id is not None:
        queryset = queryset.filter(pk=token_id)
    elif prefix:
        queryset = queryset.filter(prefix=prefix)
    else:
        raise ApiTokenInvalid("Name the token to revoke by its prefix.")
    revoked = queryset.update(revoked_at=timezone.now())
    if not revoked:
        raise ApiTokenNotFound(f"No active token {prefix or token_id!r}.", extra={"token": prefix or token_id})
    return revoked


def token_repository_ids(token: ApiToken) -> frozenset[int] | None:
    """The ids of the repositories a token is limited to, or None for every repository (cached on the token)."""
    if token.all_repositories:
        return None
    cached = getattr(token, "_repository_ids", None)
    if cached is None:
        cached = frozenset(token.repositories.values_list("pk", flat=True))
        token._repository_ids = cached
    return cached
