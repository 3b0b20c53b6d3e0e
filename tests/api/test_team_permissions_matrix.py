"""Every team and sprint operation of the OpenAPI schema, for every kind of user, on a public and a private team.

Teams are authorised by team membership (sprints/access.py), not by repository roles: anyone signed in may
list teams and create one; a public team is visible to everyone signed in, a private one only to its
members and staff (404 otherwise); members and staff schedule items; leads and staff change the team.
TEAM_OPERATIONS says what each operation needs; a team operation without an entry fails
test_every_team_operation_has_an_expectation, and tests/api/test_permissions_matrix.py covers the rest.
"""
from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from sprints.models import SprintItem
from sprints.services.scheduling import sprint_item_schedule
from sprints.services.teams import team_area_add
from tests.api.test_permissions_matrix import call, schema_operations
from tests.debt.factories import make_repository
from tests.sprints.conftest import add_member, make_item, make_team, make_user, today

TEAM_OPERATIONS: dict[str, str] = {
    "v1_teams_list": "signed_in",
    "v1_teams_create": "signed_in",
    "v1_teams_retrieve": "view",
    "v1_teams_partial_update": "change",
    "v1_teams_destroy": "change",
    "v1_teams_alerts_list": "view",
    "v1_teams_budget_partial_update": "change",
    "v1_teams_cadence_partial_update": "change",
    "v1_teams_history_retrieve": "view",
    "v1_teams_boy_scout_retrieve": "view",
    "v1_teams_areas_list": "view",
    "v1_teams_areas_create": "change",
    "v1_teams_areas_destroy": "change",
    "v1_teams_members_list": "view",
    "v1_teams_members_create": "change",
    "v1_teams_members_partial_update": "change",
    "v1_teams_members_destroy": "change",
    "v1_teams_sprints_list": "view",
    "v1_teams_sprints_create": "change",
    "v1_teams_sprints_retrieve": "view",
    "v1_teams_sprints_partial_update": "change",
    "v1_teams_sprints_burndown_list": "view",
    "v1_teams_sprints_figures_retrieve": "view",
    "v1_teams_sprints_items_create": "schedule",
    "v1_teams_sprints_items_destroy": "schedule",
    "v1_teams_sprints_items_bulk_create": "schedule",
    "v1_teams_sprints_generate_create": "change",
}
USERS = ("anonymous", "outsider", "member", "lead", "staff")
GRANTS = {"member": {"view", "schedule"}, "lead": {"view", "schedule", "change"},
          "staff": {"view", "schedule", "change"}}


def expected(user: str, need: str, *, private: bool) -> str:
    """allowed, forbidden, invisible or unauthenticated."""
    if user == "anonymous":
        return "unauthenticated"
    if need == "signed_in":
        return "allowed"
    granted = GRANTS.get(user, set() if private else {"view"})
    if "view" not in granted:
        return "invisible"
    return "allowed" if need in granted else "forbidden"


def world(*, private: bool) -> dict[str, Any]:
    """A team (lead, member, colleague, an area), its generated sprints, and two schedulable items."""
    lead = make_user("lead")
    team = make_team(lead, name="Payments", days_into_sprint=3, private=private)
    member = add_member(team, lead, "member")
    colleague = add_member(team, lead, "colleague")
    shop = make_repository("shop")
    area = team_area_add(team=team, actor=lead, repository_id=shop.pk, path_prefix="app/payments/")
    scheduled = make_item(shop, title="Already scheduled")
    sprint = team.sprints.order_by("number").first()
    sprint_item_schedule(sprint=sprint, actor=lead, item_id=scheduled.pk)
    free = make_item(shop, title="Free to schedule")
    users = {"outsider": make_user("outsider"), "member": member, "lead": lead,
             "staff": make_user("staff", staff=True)}
    return {"team": team, "sprint": sprint, "area": area, "shop": shop, "scheduled": scheduled, "free": free,
            "colleague": colleague, "users": users}


def url_of(path: str, data: dict[str, Any]) -> str:
    values = {"slug": data["team"].slug, "team_slug": data["team"].slug, "number": data["sprint"].number,
              "area_id": getattr(data["area"], "pk", data["area"]), "user_id": data["colleague"].pk,
              "item_id": data["scheduled"].pk}
    for key, value in values.items():
        path = path.replace("{" + key + "}", str(value))
    return path


def body_of(operation: str, data: dict[str, Any]) -> dict[str, Any]:
    later = today() + timedelta(days=400)
    return {
        "v1_teams_create": {"name": "Platform", "first_day": today().isoformat()},
        "v1_teams_partial_update": {"name": "Payments team"},
        "v1_teams_budget_partial_update": {"mode": "share", "share_percent": 20},
        "v1_teams_cadence_partial_update": {"sprints_ahead": 2},
        "v1_teams_areas_create": {"repository_id": data["shop"].pk, "path_prefix": "app/billing/"},
        "v1_teams_members_create": {"user_id": data["users"]["outsider"].pk, "capacity_hours": 10},
        "v1_teams_members_partial_update": {"capacity_hours": 20},
        "v1_teams_sprints_create": {"start": later.isoformat(), "end": (later + timedelta(days=13)).isoformat()},
        "v1_teams_sprints_partial_update": {"name": "Sprint one"},
        "v1_teams_sprints_items_create": {"item_id": data["free"].pk},
        "v1_teams_sprints_items_bulk_create": {"item_ids": [data["free"].pk]},
    }.get(operation, {})


def test_every_team_operation_has_an_expectation():
    team_operations = {name for name in schema_operations() if name.startswith("v1_teams")}
    assert team_operations == set(TEAM_OPERATIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("operation", sorted(TEAM_OPERATIONS))
def test_team_operation_answers_by_user(operation, user, private):
    data = world(private=private)
    method, path = schema_operations()[operation]
    client = APIClient()
    if user != "anonymous":
        client.force_login(data["users"][user])
    response = call(client, method, url_of(path, data), body_of(operation, data), "json")
    outcome = expected(user, TEAM_OPERATIONS[operation], private=private)
    detail = f"{user} {method} {path}: {response.status_code} {response.content[:300]!r}"
    if outcome == "unauthenticated":
        assert response.status_code in (401, 403), detail
    elif outcome == "invisible":
        assert response.status_code == 404, detail
        assert response.json()["code"] == "team.not_found", detail
    elif outcome == "forbidden":
        assert response.status_code == 403, detail
    else:
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, detail


@pytest.mark.django_db
def test_a_refused_scheduling_changes_nothing():
    data = world(private=True)
    client = APIClient()
    client.force_login(data["users"]["outsider"])
    url = url_of("/api/v1/teams/{team_slug}/sprints/{number}/items/", data)
    assert client.post(url, {"item_id": data["free"].pk}, format="json").status_code == 404
    assert not SprintItem.objects.filter(item_id=data["free"].pk).exists()
