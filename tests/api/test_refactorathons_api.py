"""The refactorathon API: create, people, goals, pins, plan (run, read, stale version), assign, status, report,
exports and filling a sprint's budget; bad input answers the shared error body."""
import csv
import io
import json
from datetime import date, datetime, timezone as tz

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from icalendar import Calendar
from rest_framework.test import APIClient

from api.serializers import refactorathons as r
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.models import SprintItem
from sprints.selectors.refactorathon_report import refactorathon_report
from sprints.services.teams import team_area_add
from tests.gitrepo import BASE_DATE
from tests.sprints.conftest import make_item, make_team, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1/refactorathons/clean-up"

TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(8)) + \
    "    return b\n"
SIMPLE = "def pay(a, b):\n    return b + a\n"


@pytest.fixture
def shop(git_repo):
    git_repo.commit("start", files={"app/pay.py": TANGLED, "app/refund.py": "def refund():\n    return 1\n"},
                    author="Ada Lovelace <ada@example.com>", date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="shop")
    assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).succeeded
    return repository


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def create_event(client, shop) -> dict:
    response = client.post("/api/v1/refactorathons/", {
        "name": "Clean-up", "start": "2024-03-04", "end": "2024-03-08",
        "scope": [{"repository_id": shop.pk, "prefixes": ["app/"]}]}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def planned_event(shop):
    """Ada and Bob (8 h each) at Clean-up over shop:app/ with items on pay.py (6 h) and refund.py (3 h)."""
    ada, bob = make_user("ada"), make_user("bob")
    client = api(ada)
    create_event(client, shop)
    for person in (ada, bob):
        client.post(f"{BASE}/participants/", {"user_id": person.pk, "hours": 8}, format="json")
    pay = make_item(shop, effort=6, path="app/pay.py", title="Untangle pay")
    refund = make_item(shop, effort=3, path="app/refund.py", title="Tidy refund")
    return client, bob, pay, refund


def test_create_reads_back_the_scope(shop):
    event = create_event(api(make_user("ada")), shop)
    assert (event["slug"], event["status"], event["plan_version"], event["scope"]) == (
        "clean-up", "draft", 0, [{"repository_id": shop.pk, "repository_name": "shop", "prefixes": ["app/"]}])


def test_pin_plan_and_a_stale_version_conflicts(shop, django_assert_max_num_queries):
    client, _, pay, refund = planned_event(shop)
    assert client.get(f"{BASE}/plan/").json()["code"] == "refactorathon.not_planned"
    with django_assert_max_num_queries(40):
        candidates = client.get(f"{BASE}/candidates/").json()
    assert {line["item_id"] for line in candidates["items"]} == {pay.pk, refund.pk}
    pinned = client.patch(f"{BASE}/items/{refund.pk}/", {"pinned": True}, format="json").json()
    assert (pinned["pinned"], pinned["excluded"]) == (True, False)
    plan = client.post(f"{BASE}/plan/", {"expected_version": 0}, format="json")
    body = plan.json()
    assert (plan.status_code, body["status"], body["version"], sorted(line["item_id"] for line in body["chosen"])) \
        == (201, "optimal", 1, sorted([pay.pk, refund.pk]))
    stale = client.post(f"{BASE}/plan/", {"expected_version": 0}, format="json")
    assert (stale.status_code, stale.json()["code"], stale.json()["extra"]) == (
        409, "refactorathon.plan_conflict", {"expected_version": 0, "version": 1})
    assert client.get(f"{BASE}/").json()["status"] == "planned"


def test_assign_and_exports(shop):
    client, bob, pay, _ = planned_event(shop)
    client.post(f"{BASE}/plan/", {"expected_version": 0}, format="json")
    assigned = client.post(f"{BASE}/items/{pay.pk}/assign/", {"assignee_id": bob.pk, "expected_version": 1},
                           format="json").json()
    assert ([line["assignee"] for line in assigned["chosen"] if line["item_id"] == pay.pk], assigned["version"]) \
        == (["bob"], 2)
    assert client.get(f"{BASE}/plan/").json()["version"] == 2
    rows = list(csv.reader(io.StringIO(client.get(f"{BASE}/plan-csv/").content.decode())))
    assert (rows[0][0], len(rows)) == ("item_id", 3)
    (vevent,) = Calendar.from_ical(client.get(f"{BASE}/ics/").content).walk("VEVENT")
    assert vevent.decoded("dtstart") == date(2024, 3, 4)


def test_bad_dates_and_an_empty_scope_are_refused(shop):
    client = api(make_user("ada"))
    backwards = client.post("/api/v1/refactorathons/", {"name": "Backwards", "start": "2024-03-08",
                                                        "end": "2024-03-04", "scope": [{"repository_id": shop.pk}]},
                            format="json")
    assert (backwards.status_code, backwards.json()["code"]) == (400, "refactorathon.invalid")
    empty = client.post("/api/v1/refactorathons/", {"name": "Empty", "start": "2024-03-04", "end": "2024-03-04",
                                                    "scope": []}, format="json")
    assert (empty.status_code, set(empty.json())) == (400, {"code", "message", "extra"})


def test_goals_participants_zero_capacity_and_moves(shop):
    ada = make_user("ada")
    client = api(ada)
    create_event(client, shop)
    zero = client.post(f"{BASE}/participants/", {"user_id": ada.pk, "hours": 0}, format="json")
    assert (zero.status_code, zero.json()["extra"]["field"]) == (400, "hours")
    goal = client.post(f"{BASE}/goals/", {"kind": "mean_health_at_least", "target": 80}, format="json").json()
    assert (goal["kind"], goal["target"]) == ("mean_health_at_least", 80.0)
    assert client.post(f"{BASE}/goals/", {"kind": "nonsense", "target": 1}, format="json").status_code == 400
    assert [g["goal_id"] for g in client.get(f"{BASE}/goals/").json()] == [goal["goal_id"]]
    assert client.delete(f"{BASE}/goals/{goal['goal_id']}/").status_code == 204
    # Zero capacity: an empty plan with a clear reason.
    empty_plan = client.post(f"{BASE}/plan/", {}, format="json").json()
    assert (empty_plan["chosen"], bool(empty_plan["reason"])) == ([], True)
    assert client.post(f"{BASE}/status/", {"to_status": "finished"}, format="json").status_code == 409
    changed = client.patch(f"{BASE}/", {"name": "Clean-up week"}, format="json").json()
    assert changed["name"] == "Clean-up week"


def test_begin_finish_and_the_report_from_real_scans(shop, git_repo):
    ada = make_user("ada")
    client = api(ada)
    create_event(client, shop)
    client.post(f"{BASE}/participants/", {"user_id": ada.pk, "hours": 8}, format="json")
    make_item(shop, effort=3, path="app/pay.py", title="Untangle pay")
    client.post(f"{BASE}/plan/", {}, format="json")
    assert client.post(f"{BASE}/status/", {"to_status": "running"}, format="json").json()["start_scan_id"]
    git_repo.commit("simplify", files={"app/pay.py": SIMPLE}, author="Ada Lovelace <ada@example.com>",
                    date=datetime(2024, 3, 5, 10, tzinfo=tz.utc))
    finished = client.post(f"{BASE}/status/", {"to_status": "finished"}, format="json").json()
    assert finished["status"] == "finished" and finished["end_scan_id"]
    report = client.get(f"{BASE}/report/").json()
    pay = next(d for d in report["files"] if d["path"] == "app/pay.py")
    assert (report["frozen"], pay["complexity_change"], report["totals"]["complexity_removed"]) == (True, -8, 8)
    assert [c["username"] for c in report["contributions"]] == ["ada"]
    rows = list(csv.reader(io.StringIO(client.get(f"{BASE}/report-csv/").content.decode())))
    assert [row[4] for row in rows if row[1] == "app/pay.py"] == ["-8"]
    # The per-file rows skip a serializer each (speed); they say exactly what the serializer would.
    serialised = r.ReportOutputSerializer(refactorathon_report(slug="clean-up", user=ada)).data
    assert report == json.loads(json.dumps(serialised, cls=DjangoJSONEncoder)) and len(report["files"]) >= 2


def test_fill_a_sprint_proposes_then_schedules_on_confirm(shop):
    lead = make_user("lena")
    team = make_team(lead, days_into_sprint=3)
    team_area_add(team=team, actor=lead, repository_id=shop.pk, path_prefix="app/")
    item = make_item(shop, effort=2, path="app/pay.py", title="Small fix")
    client = api(lead)
    fill = f"/api/v1/teams/{team.slug}/sprints/current/fill"
    proposal = client.post(f"{fill}/propose/", {}, format="json").json()
    assert (proposal["item_ids"], proposal["sprint_number"]) == ([item.pk], 1)
    assert not SprintItem.objects.exists()
    result = client.post(f"{fill}/confirm/", {"item_ids": proposal["item_ids"]}, format="json").json()
    assert [r["item_id"] for r in result["scheduled"]] == [item.pk]
    assert client.post(f"{fill}/confirm/", {"item_ids": []}, format="json").status_code == 400


@pytest.mark.parametrize("method, path", [
    ("post", "/items/40141225700535301306318848/assign/"),  # schemathesis found it: beyond SQLite's INTEGER
    ("delete", "/goals/9223372036854775808/"),
    ("delete", "/participants/2147483648/"),  # beyond a user id's column on PostgreSQL
])
def test_an_id_beyond_its_column_is_a_404_not_a_500(shop, method, path):
    client = api(make_user("lena"))
    create_event(client, shop)
    response = getattr(client, method)(BASE + path, {"assignee_id": 1}, format="json")
    assert response.status_code == 404, response.content
