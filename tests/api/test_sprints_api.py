"""Teams, members, areas, cadence, budgets, sprints, scheduling and figures over REST, with a real database."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from debt.services.lifecycle import debt_item_transition
from sprints.models import Sprint, SprintItem, Team
from tests.sprints import page_fixtures
from tests.sprints.conftest import add_member, make_item, make_team, make_user, today

pytestmark = pytest.mark.django_db
# The shared fixtures (page_fixtures): lead Lena, repository shop, her team with the area shop:app/payments/.
lead, shop, team = page_fixtures.lead, page_fixtures.shop, page_fixtures.team


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def lead_api(lead) -> APIClient:
    return client_for(lead)


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code


def test_create_team_makes_the_caller_lead_and_generates_nothing_yet(lead_api, lead):
    response = lead_api.post("/api/v1/teams/", {"name": "Search", "first_day": today().isoformat(),
                                                "lead_capacity_hours": 30}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "search"
    assert body["members"] == [{"user_id": lead.pk, "username": "lena", "capacity_hours": 30.0, "is_lead": True}]
    assert body["can_change"] is True and body["current_sprint"] is None
    generated = lead_api.post("/api/v1/teams/search/sprints/generate/")
    assert generated.status_code == 200
    assert generated.json()["current"] == 1 and generated.json()["created"][:2] == [1, 2]


def test_team_slug_taken_is_a_409_and_bad_capacity_a_400(lead_api, team):
    assert_error(lead_api.post("/api/v1/teams/", {"name": "Payments", "first_day": today().isoformat()},
                               format="json"), 409, "team.slug_taken")
    assert_error(lead_api.post("/api/v1/teams/", {"name": "Other", "first_day": today().isoformat(),
                                                  "lead_capacity_hours": 500}, format="json"),
                 400, "team.capacity_invalid")
    assert Team.objects.count() == 1


def test_team_list_is_paginated_by_name_in_few_queries(lead, django_assert_max_num_queries):
    for name in ["Zeta", "Alpha", "Mid", "Beta"]:
        make_team(lead, name=name)
    with django_assert_max_num_queries(6):
        body = client_for(lead).get("/api/v1/teams/").json()
    assert body["count"] == 4
    assert [team["name"] for team in body["results"]] == ["Alpha", "Beta", "Mid", "Zeta"]
    assert body["results"][0]["current_sprint"]["number"] == 1


def test_a_private_team_is_404_to_outsiders_and_visible_to_members(lead, shop):
    make_team(lead, name="Secret", private=True)
    outsider = client_for(make_user("otto"))
    assert_error(outsider.get("/api/v1/teams/secret/"), 404, "team.not_found")
    assert_error(outsider.get("/api/v1/teams/secret/sprints/current/figures/"), 404, "team.not_found")
    assert_error(outsider.get("/api/v1/teams/secret/history/"), 404, "team.not_found")
    assert outsider.get("/api/v1/teams/").json()["count"] == 0
    assert client_for(lead).get("/api/v1/teams/secret/").status_code == 200


def test_a_non_member_cannot_change_a_team(team, shop):
    outsider = client_for(make_user("otto"))
    assert_error(outsider.patch("/api/v1/teams/payments/budget/", {"share_percent": 50}, format="json"),
                 403, "team.forbidden")
    assert_error(outsider.patch("/api/v1/teams/payments/", {"name": "Mine"}, format="json"), 403, "team.forbidden")
    assert_error(outsider.delete("/api/v1/teams/payments/"), 403, "team.forbidden")
    item = make_item(shop)
    assert_error(outsider.post("/api/v1/teams/payments/sprints/current/items/", {"item_id": item.pk},
                               format="json"), 403, "team.forbidden")
    team.refresh_from_db()
    assert team.share_percent == 20 and team.name == "Payments"


def test_budget_and_cadence_settings(lead_api, team):
    response = lead_api.patch("/api/v1/teams/payments/budget/",
                              {"mode": "share", "share_percent": 25, "carry_over": True, "carry_cap_hours": 8},
                              format="json")
    assert response.status_code == 200
    assert (response.json()["share_percent"], response.json()["carry_cap_hours"]) == (25.0, 8.0)
    assert_error(lead_api.patch("/api/v1/teams/payments/budget/", {"share_percent": 120}, format="json"),
                 400, "team.budget_invalid")
    cadence = lead_api.patch("/api/v1/teams/payments/cadence/", {"sprints_ahead": 5}, format="json")
    assert cadence.json()["sprints_ahead"] == 5
    assert_error(lead_api.patch("/api/v1/teams/payments/cadence/", {"first_day": "2020-01-01"}, format="json"),
                 400, "team.cadence_invalid")


def test_members_add_update_and_remove(lead_api, team, lead):
    ana = make_user("ana")
    added = lead_api.post("/api/v1/teams/payments/members/", {"user_id": ana.pk, "capacity_hours": 32},
                          format="json")
    assert added.status_code == 201 and added.json()["capacity_hours"] == 32.0
    assert_error(lead_api.post("/api/v1/teams/payments/members/", {"user_id": ana.pk}, format="json"),
                 409, "team_member.exists")
    assert_error(lead_api.patch(f"/api/v1/teams/payments/members/{ana.pk}/", {"capacity_hours": 201},
                                format="json"), 400, "team.capacity_invalid")
    assert lead_api.patch(f"/api/v1/teams/payments/members/{ana.pk}/", {"is_lead": True},
                          format="json").json()["is_lead"] is True
    names = [m["username"] for m in lead_api.get("/api/v1/teams/payments/members/").json()]
    assert names == ["ana", "lena"]
    assert lead_api.delete(f"/api/v1/teams/payments/members/{ana.pk}/").status_code == 204
    assert_error(lead_api.delete(f"/api/v1/teams/payments/members/{lead.pk}/"), 400, "team.invalid")


def test_areas_add_and_remove(lead_api, team, shop):
    added = lead_api.post("/api/v1/teams/payments/areas/", {"repository_id": shop.pk,
                                                            "codeowners_handle": "@acme/payments"}, format="json")
    assert added.status_code == 201, added.json()
    assert added.json()["label"] == "shop @acme/payments"
    assert_error(lead_api.post("/api/v1/teams/payments/areas/", {"repository_id": shop.pk,
                                                                 "path_prefix": "../etc"}, format="json"),
                 400, "team_area.invalid")
    assert len(lead_api.get("/api/v1/teams/payments/areas/").json()) == 2
    assert lead_api.delete(f"/api/v1/teams/payments/areas/{added.json()['area_id']}/").status_code == 204
    assert_error(lead_api.delete(f"/api/v1/teams/payments/areas/{added.json()['area_id']}/"), 404,
                 "team_area.not_found")


def test_sprints_list_filter_rename_shorten_skip_and_overlap(lead_api, team):
    body = lead_api.get("/api/v1/teams/payments/sprints/").json()
    assert [s["number"] for s in body["results"]] == [1, 2, 3, 4]
    assert [s["number"] for s in lead_api.get("/api/v1/teams/payments/sprints/?state=upcoming").json()["results"]] \
        == [2, 3, 4]
    assert_error(lead_api.get("/api/v1/teams/payments/sprints/?state=someday"), 400, "invalid")
    assert lead_api.get("/api/v1/teams/payments/sprints/current/").json()["number"] == 1
    sprint2 = Sprint.objects.get(team=team, number=2)
    renamed = lead_api.patch("/api/v1/teams/payments/sprints/2/",
                             {"name": "Holidays", "end": (sprint2.end - timedelta(days=4)).isoformat(),
                              "skipped": True}, format="json").json()
    assert (renamed["label"], renamed["days"], renamed["skipped"]) == ("Holidays", 10, True)
    assert_error(lead_api.post("/api/v1/teams/payments/sprints/", {"start": sprint2.start.isoformat(),
                                                                   "end": sprint2.end.isoformat()}, format="json"),
                 409, "sprint.overlap")
    assert_error(lead_api.get("/api/v1/teams/payments/sprints/99/"), 404, "sprint.not_found")


def test_schedule_unschedule_and_figures(lead_api, team, shop, lead, django_assert_max_num_queries):
    inside, outside = make_item(shop, effort=6), make_item(shop, effort=4, path="docs/readme.py")
    scheduled = lead_api.post("/api/v1/teams/payments/sprints/current/items/", {"item_id": inside.pk},
                              format="json")
    assert scheduled.status_code == 201
    assert scheduled.json()["status"] == "planned" and scheduled.json()["warnings"] == []
    warned = lead_api.post("/api/v1/teams/payments/sprints/1/items/", {"item_id": outside.pk}, format="json").json()
    assert "item.outside_areas" in warned["warnings"]
    assert_error(lead_api.post("/api/v1/teams/payments/sprints/2/items/", {"item_id": inside.pk}, format="json"),
                 409, "sprint_item.conflict")
    inside.refresh_from_db()
    debt_item_transition(item=inside, to_status="done", actor=lead)
    with django_assert_max_num_queries(25):
        figures = lead_api.get("/api/v1/teams/payments/sprints/current/figures/").json()
    assert figures["budget"]["total_hours"] == 8.0  # 20 % of 40 h
    assert (figures["done_hours"], figures["committed_hours"], figures["spent_hours"]) == (6.0, 4.0, 6.0)
    assert figures["over_committed"] is True and figures["left_hours"] == -2.0
    assert {row["key"] for row in figures["by_area"]} == {"shop:app/payments/", "(outside the team's areas)"}
    burndown = lead_api.get("/api/v1/teams/payments/sprints/current/burndown/").json()
    assert burndown[0]["ideal_hours"] == 10.0 and burndown[-1]["remaining_hours"] is None
    out = lead_api.delete(f"/api/v1/teams/payments/sprints/1/items/{outside.pk}/")
    assert out.status_code == 200 and out.json()["status"] == "accepted"
    assert_error(lead_api.delete(f"/api/v1/teams/payments/sprints/1/items/{outside.pk}/"), 404,
                 "sprint_item.not_found")


def test_bulk_scheduling_reports_refused_items(team, shop, lead):
    member = add_member(team, lead, "ana")
    good, done = make_item(shop), make_item(shop)
    debt_item_transition(item=done, to_status="done", actor=lead)
    body = client_for(member).post("/api/v1/teams/payments/sprints/current/items/bulk/",
                                   {"item_ids": [good.pk, done.pk, 999999]}, format="json").json()
    assert [r["item_id"] for r in body["scheduled"]] == [good.pk]
    assert {(r["item_id"], r["code"]) for r in body["refused"]} == {
        (done.pk, "sprint_item.not_schedulable"), (999999, "debt_item.not_found")}
    assert SprintItem.objects.filter(item_id=good.pk).exists()


def test_history_and_alerts(lead_api, team, shop, lead, django_assert_max_num_queries):
    make_item(shop)
    with django_assert_max_num_queries(15):
        history = lead_api.get("/api/v1/teams/payments/history/").json()
    assert [row["sprint"]["number"] for row in history["rows"]] == [1]
    assert history["rows"][0]["allocated_hours"] == 8.0 and history["rows"][0]["capacity_share_spent"] == 0.0
    assert lead_api.get("/api/v1/teams/payments/history/?last=1").status_code == 200
    assert_error(lead_api.get("/api/v1/teams/payments/history/?last=0"), 400, "invalid")
    assert lead_api.get("/api/v1/teams/payments/alerts/").json() == []


def test_openapi_schema_documents_the_sprint_endpoints_and_error_body(client, lead):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    client.force_login(lead)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    figures = schema["paths"]["/api/v1/teams/{team_slug}/sprints/{number}/figures/"]["get"]
    assert figures["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOutput")
    assert set(schema["components"]["schemas"]["ErrorOutput"]["properties"]) == {"code", "message", "extra"}
    assert "/api/v1/teams/{slug}/history/" in schema["paths"]
