"""Refactorathon pages: list and create, planning (pins, plan, stale re-plan, assign), event, report, exports, fill.

Each page and form is also checked for every kind of user (REFACTORATHON_PAGES): refactorathons are authorised
by the event's own rule (sprints/event_scope.py), not by repository roles, so tests/frontend/test_permissions.py
leaves these URL names to this module.
"""
import csv
import io
from datetime import date, datetime, timezone as tz

import pytest
from django.test import Client
from django.urls import reverse

from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.models import Refactorathon, RefactorathonItem
from sprints.services.refactorathon_plans import refactorathon_plan
from sprints.services.refactorathon_scans import refactorathon_begin, refactorathon_finish
from sprints.services.refactorathons import refactorathon_create, refactorathon_participant_add
from sprints.services.teams import team_area_add
from tests.debt.factories import make_repository
from tests.gitrepo import BASE_DATE
from tests.sprints.conftest import make_item, make_team, make_user

pytestmark = pytest.mark.django_db

START, END = date(2024, 3, 4), date(2024, 3, 8)
TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(8)) + \
    "    return b\n"
SIMPLE = "def pay(a, b):\n    return b + a\n"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shop(git_repo):
    git_repo.commit("start", files={"app/pay.py": TANGLED, "app/refund.py": "def refund():\n    return 1\n"},
                    author="Ada Lovelace <ada@example.com>", date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="shop")
    assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).succeeded
    return repository


@pytest.fixture
def event(shop):
    """Clean-up over shop:app/ organised by Ada (8 h) with Bob (8 h); items on pay.py (6 h) and refund.py (3 h)."""
    ada, bob = make_user("ada"), make_user("bob")
    event = refactorathon_create(actor=ada, name="Clean-up", start=START, end=END, scope=[(shop.pk, ["app/"])])
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=8, areas=["app/"])
    refactorathon_participant_add(event=event, actor=ada, user_id=bob.pk, hours=8)
    make_item(shop, effort=6, path="app/pay.py", title="Untangle <pay>")
    make_item(shop, effort=3, path="app/refund.py", title="Tidy refund")
    return event


def items_of(event) -> dict[str, int]:
    from debt.selectors.items import debt_item_list

    return {item.title: item.pk for item in debt_item_list(status=["accepted", "planned", "in_progress", "done"])}


def test_list_shows_events_and_creates_one_with_its_scope(shop):
    ada = make_user("ada")
    client = client_for(ada)
    page = client.get("/refactorathons/").content.decode()
    assert "No refactorathons yet" in page and 'href="/refactorathons/"' in page  # the nav link
    response = client.post("/refactorathons/", {"name": "Spring <clean>", "start": "2024-03-04", "end": "2024-03-08",
                                                "repositories": [shop.pk], "prefixes": "app/, lib/"})
    event = Refactorathon.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/refactorathons/{event.slug}/"
    assert [(s.repository_id, s.prefixes) for s in event.scopes.all()] == [(shop.pk, ["app/", "lib/"])]
    listing = client.get("/refactorathons/").content.decode()
    assert "Spring &lt;clean&gt;" in listing and "Spring <clean>" not in listing


def test_create_refuses_an_event_that_ends_before_it_starts(shop):
    client = client_for(make_user("ada"))
    response = client.post("/refactorathons/", {"name": "Backwards", "start": "2024-03-08", "end": "2024-03-04",
                                                "repositories": [shop.pk]})
    assert response.status_code == 400
    assert "ends (2024-03-04) before it starts (2024-03-08)" in response.content.decode()
    assert not Refactorathon.objects.exists()


