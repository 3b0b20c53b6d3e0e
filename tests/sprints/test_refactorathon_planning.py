"""Planning refactorathons end to end, bad input, concurrent re-planning, exports, the CLI and sprint filling."""
import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from icalendar import Calendar

from debt.selectors.proposals import debt_proposal_list
from debt.services.items import debt_item_delete
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.errors import (
    GoalInvalid,
    ParticipantInvalid,
    PlanVersionConflict,
    RefactorathonInvalid,
    RefactorathonStatusConflict,
)
from sprints.models import RefactorathonItem
from sprints.selectors.refactorathon_exports import refactorathon_ical, refactorathon_plan_csv
from sprints.selectors.refactorathons import refactorathon_candidates, refactorathon_info
from sprints.selectors.teams import sprint_get
from sprints.services.refactorathon_plans import refactorathon_item_assign, refactorathon_plan
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_goal_add,
    refactorathon_hotspot_adopt,
    refactorathon_item_choose,
    refactorathon_participant_add,
    refactorathon_transition,
)
from sprints.services.sprint_fill import sprint_fill_confirm, sprint_fill_propose
from tests.gitrepo import BASE_DATE
from tests.sprints.conftest import make_item, make_user

pytestmark = pytest.mark.django_db

START, END = date(2024, 3, 4), date(2024, 3, 8)
TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(12)) + \
    "    return b\n"


@pytest.fixture
def shop(git_repo):
    git_repo.commit("start", files={"app/pay.py": TANGLED, "app/refund.py": "def refund():\n    return 1\n",
                                    "docs/readme.txt": "hello\n"},
                    author="Ada Lovelace <ada@example.com>", date=BASE_DATE)
    git_repo.commit("more", files={"app/refund.py": "def refund():\n    return 2\n"},
                    author="Bob Builder <bob@example.com>", date=BASE_DATE + timedelta(days=1))
    repository = repository_create(source=str(git_repo.path), name="shop")
    assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).succeeded
    return repository


def event_of(repository, actor, *, prefixes=("app/",), name="Clean-up"):
    return refactorathon_create(actor=actor, name=name, start=START, end=END, scope=[(repository.pk, list(prefixes))])


def planning_setup(shop):
    """Ada (8 h, knows app/) and Bob (8 h) at an event over app/, with items on pay.py, refund.py and docs/."""
    ada, bob = make_user("ada"), make_user("bob")
    event = event_of(shop, ada)
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=8, areas=["app/"])
    refactorathon_participant_add(event=event, actor=ada, user_id=bob.pk, hours=8)
    pay = make_item(shop, effort=6, path="app/pay.py", title="Untangle pay")
    refund = make_item(shop, effort=3, path="app/refund.py", title="Tidy refund")
    make_item(shop, effort=1, path="docs/readme.txt", title="Out of scope")
    return event, ada, bob, pay, refund


def test_candidates_plan_and_items_planned_with_assignees(shop):
    event, ada, bob, pay, refund = planning_setup(shop)
    candidates = refactorathon_candidates(slug=event.slug, user=ada)
    assert ({line.item_id for line in candidates.items}, min(line.value for line in candidates.items) > 0,
            [h.path for h in candidates.hotspots if h.path.startswith("docs/")]) == ({pay.pk, refund.pk}, True, [])
    plan = refactorathon_plan(event=event, actor=ada, expected_version=0)
    for item in (pay, refund):
        item.refresh_from_db()
    rows = RefactorathonItem.objects.filter(event=event, chosen=True).order_by("item_id")
    assert {
        "plan": (plan.status, plan.version), "event": refactorathon_info(slug=event.slug, user=ada).status,
        "assignees": {line.item_id: line.assignee for line in plan.chosen},  # each file's main developer
        "statuses": (pay.status, refund.status), "rows": [(row.item_id, row.assignee.username) for row in rows],
    } == {"plan": ("optimal", 1), "event": "planned", "assignees": {pay.pk: "ada", refund.pk: "bob"},
          "statuses": ("planned", "planned"), "rows": [(pay.pk, "ada"), (refund.pk, "bob")]}


def test_replan_assign_and_export_the_plan(shop):
    event, ada, bob, pay, refund = planning_setup(shop)
    refactorathon_plan(event=event, actor=ada, expected_version=0)
    # Exclude refund and re-plan: it goes back to accepted, and the plan explains why it is out.
    refactorathon_item_choose(event=event, actor=ada, item_id=refund.pk, excluded=True)
    plan = refactorathon_plan(event=event, actor=ada, expected_version=1)
    refund.refresh_from_db()
    assert ([line.item_id for line in plan.chosen], [(line.item_id, line.reason) for line in plan.left_out],
            refund.status) == ([pay.pk], [(refund.pk, "excluded")], "accepted")
    plan = refactorathon_item_assign(event=event, actor=ada, item_id=pay.pk, assignee_id=bob.pk,
                                     expected_version=2)
    assert (plan.chosen[0].assignee, plan.version) == ("bob", 3)

    rows = list(csv.reader(io.StringIO(refactorathon_plan_csv(slug=event.slug, user=ada))))
    assert (rows[0][:5], rows[1][:2], rows[1][4]) == (
        ["item_id", "title", "value", "effort_hours", "assignee"], [str(pay.pk), "Untangle pay"], "bob")
    calendar = Calendar.from_ical(refactorathon_ical(slug=event.slug, user=ada))
    (vevent,) = calendar.walk("VEVENT")
    assert (str(vevent["summary"]), vevent.decoded("dtstart"), vevent.decoded("dtend")) == (
        "Refactorathon: Clean-up", START, END + timedelta(days=1))
    assert f"#{pay.pk} Untangle pay -> bob" in str(vevent["description"])


