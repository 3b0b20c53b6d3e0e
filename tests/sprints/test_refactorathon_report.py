"""The refactorathon report from real scans of a real repository: deltas, goals, contributions, regressions."""
from datetime import date, datetime, timedelta, timezone

import pytest

from debt.services.lifecycle import debt_item_transition
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.choices import GoalKind
from sprints.data import RefactorathonReport, RefactorathonSnapshot
from sprints.selectors.refactorathon_report import refactorathon_report
from sprints.services.refactorathon_plans import refactorathon_plan
from sprints.services.refactorathon_scans import (
    refactorathon_begin,
    refactorathon_finish,
    refactorathon_regression_scans,
)
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_goal_add,
    refactorathon_participant_add,
)
from tests.sprints.conftest import make_item, make_user

pytestmark = pytest.mark.django_db

START = date(2024, 3, 4)
END = date(2024, 3, 8)
T0 = datetime(2024, 1, 1, 12, tzinfo=timezone.utc)
TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(6)) + \
    "    return b\n"
SIMPLE = "def pay(a, b):\n    return b + a\n"
REFUND_BEFORE = "def refund(x):\n    # FIXME: rounding is wrong\n    return x\n"
REFUND_AFTER = "def refund(x):\n    return round(x, 2)\n"


def build(git_repo):
    git_repo.commit("start", files={"app/pay.py": TANGLED, "app/refund.py": REFUND_BEFORE,
                                    "other/x.py": "def x():\n    return 1\n"},
                    author="Ada Lovelace <ada@example.com>", date=T0)
    git_repo.commit("touch", files={"other/x.py": "def x():\n    return 2\n"}, date=T0 + timedelta(days=30))
    repository = repository_create(source=str(git_repo.path), name="shop")
    assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).succeeded
    return repository


def observed(report: RefactorathonReport) -> dict:
    """The report's figures the test checks, in one comparable value."""
    files = {delta.path: delta for delta in report.files}
    pay, refund = files["app/pay.py"], files["app/refund.py"]
    totals = report.totals
    return {
        "frozen": report.frozen, "paths": sorted(files),
        "pay": (pay.complexity_change, pay.before.max_function_complexity, pay.cleanup_markers_change),
        "refund": (refund.complexity_change, refund.markers_change, refund.cleanup_markers_change),
        "totals": (totals.complexity_removed, totals.markers_removed, totals.cleanup_markers_removed),
        "items": (report.items_planned, report.items_done), "regression": report.regression.checked,
        "goals": {goal.kind: (goal.at_start, goal.now, goal.met) for goal in report.goals},
        "contributions": [(c.username, c.items_done, c.commits_in_scope) for c in report.contributions],
        "json_complexity_removed": report.as_json()["totals"]["complexity_removed"],
    }


def test_report_shows_the_simplified_function_and_the_removed_fixme(git_repo):
    ada = make_user("ada")
    repository = build(git_repo)
    event = refactorathon_create(actor=ada, name="Spring clean", start=START, end=END,
                                 scope=[(repository.pk, ["app/"])])
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=16)
    item = make_item(repository, effort=3, path="app/pay.py", title="Untangle pay")
    refactorathon_goal_add(event=event, actor=ada, kind=GoalKind.NO_MARKERS, target=0)
    refactorathon_goal_add(event=event, actor=ada, kind=GoalKind.ITEMS_DONE_AT_LEAST, target=1)
    refactorathon_goal_add(event=event, actor=ada, kind=GoalKind.TOP_FUNCTIONS_COMPLEXITY_AT_MOST, target=2)
    plan = refactorathon_plan(event=event, actor=ada)
    assert [(line.item_id, line.assignee) for line in plan.chosen] == [(item.pk, "ada")]
    refactorathon_begin(event=event, actor=ada)
    # The event's work: simplify pay() and remove the FIXME, by Ada, during the event.
    git_repo.commit("simplify pay", files={"app/pay.py": SIMPLE}, author="Ada Lovelace <ada@example.com>",
                    date=datetime(2024, 3, 5, 10, tzinfo=timezone.utc))
    git_repo.commit("fix refund", files={"app/refund.py": REFUND_AFTER}, author="Ada Lovelace <ada@example.com>",
                    date=datetime(2024, 3, 6, 10, tzinfo=timezone.utc))
    assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).succeeded
    item.refresh_from_db()
    assert item.status == "planned"  # the plan moved it through the lifecycle
    debt_item_transition(item=item, to_status="in_progress")
    debt_item_transition(item=item, to_status="done")
    refactorathon_finish(event=event, actor=ada, now=datetime(2024, 3, 20, tzinfo=timezone.utc))

    report = refactorathon_report(slug=event.slug, user=ada, now=datetime(2024, 3, 20, tzinfo=timezone.utc))
    assert RefactorathonSnapshot.from_json(event.snapshot).as_json() == event.snapshot
    assert observed(report) == {
        "frozen": True, "paths": ["app/pay.py", "app/refund.py"],  # other/ is out of scope
        "pay": (-6, 7, 0), "refund": (0, -1, -1),  # pay(): complexity 7 -> 1; refund.py: its FIXME gone
        "totals": (6, 1, 1), "items": (1, 1), "regression": (),
        "goals": {"no_markers": (1.0, 0.0, True), "items_done_at_least": (0.0, 1.0, True),
                  "top_functions_complexity_at_most": (7.0, 1.0, True)},
        "contributions": [("ada", 1, 2)], "json_complexity_removed": 6,
    }

    # Five weeks later pay() got tangled again: the regression check flags it, refund.py stayed clean.
    git_repo.commit("feature", files={"app/pay.py": TANGLED}, date=datetime(2024, 4, 1, tzinfo=timezone.utc))
    later = datetime(2024, 4, 20, tzinfo=timezone.utc)
    assert refactorathon_regression_scans(event=event, actor=ada, now=later)
    check = refactorathon_report(slug=event.slug, user=ada, now=later).regression
    assert (check.checked, [(line.path, line.worse) for line in check.lines], [line.path for line in check.worse]) \
        == ((4,), [("app/pay.py", True), ("app/refund.py", False)], ["app/pay.py"])
