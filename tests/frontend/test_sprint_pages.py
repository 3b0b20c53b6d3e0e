"""Teams and sprint pages: lists, settings forms, scheduling from the item page, register and board; permissions."""
import pytest
from django.test import Client

from debt.services.lifecycle import debt_item_transition
from sprints.models import Sprint, SprintItem, Team
from sprints.selectors.scheduling import sprint_holding_item, sprint_schedule_options
from sprints.selectors.teams import sprint_get
from sprints.services.alerts import sprint_alerts_run
from sprints.services.scheduling import sprint_item_schedule
from tests.sprints import page_fixtures
from tests.sprints.conftest import add_member, make_item, make_team, make_user

pytestmark = pytest.mark.django_db
# The shared fixtures (page_fixtures): lead Lena, repository shop, her team with the area shop:app/payments/.
lead, shop, team = page_fixtures.lead, page_fixtures.shop, page_fixtures.team


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_teams_list_and_create(lead):
    client = client_for(lead)
    page = client.get("/teams/")
    assert page.status_code == 200 and b"No teams yet" in page.content
    assert b'href="/teams/"' in page.content  # the main navigation
    response = client.post("/teams/", {"name": "Search <b>", "first_day": "2026-01-05", "length_weeks": "2",
                                       "lead_capacity_hours": "30"})
    assert response.status_code == 302 and response["Location"] == "/teams/search-b/"
    page = client.get("/teams/")
    assert b"Search &lt;b&gt;" in page.content and b"Search <b>" not in page.content


def test_create_with_absurd_capacity_rerenders_with_the_services_message(lead):
    response = client_for(lead).post("/teams/", {"name": "X", "first_day": "2026-01-05", "length_weeks": "2",
                                                 "lead_capacity_hours": "500"})
    assert response.status_code == 400
    assert b"0 to 200" in response.content
    assert not Team.objects.exists()