def test_planning_page_pins_plans_and_shows_explanations(event, django_assert_max_num_queries):
    ada = event.created_by
    client = client_for(ada)
    titles = items_of(event)
    with django_assert_max_num_queries(40):
        page = client.get(f"/refactorathons/{event.slug}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Untangle &lt;pay&gt;" in text and "Not planned yet" in text
    client.post(f"/refactorathons/{event.slug}/edit/choose/", {"item_id": titles["Tidy refund"], "action": "pin"})
    assert RefactorathonItem.objects.get(item_id=titles["Tidy refund"]).pinned
    response = client.post(f"/refactorathons/{event.slug}/edit/plan/", {"expected_version": 0})
    assert response.status_code == 302
    text = client.get(f"/refactorathons/{event.slug}/").content.decode()
    assert 'id="plan-status">optimal<' in text and 'id="plan-version">1<' in text
    assert 'id="plan-chosen-count">2<' in text and "Re-plan" in text
    assert "6 of 8 h planned" in text and "3 of 8 h planned" in text  # a capacity bar per participant


def test_a_stale_replan_shows_the_conflict_and_saves_nothing(event):
    client = client_for(event.created_by)
    client.post(f"/refactorathons/{event.slug}/edit/plan/", {"expected_version": 0})
    response = client.post(f"/refactorathons/{event.slug}/edit/plan/", {"expected_version": 0})
    assert response.status_code == 409
    assert "changed since you read it (version 0, now 1)" in response.content.decode()
    event.refresh_from_db()
    assert event.plan_version == 1


def test_assignee_change_exclude_and_exports(event):
    client = client_for(event.created_by)
    titles = items_of(event)
    client.post(f"/refactorathons/{event.slug}/edit/plan/", {"expected_version": 0})
    bob = make_user("carol")  # not a participant: refused by the service
    response = client.post(f"/refactorathons/{event.slug}/edit/assign/",
                           {"item_id": titles["Untangle <pay>"], "assignee_id": bob.pk, "expected_version": 1})
    assert response.status_code == 404 or "does not take part" in response.content.decode()
    bob_id = event.participants.get(user__username="bob").user_id
    client.post(f"/refactorathons/{event.slug}/edit/assign/",
                {"item_id": titles["Untangle <pay>"], "assignee_id": bob_id, "expected_version": 1})
    rows = list(csv.reader(io.StringIO(client.get(f"/refactorathons/{event.slug}/plan.csv").content.decode())))
    assert rows[0][:5] == ["item_id", "title", "value", "effort_hours", "assignee"]
    assert [row[4] for row in rows[1:] if row[1] == "Untangle <pay>"] == ["bob"]
    ics = client.get(f"/refactorathons/{event.slug}/event.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"SUMMARY:Refactorathon: Clean-up" in ics.content
    client.post(f"/refactorathons/{event.slug}/edit/choose/", {"item_id": titles["Tidy refund"], "action": "exclude"})
    client.post(f"/refactorathons/{event.slug}/edit/plan/", {"expected_version": 2})
    text = client.get(f"/refactorathons/{event.slug}/").content.decode()
    assert 'id="plan-left-out"' in text and "excluded" in text


def test_candidate_filters_goals_and_hotspot_adoption(event, shop):
    client = client_for(event.created_by)
    text = client.get(f"/refactorathons/{event.slug}/?path=app/refund").content.decode()
    assert "Tidy refund" in text and "Untangle &lt;pay&gt;" not in text and "1 of 2" in text
    assert "Untangle &lt;pay&gt;" not in client.get(f"/refactorathons/{event.slug}/?min_value=99999").content.decode()
    client.post(f"/refactorathons/{event.slug}/edit/goal-add/", {"kind": "no_markers", "target": 0})
    goal = event.goals.get()
    assert "no FIXME/HACK markers left" in client.get(f"/refactorathons/{event.slug}/").content.decode()
    client.post(f"/refactorathons/{event.slug}/edit/goal-remove/", {"goal_id": goal.pk})
    assert not event.goals.exists()
    response = client.post(f"/refactorathons/{event.slug}/edit/adopt/",
                           {"repository_id": shop.pk, "path": "app/pay.py"})
    assert response.status_code == 302
    assert "Refactor the hotspot app/pay.py" in client.get(f"/refactorathons/{event.slug}/").content.decode()


def test_participants_hours_and_bad_hours(event):
    client = client_for(event.created_by)
    bob = event.participants.get(user__username="bob")
    client.post(f"/refactorathons/{event.slug}/edit/participant-hours/", {"user_id": bob.user_id, "hours": 12})
    bob.refresh_from_db()
    assert bob.hours == 12
    response = client.post(f"/refactorathons/{event.slug}/edit/participant-hours/",
                           {"user_id": bob.user_id, "hours": 0})
    assert response.status_code == 400 and "more than 0" in response.content.decode()


def test_event_and_report_pages_from_real_scans(event, shop, git_repo, settings, django_assert_max_num_queries):
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"  # the participants change the register's items
    ada = event.created_by
    client = client_for(ada)
    titles = items_of(event)
    refactorathon_plan(event=event, actor=ada)
    client.post(f"/refactorathons/{event.slug}/edit/move/", {"to_status": "running"})  # begin: scans the start
    event.refresh_from_db()
    assert event.status == "running" and event.start_scan_id
    git_repo.commit("simplify", files={"app/pay.py": SIMPLE}, author="Ada Lovelace <ada@example.com>",
                    date=datetime(2024, 3, 5, 10, tzinfo=tz.utc))
    assert scan_run(scan_id=scan_request(repository=shop, enqueue=False).pk).succeeded
    pay = titles["Untangle <pay>"]
    client.post(f"/debt/{pay}/move/", {"to_status": "done", "expected_status": "planned",
                                       "next": f"/refactorathons/{event.slug}/event/"})
    with django_assert_max_num_queries(60):
        page = client.get(f"/refactorathons/{event.slug}/event/")
    text = page.content.decode()
    assert "<strong>1</strong> of <strong>2</strong> planned items done" in text
    assert 'id="total-complexity">8<' in text and "Finish the event" in text
    refactorathon_finish(event=event, actor=ada, now=datetime(2024, 3, 20, tzinfo=tz.utc))
    with django_assert_max_num_queries(60):
        report = client.get(f"/refactorathons/{event.slug}/report/")
    text = report.content.decode()
    assert report.status_code == 200 and "figures frozen" in text
    assert 'id="total-complexity">8<' in text and 'id="items-done">1<' in text
    assert '<tr data-path="app/pay.py">' in text and "9 → 1" in text and 'id="report-chart-data"' in text


def test_a_private_teams_event_is_hidden_and_strangers_cannot_change_events(event, shop):
    stranger = client_for(make_user("mallory"))
    assert stranger.get(f"/refactorathons/{event.slug}/").status_code == 200  # no team: visible to all signed in
    assert stranger.post(f"/refactorathons/{event.slug}/edit/plan/", {"expected_version": 0}).status_code == 403
    assert "Re-plan" not in stranger.get(f"/refactorathons/{event.slug}/").content.decode()
    lead = make_user("lena")
    team = make_team(lead, private=True)
    hidden = refactorathon_create(actor=lead, name="Private", start=START, end=END, scope=[(shop.pk, [])], team=team)
    assert stranger.get(f"/refactorathons/{hidden.slug}/").status_code == 404
    assert stranger.get(f"/refactorathons/{hidden.slug}/report/").status_code == 404
    assert "Private" not in stranger.get("/refactorathons/").content.decode()


def test_sprint_page_fills_the_budget_after_confirmation(shop):
    lead = make_user("lena")
    team = make_team(lead, days_into_sprint=3)
    team_area_add(team=team, actor=lead, repository_id=shop.pk, path_prefix="app/")
    first = make_item(shop, effort=2, path="app/pay.py", title="Small fix")
    client = client_for(lead)
    proposal = client.post(f"/teams/{team.slug}/sprints/1/fill/")
    text = proposal.content.decode()
    assert proposal.status_code == 200 and 'id="fill-proposal"' in text and "Small fix" in text
    from sprints.models import SprintItem

    assert not SprintItem.objects.exists()  # nothing scheduled before confirming
    response = client.post(f"/teams/{team.slug}/sprints/1/fill/", {"confirm": "1", "item": [first.pk]})
    assert response.status_code == 302
    assert list(SprintItem.objects.values_list("item_id", flat=True)) == [first.pk]
    assert client_for(make_user("mallory")).post(f"/teams/{team.slug}/sprints/1/fill/").status_code == 403


# Every refactorathon page and form for every kind of user -------------------------------------------------------

# url name -> (method, need): "signed_in" any signed-in user, "view" who may see the event, "change" its
# organisers, participants, team members and staff (sprints/event_scope.py).
REFACTORATHON_PAGES: dict[str, tuple[str, str]] = {
    "refactorathons": ("GET", "signed_in"),
    "refactorathon": ("GET", "view"),
    "refactorathon-edit": ("POST", "change"),
    "refactorathon-delete": ("POST", "change"),
    "refactorathon-event": ("GET", "view"),
    "refactorathon-report": ("GET", "view"),
    "refactorathon-plan-csv": ("GET", "view"),
    "refactorathon-ics": ("GET", "view"),
    "sprint-fill": ("POST", "schedule"),
}
USERS = ("anonymous", "outsider", "member", "participant", "staff")


def expected(user: str, need: str, *, private: bool) -> int | None:
    """The status the page answers (None: allowed, anything but 401/403/404 and below 500)."""
    if user == "anonymous":
        return 302
    if need == "signed_in" or user == "staff":
        return None
    if private and user in ("outsider", "participant"):
        return 404  # a private team's event is seen by the team's members and staff only, participants included
    if user == "outsider" and need in ("change", "schedule"):
        return 403
    if user == "participant" and need == "schedule":
        return 403  # taking part in an event is no right to schedule into the team's sprints
    return None


@pytest.fixture
def matrix_world(db):
    shop = make_repository("shop")  # the rule is the event's: no scan needed
    lead = make_user("lead")
    users = {"outsider": make_user("outsider"), "member": lead, "participant": make_user("participant"),
             "staff": make_user("staff", staff=True)}
    return shop, users


def test_every_refactorathon_page_has_an_expectation():
    from frontend.urls import urlpatterns

    names = {p.name for p in urlpatterns if p.name.startswith("refactorathon") or p.name == "sprint-fill"}
    assert names == set(REFACTORATHON_PAGES)


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("name", sorted(REFACTORATHON_PAGES))
def test_refactorathon_page_answers_by_user(matrix_world, name, user, private):
    shop, users = matrix_world
    team = make_team(users["member"], private=private)
    event = refactorathon_create(actor=users["member"], name="Clean-up", start=START, end=END,
                                 scope=[(shop.pk, [])], team=team)
    refactorathon_participant_add(event=event, actor=users["member"], user_id=users["participant"].pk, hours=8)
    make_item(shop, effort=2, path="app/pay.py")
    refactorathon_plan(event=event, actor=users["member"])
    event.refresh_from_db()
    kwargs = {"sprint-fill": {"slug": team.slug, "number": 1}, "refactorathons": {},
              "refactorathon-edit": {"slug": event.slug, "what": "plan"}}
    url = reverse(f"frontend:{name}", kwargs=kwargs.get(name, {"slug": event.slug}))
    method, need = REFACTORATHON_PAGES[name]
    client = client_for(users[user]) if user != "anonymous" else Client()
    response = client.post(url, {"expected_version": event.plan_version}) if method == "POST" else client.get(url)
    outcome = expected(user, need, private=private)
    detail = f"{user} {method} {url}: {response.status_code}"
    if outcome is None:
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, detail
    else:
        assert response.status_code == outcome, detail


def test_report_at_four_weeks_flags_a_file_that_got_worse(event, shop, git_repo):
    ada = event.created_by
    refactorathon_plan(event=event, actor=ada)
    refactorathon_begin(event=event, actor=ada)
    git_repo.commit("simplify", files={"app/pay.py": SIMPLE}, date=datetime(2024, 3, 5, 10, tzinfo=tz.utc))
    refactorathon_finish(event=event, actor=ada, now=datetime(2024, 3, 20, tzinfo=tz.utc))
    git_repo.commit("tangle again", files={"app/pay.py": TANGLED}, date=datetime(2024, 3, 25, tzinfo=tz.utc))
    from sprints.services.refactorathon_scans import refactorathon_regression_scans

    assert refactorathon_regression_scans(event=event, actor=ada, now=datetime.now(tz.utc))
    text = client_for(ada).get(f"/refactorathons/{event.slug}/report/").content.decode()
    assert 'id="regressed-count">1<' in text and "worse again" in text
