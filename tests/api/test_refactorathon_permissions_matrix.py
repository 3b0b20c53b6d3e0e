"""Every refactorathon and sprint-fill operation of the OpenAPI schema, for every kind of user, public and private.

Refactorathons are authorised by the event's own rule (sprints/event_scope.py), not by repository roles: anyone
signed in lists events and creates one; an event of a private team is visible to the team's members and staff
only (404 otherwise, participants who are not members included); its organiser, participants, the team's
members and staff change it. Filling a sprint follows the team's scheduling right (sprints/access.py).
OPERATIONS says what each operation needs; a new operation without an entry fails
test_every_refactorathon_operation_has_an_expectation.
"""
from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from sprints.services.refactorathon_plans import refactorathon_plan
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_goal_add,
    refactorathon_participant_add,
)
from sprints.services.teams import team_area_add
from tests.api.test_permissions_matrix import call, schema_operations
from tests.debt.factories import make_repository
from tests.sprints.conftest import add_member, make_item, make_team, make_user

PREFIXES = ("v1_refactorathons", "v1_sprint_fill")
OPERATIONS: dict[str, str] = {
    "v1_refactorathons_list": "signed_in",
    "v1_refactorathons_create": "signed_in",
    "v1_refactorathons_retrieve": "view",
    "v1_refactorathons_partial_update": "change",
    "v1_refactorathons_destroy": "change",
    "v1_refactorathons_candidates_retrieve": "view",
    "v1_refactorathons_plan_retrieve": "view",
    "v1_refactorathons_plan_create": "change",
    "v1_refactorathons_plan_csv_retrieve": "view",
    "v1_refactorathons_ics_retrieve": "view",
    "v1_refactorathons_report_retrieve": "view",
    "v1_refactorathons_report_csv_retrieve": "view",
    "v1_refactorathons_status_create": "change",
    "v1_refactorathons_hotspots_create": "change",
    "v1_refactorathons_participants_list": "view",
    "v1_refactorathons_participants_create": "change",
    "v1_refactorathons_participants_partial_update": "change",
    "v1_refactorathons_participants_destroy": "change",
    "v1_refactorathons_goals_list": "view",
    "v1_refactorathons_goals_create": "change",
    "v1_refactorathons_goals_destroy": "change",
    "v1_refactorathons_items_partial_update": "change",
    "v1_refactorathons_items_assign_create": "change",
    "v1_sprint_fill_propose": "schedule",
    "v1_sprint_fill_confirm": "schedule",
}
USERS = ("anonymous", "outsider", "participant", "member", "lead", "staff")
START, END = date(2024, 3, 4), date(2024, 3, 8)


def expected(user: str, need: str, *, private: bool) -> str:
    """allowed, forbidden, invisible or unauthenticated."""
    if user == "anonymous":
        return "unauthenticated"
    if need == "signed_in" or user in ("member", "lead", "staff"):
        return "allowed"
    if private:
        return "invisible"  # outsiders and participants who are not team members
    if need == "view" or (need == "change" and user == "participant"):
        return "allowed"
    return "forbidden"


def world(*, private: bool) -> dict[str, Any]:
    """A team's event (the lead organises it) with a member, a participant, a goal, two items and a saved plan."""
    lead = make_user("lead")
    team = make_team(lead, days_into_sprint=3, private=private)
    member = add_member(team, lead, "member")
    shop = make_repository("shop")
    team_area_add(team=team, actor=lead, repository_id=shop.pk, path_prefix="app/")
    event = refactorathon_create(actor=lead, name="Clean-up", start=START, end=END, scope=[(shop.pk, ["app/"])],
                                 team=team)
    participant = make_user("participant")
    colleague = make_user("colleague")
    for person in (participant, colleague):
        refactorathon_participant_add(event=event, actor=lead, user_id=person.pk, hours=8)
    goal = refactorathon_goal_add(event=event, actor=lead, kind="items_done_at_least", target=1)
    planned = make_item(shop, effort=2, path="app/pay.py", title="Untangle pay")
    make_item(shop, effort=2, path="app/refund.py", title="Tidy refund")
    plan = refactorathon_plan(event=event, actor=lead)
    users = {"outsider": make_user("outsider"), "participant": participant, "member": member, "lead": lead,
             "staff": make_user("staff", staff=True)}
    return {"team": team, "event": event, "shop": shop, "goal": goal, "item": planned, "colleague": colleague,
            "version": plan.version, "users": users}


def url_of(path: str, data: dict[str, Any]) -> str:
    values = {"slug": data["event"].slug, "refactorathon_slug": data["event"].slug, "team_slug": data["team"].slug,
              "number": "current", "user_id": data["colleague"].pk, "goal_id": data["goal"].pk,
              "item_id": data["item"].pk}
    for key, value in values.items():
        path = path.replace("{" + key + "}", str(value))
    return path


def body_of(operation: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "v1_refactorathons_create": {"name": "Another", "start": "2024-04-01", "end": "2024-04-02",
                                     "scope": [{"repository_id": data["shop"].pk}]},
        "v1_refactorathons_partial_update": {"name": "Clean-up week"},
        "v1_refactorathons_plan_create": {"expected_version": data["version"]},
        "v1_refactorathons_status_create": {"to_status": "draft"},
        "v1_refactorathons_hotspots_create": {"repository_id": data["shop"].pk, "path": "app/cart.py"},
        "v1_refactorathons_participants_create": {"user_id": data["users"]["outsider"].pk, "hours": 4},
        "v1_refactorathons_participants_partial_update": {"hours": 6},
        "v1_refactorathons_goals_create": {"kind": "no_markers", "target": 0},
        "v1_refactorathons_items_partial_update": {"pinned": True},
        "v1_refactorathons_items_assign_create": {"assignee_id": data["colleague"].pk},
        "v1_sprint_fill_propose": {"time_limit": 1},
        "v1_sprint_fill_confirm": {"item_ids": [data["item"].pk]},
    }.get(operation, {})


def test_every_refactorathon_operation_has_an_expectation():
    assert {name for name in schema_operations() if name.startswith(PREFIXES)} == set(OPERATIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_refactorathon_operation_answers_by_user(operation, user, private):
    data = world(private=private)
    method, path = schema_operations()[operation]
    client = APIClient()
    if user != "anonymous":
        client.force_login(data["users"][user])
    response = call(client, method, url_of(path, data), body_of(operation, data), "json")
    outcome = expected(user, OPERATIONS[operation], private=private)
    detail = f"{user} {method} {path}: {response.status_code} {response.content[:300]!r}"
    if outcome == "unauthenticated":
        assert response.status_code in (401, 403), detail
    elif outcome == "invisible":
        assert response.status_code == 404, detail
        assert response.json()["code"] in ("refactorathon.not_found", "team.not_found"), detail
    elif outcome == "forbidden":
        assert response.status_code == 403, detail
    else:
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, detail