def test_team_page_shows_members_areas_sprints_and_forms_for_leads(team, lead, django_assert_max_num_queries):
    add_member(team, lead, "ana", capacity=20)
    client = client_for(lead)
    with django_assert_max_num_queries(40):
        page = client.get("/teams/payments/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "ana" in body and "shop:app/payments/" in body and "Sprint 1" in body
    assert 'id="history-chart"' in body and 'data-sprint-chart="history"' in body
    assert "Save budget" in body and "vendor/plotly.min.js" in body
    reader = client_for(make_user("otto")).get("/teams/payments/").content.decode()
    assert "Save budget" not in reader and "Sprint 1" in reader


def test_team_page_query_count_does_not_grow_with_sprints(lead, shop, django_assert_max_num_queries):
    team = make_team(lead, days_into_sprint=7 * 2 * 30)  # 31 sprints up to today
    assert Sprint.objects.filter(team=team).count() > 30
    with django_assert_max_num_queries(40):
        assert client_for(lead).get(f"/teams/{team.slug}/").status_code == 200


def test_budget_form_sets_a_share_and_refuses_one_above_100(team, lead):
    client = client_for(lead)
    data = {"mode": "share", "share_percent": "25", "fixed_hours": "0", "carry_cap_hours": "4", "carry_over": "on"}
    assert client.post("/teams/payments/edit/budget/", data).status_code == 302
    team.refresh_from_db()
    assert (team.share_percent, team.carry_over, team.carry_cap_hours) == (25, True, 4)
    bad = client.post("/teams/payments/edit/budget/", {**data, "share_percent": "120"})
    assert bad.status_code == 400 and b"0 to 100" in bad.content
    team.refresh_from_db()
    assert team.share_percent == 25


def test_members_areas_cadence_and_generate_forms(team, lead, shop):
    client = client_for(lead)
    ana = make_user("ana")
    assert client.post("/teams/payments/edit/member-add/", {"user": ana.pk, "capacity_hours": "32"}).status_code == 302
    member_data = {f"m{ana.pk}-user_id": ana.pk, f"m{ana.pk}-capacity_hours": "16"}
    assert client.post(f"/teams/payments/members/{ana.pk}/", member_data).status_code == 302
    assert team.members.get(user=ana).capacity_hours == 16
    refused = client.post("/teams/payments/edit/member-remove/", {"user_id": lead.pk})
    assert refused.status_code == 400 and b"needs at least one lead" in refused.content
    assert client.post("/teams/payments/edit/area-add/", {"repository_id": shop.pk,
                                                          "codeowners_handle": "@acme/pay"}).status_code == 302
    assert team.areas.count() == 2
    assert client.post("/teams/payments/edit/cadence/", {"length_weeks": "2", "sprints_ahead": "5"}).status_code == 302
    assert client.post("/teams/payments/edit/generate/").status_code == 302
    assert Sprint.objects.filter(team=team).count() == 6


def test_a_non_member_gets_403_on_writes_and_a_private_team_is_404(team, lead, shop):
    outsider = client_for(make_user("otto"))
    budget = {"mode": "share", "share_percent": "50", "fixed_hours": "0", "carry_cap_hours": "0"}
    assert outsider.post("/teams/payments/edit/budget/", budget).status_code == 403
    assert outsider.post("/teams/payments/delete/").status_code == 403
    assert outsider.post("/teams/payments/sprints/1/edit/", {"name": "x", "end": "2030-01-01"}).status_code == 403
    team.refresh_from_db()
    assert team.share_percent == 20
    make_team(lead, name="Secret", private=True)
    assert outsider.get("/teams/secret/").status_code == 404
    assert outsider.get("/teams/secret/sprints/1/").status_code == 404
    assert outsider.post("/teams/secret/edit/budget/", {}).status_code == 404
    assert b"Secret" not in outsider.get("/teams/").content


def test_sprint_page_shows_budget_bar_items_burndown_and_over_commit(
        team, lead, shop, django_assert_max_num_queries):
    done, open_item = make_item(shop, effort=6, owner=lead, title="Pay <script>"), make_item(shop, effort=4)
    client = client_for(lead)
    options = sprint_schedule_options(user=lead)
    assert [o.key for o in options] == ["payments:1", "payments:2"]
    for item in (done, open_item):
        assert client.post("/sprints/schedule/", {"sprint": "payments:1", "item": item.pk}).status_code == 302
    done.refresh_from_db()
    debt_item_transition(item=done, to_status="done", actor=lead)
    with django_assert_max_num_queries(40):
        page = client.get("/teams/payments/sprints/1/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="figure-budget">8 h' in body and 'id="figure-spent">6 h' in body and 'id="figure-committed">4 h' in body
    assert 'id="overcommit-flag"' in body
    assert "Pay &lt;script&gt;" in body and "Pay <script>" not in body
    assert 'id="burndown-data"' in body and 'data-sprint-chart="burndown"' in body
    assert client.get("/teams/payments/sprints/current/")["Location"] == "/teams/payments/sprints/1/"


def test_schedule_from_the_item_page_shows_the_outside_areas_warning(team, lead, shop):
    item = make_item(shop, path="docs/readme.py")
    client = client_for(lead)
    page = client.get(f"/debt/{item.pk}/").content.decode()
    assert 'name="sprint"' in page and "Payments · Sprint 1 (current)" in page
    response = client.post("/sprints/schedule/", {"sprint": "payments:1", "item": item.pk,
                                                  "next": f"/debt/{item.pk}/"}, follow=True)
    body = response.content.decode()
    assert "outside Payments&#x27;s areas" in body or "outside Payments's areas" in body
    assert sprint_holding_item(item_id=item.pk, user=lead).key == "payments:1"
    assert "In <a href=\"/teams/payments/sprints/1/\">" in body


def test_bulk_scheduling_from_the_register_and_board_via_htmx(team, lead, shop):
    member = add_member(team, lead, "ana")
    first, second = make_item(shop), make_item(shop)
    client = client_for(member)
    register = client.get("/debt/").content.decode()
    assert 'form="bulk-schedule"' in register and "Schedule selected" in register
    client.post("/sprints/schedule/", {"sprint": "payments:2", "item": [first.pk, second.pk]})
    assert set(SprintItem.objects.values_list("item_id", flat=True)) == {first.pk, second.pk}
    board = client.get("/repos/shop/board/").content.decode()
    assert "Schedule into a sprint" in board and 'hx-trigger="toggle once"' in board
    lazy = client.get(f"/sprints/schedule/?item={first.pk}").content.decode()
    assert f'hx-target="#schedule-out-{first.pk}"' in lazy and "Payments · Sprint 1 (current)" in lazy
    third = make_item(shop)
    answer = client.post("/sprints/schedule/", {"sprint": "payments:1", "item": third.pk}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and b"scheduled into Sprint 1" in answer.content
    refused = client.post("/sprints/schedule/", {"sprint": "payments:1", "item": third.pk}, HTTP_HX_REQUEST="true")
    assert b"already scheduled" in refused.content


def test_a_non_member_cannot_schedule_and_sees_no_options(team, lead, shop):
    item = make_item(shop)
    outsider = make_user("otto")
    assert sprint_schedule_options(user=outsider) == []
    response = client_for(outsider).post("/sprints/schedule/", {"sprint": "payments:1", "item": item.pk})
    assert response.status_code == 302  # the choice is not offered: refused by the form, nothing scheduled
    assert not SprintItem.objects.exists()


def test_sprint_edit_renames_shortens_and_refuses_overlap(team, lead):
    client = client_for(lead)
    sprint2 = Sprint.objects.get(team=team, number=2)
    data = {"name": "Holidays", "end": sprint2.end.isoformat(), "skipped": "on"}
    response = client.post("/teams/payments/sprints/2/edit/", data)
    assert response.status_code == 302
    sprint2.refresh_from_db()
    assert (sprint2.name, sprint2.skipped) == ("Holidays", True)
    too_long = client.post("/teams/payments/sprints/2/edit/", {"name": "x", "end": "2099-01-01"})
    assert too_long.status_code == 400 and b"at most 28 days" in too_long.content


def test_the_sprint_holding_an_item_of_a_private_team_is_hidden_from_outsiders(lead, shop):
    secret = make_team(lead, name="Secret", private=True)
    item = make_item(shop)
    client_for(lead).post("/sprints/schedule/", {"sprint": f"{secret.slug}:1", "item": item.pk})
    assert sprint_holding_item(item_id=item.pk, user=lead).team_name == "Secret"
    outsider = make_user("otto")
    assert sprint_holding_item(item_id=item.pk, user=outsider) is None
    page = client_for(outsider).get(f"/debt/{item.pk}/").content.decode()
    assert 'href="/teams/secret/' not in page  # (the lifecycle note "scheduled into Secret ..." still is)


def test_an_alert_that_fired_shows_as_a_banner_on_the_team_and_sprint_pages(team, lead, shop, mailoutbox):
    sprint = sprint_get(team=team)
    sprint_item_schedule(sprint=sprint, item_id=make_item(shop, effort=500).pk, actor=lead)  # far over the budget
    client = client_for(lead)
    assert 'data-alert=' not in client.get(f"/teams/{team.slug}/").content.decode()
    sent = sprint_alerts_run()
    assert [alert.kind for alert in sent.sent] == ["overcommitted"]
    for url in (f"/teams/{team.slug}/", f"/teams/{team.slug}/sprints/{sprint.number}/"):
        body = client.get(url).content.decode()
        assert 'data-alert="overcommitted"' in body, url
        assert "committed or spent against a debt budget" in body, url
