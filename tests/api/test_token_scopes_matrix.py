"""Every operation of the OpenAPI schema, for API tokens: role × token scopes × token repository set.

The expectation follows from the two tables the code uses: the user's role (metrics.selectors.access.
ROLE_CAPABILITIES) and the token's scopes (api.scopes.SCOPE_CAPABILITIES). A repository outside the token's
set answers 404 as if absent; a capability outside its scopes answers 403 `token.scope_missing`. Each
combination runs in a savepoint that is rolled back, so one operation's combinations share one world.
"""
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from api.scopes import ALL_SCOPES, SCOPE_CAPABILITIES
from api.tokens import api_token_create
from metrics.models import Repository, Scan
from metrics.selectors.access import ROLE_CAPABILITIES
from tests.api import test_permissions_matrix as matrix
from tests.api.test_permissions_matrix import OPERATIONS, World, call, request_of, schema_operations, url_of

TOKEN_ROLES = ("viewer", "member", "maintainer", "staff")
SCOPE_SETS: dict[str, tuple[str, ...]] = {**{scope: (scope,) for scope in ALL_SCOPES}, "all": ALL_SCOPES}
REPOSITORY_SETS = ("all", "shop", "other")
# Where a token's answer differs in order from a user's: a scan is found in the list of readable scans.
NEEDS = {"v1_scans_retrieve": "read_from_list"}


@pytest.fixture(name="world")
def world_fixture(db, git_repo, settings) -> World:
    """The permission matrix's world: repository `shop`, a proposal, one user per role."""
    return matrix.world.__wrapped__(db, git_repo, settings)


def granted_by(scopes: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(SCOPE_CAPABILITIES[scope] for scope in scopes))


def _listed(role, scoped, repositories) -> str:
    return "allowed" if "read" in scoped else "scope"


def _read_from_list(role, scoped, repositories) -> str:
    """Looked up in the token's readable list: no read scope, no list at all."""
    if "read" not in scoped:
        return "scope"
    return "allowed" if repositories != "other" else "invisible"


def _registered(role, scoped, repositories) -> str:
    if role != "staff":
        return "forbidden"
    return "allowed" if "scan" in scoped and repositories == "all" else "forbidden"


def _bulk(role, scoped, repositories) -> str:
    """Bulk triage needs the scope up front; items out of reach are skipped as if absent."""
    if "triage" not in scoped:
        return "scope"
    return "allowed" if repositories == "other" or "triage" in ROLE_CAPABILITIES[role] else "forbidden"


SPECIAL_NEEDS = {"list": _listed, "read_from_list": _read_from_list, "register": _registered, "bulk": _bulk}


def expected(role: str, scopes: tuple[str, ...], repositories: str, need: str) -> str:
    """allowed, forbidden (the role's 403), scope (the token's 403) or invisible (404)."""
    granted, scoped = ROLE_CAPABILITIES[role], granted_by(scopes)
    if need in SPECIAL_NEEDS:
        return SPECIAL_NEEDS[need](role, scoped, repositories)
    if "read" not in granted or repositories == "other":
        return "invisible"
    if need not in granted:
        return "forbidden"
    return "allowed" if need in scoped else "scope"


def token_client(world: World, role: str, scopes: tuple[str, ...], repositories: str,
                 other: Any) -> APIClient:
    chosen = {"all": None, "shop": [world.repository], "other": [other]}[repositories]
    secret = api_token_create(user=world.users[role], name="ci", scopes=scopes, repositories=chosen).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def outcome_of(response) -> str:
    if response.status_code == 404:
        return "invisible"
    if response.status_code == 403:
        return "scope" if response.json()["code"] == "token.scope_missing" else "forbidden"
    if response.status_code in (401,) or response.status_code >= 500:
        return f"error {response.status_code}"
    return "allowed"


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_operation_answers_by_role_scope_and_repository_set(world, operation):
    other = Repository.objects.create(name="other", path=world.git_path)
    method, path = schema_operations()[operation]
    wrong = []
    for role in TOKEN_ROLES:
        for scope_name, scopes in SCOPE_SETS.items():
            for repositories in REPOSITORY_SETS:
                cache.clear()  # request budgets: every combination starts fresh
                with transaction.atomic():
                    client = token_client(world, role, scopes, repositories, other)
                    data, fmt = request_of(operation, world)
                    response = call(client, method, url_of(path, world), data, fmt)
                    transaction.set_rollback(True)
                want = expected(role, scopes, repositories, NEEDS.get(operation, OPERATIONS[operation]))
                if outcome_of(response) != want:
                    wrong.append(f"{role}/{scope_name}/{repositories}: want {want}, got {response.status_code} "
                                 f"{response.content[:200]!r}")
    assert not wrong, f"{method} {path}:\n" + "\n".join(wrong)


def test_lists_hold_only_the_token_repositories(world):
    other = Repository.objects.create(name="other", path=world.git_path)
    shop_scans = Scan.objects.filter(repository=world.repository).count()
    cases = ((None, ["other", "shop"], shop_scans), ([world.repository], ["shop"], shop_scans), ([other], ["other"], 0))
    for repositories, names, scans in cases:
        secret = api_token_create(user=world.users["staff"], name="ci", scopes=["read"],
                                  repositories=repositories).secret
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert [row["name"] for row in client.get("/api/v1/repositories/").json()["results"]] == names
        assert client.get("/api/v1/scans/").json()["count"] == scans


def test_a_missing_scope_names_the_scope_in_a_stable_error(world):
    secret = api_token_create(user=world.users["maintainer"], name="ci", scopes=["read"]).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post("/api/v1/repositories/shop/scans/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "token.scope_missing"
    assert response.json()["extra"] == {"scope": "write_metrics", "capability": "scan", "token_scopes": ["read"]}