def test_two_people_replanning_at_once_the_stale_save_is_refused(shop):
    ada = make_user("ada")
    event = event_of(shop, ada)
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=8)
    make_item(shop, effort=2, path="app/pay.py")
    seen = refactorathon_info(slug=event.slug, user=ada).plan_version  # both read version 0
    refactorathon_plan(event=event, actor=ada, expected_version=seen)
    with pytest.raises(PlanVersionConflict) as error:
        refactorathon_plan(event=event, actor=ada, expected_version=seen)
    assert error.value.extra == {"expected_version": 0, "version": 1}
    assert refactorathon_info(slug=event.slug, user=ada).plan_version == 1


def test_bad_input_is_refused_with_clear_errors(shop, tmp_path):
    ada = make_user("ada")
    with pytest.raises(RefactorathonInvalid, match="ends .* before it starts"):
        refactorathon_create(actor=ada, name="Backwards", start=END, end=START, scope=[(shop.pk, [])])
    with pytest.raises(RefactorathonInvalid, match="scope is empty"):
        refactorathon_create(actor=ada, name="Nowhere", start=START, end=END, scope=[])
    event = event_of(shop, ada)
    with pytest.raises(ParticipantInvalid, match="hours to give"):
        refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=0)
    with pytest.raises(GoalInvalid):
        refactorathon_goal_add(event=event, actor=ada, kind="hotspot_score_below", target=3)
    with pytest.raises(RefactorathonStatusConflict, match="no plan"):
        refactorathon_transition(event=event, actor=ada, to_status="planned")

    # Zero capacity: an empty plan with its reason, saved; the event stays a draft.
    make_item(shop, effort=2, path="app/pay.py")
    plan = refactorathon_plan(event=event, actor=ada)
    assert (plan.status, plan.chosen) == ("empty", ())
    assert plan.reason == "zero capacity: no participants"
    assert refactorathon_info(slug=event.slug, user=ada).status == "draft"

    # A scope with no Python files: no candidates, no hotspots, an empty plan that says so.
    docs = event_of(shop, ada, prefixes=("docs/",), name="Docs")
    refactorathon_participant_add(event=docs, actor=ada, user_id=ada.pk, hours=8)
    candidates = refactorathon_candidates(slug=docs.slug, user=ada)
    assert (candidates.items, candidates.hotspots) == ((), ())
    assert refactorathon_plan(event=docs, actor=ada).reason == "no candidates to plan"


def test_a_hotspot_becomes_a_candidate_item(shop):
    ada = make_user("ada")
    event = event_of(shop, ada)
    # Hotspots the scan proposed as items are candidates as items; with no item they are hotspot candidates.
    for proposal in debt_proposal_list(repository=shop):
        debt_item_delete(item=proposal)
    hotspot = refactorathon_candidates(slug=event.slug, user=ada).hotspots[0]
    assert hotspot.path == "app/pay.py"
    row = refactorathon_hotspot_adopt(event=event, actor=ada, repository_id=shop.pk, path=hotspot.path)
    candidates = refactorathon_candidates(slug=event.slug, user=ada)
    assert [line.item_id for line in candidates.items] == [row.item_id]
    assert "app/pay.py" not in {hotspot.path for hotspot in candidates.hotspots}


def test_cli_plans_and_reports(shop):
    ada = make_user("ada")
    event = event_of(shop, ada)
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=8)
    item = make_item(shop, effort=2, path="app/pay.py", title="Untangle pay")
    out = io.StringIO()
    call_command("refactorathon", "plan", event.slug, "--format", "json", stdout=out)
    assert [line["item_id"] for line in json.loads(out.getvalue())["chosen"]] == [item.pk]
    out = io.StringIO()
    call_command("refactorathon", "plan", event.slug, stdout=out)
    assert "plan v2: optimal" in out.getvalue() and "Untangle pay" in out.getvalue()
    out = io.StringIO()
    call_command("refactorathon", "report", event.slug, "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("repository_id,path,complexity_before")
    out = io.StringIO()
    call_command("refactorathon", "report", event.slug, "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["items_planned"] == 1
    with pytest.raises(CommandError, match="No refactorathon 'nope'"):
        call_command("refactorathon", "report", "nope")


def test_fill_a_sprints_budget_proposes_then_schedules_on_confirm(shop, lead):
    from sprints.services.teams import team_area_add
    from tests.sprints.conftest import make_team

    team = make_team(lead, capacity=40)  # 20 % share of 40 h: an 8 h budget
    team_area_add(team=team, actor=lead, repository_id=shop.pk, path_prefix="app/")
    big = make_item(shop, effort=6, path="app/pay.py", title="Untangle pay")
    small = make_item(shop, effort=3, path="app/refund.py", title="Tidy refund")
    sprint = sprint_get(team=team)
    proposal = sprint_fill_propose(sprint=sprint, actor=lead)
    assert proposal.capacity_hours == 8.0 and len(proposal.item_ids) == 1
    assert proposal.item_ids[0] in {big.pk, small.pk}
    for item in (big, small):
        item.refresh_from_db()
        assert item.status == "accepted"  # nothing written before the confirmation
    result = sprint_fill_confirm(sprint=sprint, actor=lead, item_ids=proposal.item_ids)
    assert [line.item_id for line in result.scheduled] == list(proposal.item_ids)
    assert sprint_fill_propose(sprint=sprint, actor=lead).capacity_hours < 8.0
