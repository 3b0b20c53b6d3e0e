"""Every team, sprint and refactorathon operation of the schema, for API tokens: scopes × repository set.

The user is the team's lead, who may do every operation; only the token narrows it. Reading needs the
read scope, any change manage_register (api.scopes, capability "plan"); a token narrowed to some
repositories is refused on all of them (403 token.repositories_limited). Each combination runs in a rolled
back savepoint, so one operation's combinations share one world.
"""
import pytest
from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from api.tokens import api_token_create
from tests.api import test_refactorathon_permissions_matrix as events
from tests.api import test_team_permissions_matrix as teams
from tests.api.test_permissions_matrix import call, schema_operations

TOKENS = {
    "read": (["read"], None),
    "manage_register": (["manage_register"], None),
    "all scopes": (["read", "write_metrics", "manage_register"], None),
    "all scopes, one repository": (["read", "write_metrics", "manage_register"], "shop"),
}
MATRICES = {**{name: teams for name in teams.TEAM_OPERATIONS}, **{name: events for name in events.OPERATIONS}}


def expected(token: str, method: str) -> str:
    scopes, repositories = TOKENS[token]
    if repositories is not None:
        return "token.repositories_limited"
    needed = "read" if method == "GET" else "manage_register"
    return "allowed" if needed in scopes else "token.scope_missing"


def outcome_of(response) -> str:
    if response.status_code == 403:
        return response.json()["code"]
    if response.status_code in (401, 404) or response.status_code >= 500:
        return f"error {response.status_code}"
    return "allowed"


def test_every_planning_operation_is_in_the_matrix():
    planning = {name for name, (_, path) in schema_operations().items()
                if path.startswith(("/api/v1/teams/", "/api/v1/refactorathons/"))}
    assert planning == set(MATRICES)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(MATRICES))
def test_planning_operation_answers_by_token(operation):
    matrix = MATRICES[operation]
    data = matrix.world(private=False)
    lead = data["users"]["lead"]
    method, path = schema_operations()[operation]
    wrong = []
    for token, (scopes, repositories) in TOKENS.items():
        cache.clear()
        with transaction.atomic():
            chosen = None if repositories is None else [data["shop"]]
            secret = api_token_create(user=lead, name="ci", scopes=scopes, repositories=chosen).secret
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            response = call(client, method, matrix.url_of(path, data), matrix.body_of(operation, data), "json")
            transaction.set_rollback(True)
        want = expected(token, method)
        if outcome_of(response) != want:
            wrong.append(f"{token}: want {want}, got {response.status_code} {response.content[:200]!r}")
    assert not wrong, f"{method} {path}:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_a_read_token_changes_no_team():
    data = teams.world(private=False)
    secret = api_token_create(user=data["users"]["lead"], name="ci", scopes=["read"]).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post("/api/v1/teams/", {"name": "Platform", "first_day": "2026-01-05"}, format="json")
    assert response.status_code == 403
    assert response.json()["extra"] == {"scope": "manage_register", "capability": "plan", "token_scopes": ["read"]}
    assert [row["slug"] for row in client.get("/api/v1/teams/").json()["results"]] == [data["team"].slug]
