"""The refactorathon report from real scans of a real repository: deltas, goals, contributions, regressions."""
from datetime import date, datetime, timedelta, timezone

import pytest

from debt.services.lifecycle import debt_item_transition
from metrics.models import Scan
from metrics.selectors.files import snapshot_path_set, violation_list
from metrics.selectors.hotspots import file_score_get
from metrics.selectors.repositories import repository_window_days
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.choices import GoalKind
from sprints.data import RefactorathonReport, RefactorathonSnapshot
from sprints.models import RefactorathonScope
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


# A second scenario for the figures the first one leaves out: violations, health and hotspot scores.
LEDGER_BEFORE = "import os\nimport sys\n\n\ndef post(a,b):\n" + \
    "".join(f"    if a == {n}:\n        return b+{n}\n" for n in range(5)) + "    return b\n"
LEDGER_AFTER = "def post(a, b):\n    return a + b\n"
TAX = "def tax(a):\n    if a:\n        return 1\n    return {n}\n"


def run_cleanup_event(git_repo, goals=()):
    """Ledger (8 flake8 violations, churned often) is cleaned during the event; tax.py and pay.py are not.

    Returns the event, its scope row, the repository and Ada, after the event finished.
    """
    ada = make_user("ada")
    git_repo.commit("start", files={"app/ledger.py": LEDGER_BEFORE, "app/pay.py": "def pay(a):\n    return a\n",
                                    "other/x.py": "x = 1\n"}, date=T0)
    for n in range(3):
        git_repo.commit(f"tax {n}", files={"app/tax.py": TAX.format(n=n)}, date=T0 + timedelta(days=1 + n))
    for n in range(4):
        git_repo.commit(f"ledger {n}", files={"app/ledger.py": LEDGER_BEFORE + f"\n\nX = {n}\n"},
                        date=T0 + timedelta(days=5 + n))
    repository = repository_create(source=str(git_repo.path), name="shop")
    assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).succeeded
    event = refactorathon_create(actor=ada, name="Ledger clean", start=START, end=END,
                                 scope=[(repository.pk, ["app/"])])
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=16)
    make_item(repository, effort=3, path="app/ledger.py", title="Untangle ledger")
    for kind, target, path in goals:
        refactorathon_goal_add(event=event, actor=ada, kind=kind, target=target, path=path)
    refactorathon_plan(event=event, actor=ada)
    refactorathon_begin(event=event, actor=ada)
    git_repo.commit("clean ledger", files={"app/ledger.py": LEDGER_AFTER},
                    date=datetime(2024, 3, 5, 10, tzinfo=timezone.utc))
    refactorathon_finish(event=event, actor=ada, now=datetime(2024, 3, 20, tzinfo=timezone.utc))
    return event, RefactorathonScope.objects.get(event=event), repository, ada


def measured(scan_id: int, repository) -> dict[str, tuple[int, float | None, float | None]]:
    """Each file under app/ at a scan as (violations, health, hotspot score), read through metrics' selectors
    (the violation rows of the file and its score row), not through the report's own figures."""
    scan = Scan.objects.get(pk=scan_id)
    window = repository_window_days(repository=repository)
    found = {}
    for path in sorted(snapshot_path_set(scan=scan)):
        if path.startswith("app/"):
            score = file_score_get(scan=scan, path=path, window_days=window)
            found[path] = (violation_list(scan=scan, path=path).count(), score.health if score else None,
                           score.hotspot_score if score else None)
    return found


def test_report_violations_health_and_hotspot_changes_match_the_scans(git_repo):
    event, scope, repository, ada = run_cleanup_event(git_repo)
    before, after = measured(scope.start_scan_id, repository), measured(scope.end_scan_id, repository)
    assert sorted(before) == sorted(after) == ["app/ledger.py", "app/pay.py", "app/tax.py"]
    expected = {path: (after[path][0] - before[path][0], round(after[path][1] - before[path][1], 4),
                       round(after[path][2] - before[path][2], 4)) for path in before}
    # The scenario is not trivial: the ledger lost violations, gained health and cooled; the others warmed.
    assert expected["app/ledger.py"][0] < 0 and expected["app/ledger.py"][1] > 0 and expected["app/ledger.py"][2] < 0
    assert expected["app/tax.py"][2] > 0 and expected["app/pay.py"][2] > 0

    report = refactorathon_report(slug=event.slug, user=ada, now=datetime(2024, 3, 20, tzinfo=timezone.utc))
    assert {d.path: (d.violations_change, d.health_change, d.hotspot_score_change) for d in report.files} == expected
    assert (report.totals.violations_fixed, report.totals.health_gained, report.totals.hotspots_cooled) == (
        -sum(change[0] for change in expected.values()),
        round(sum(change[1] for change in expected.values()), 4),
        sum(1 for change in expected.values() if change[2] < 0),
    )
    assert report.totals.hotspots_cooled == 1  # the ledger only


def test_mean_health_and_hotspot_goals_from_the_scans(git_repo):
    goals = [(GoalKind.MEAN_HEALTH_AT_LEAST, 9.5, ""), (GoalKind.HOTSPOT_SCORE_BELOW, 90, "app/ledger.py"),
             (GoalKind.HOTSPOT_SCORE_BELOW, 90, "app/"), (GoalKind.HOTSPOT_SCORE_BELOW, 70, "app/tax.py")]
    event, scope, repository, ada = run_cleanup_event(git_repo, goals)
    before, after = measured(scope.start_scan_id, repository), measured(scope.end_scan_id, repository)

    def mean_health(files):
        return round(sum(health for _, health, _ in files.values()) / len(files), 4)

    def hottest(files, prefix):
        return round(max(score for path, (_, _, score) in files.items() if path.startswith(prefix)), 4)

    expected = [
        ("mean_health_at_least", "", mean_health(before), mean_health(after)),
        ("hotspot_score_below", "app/ledger.py", hottest(before, "app/ledger.py"), hottest(after, "app/ledger.py")),
        ("hotspot_score_below", "app/", hottest(before, "app/"), hottest(after, "app/")),
        ("hotspot_score_below", "app/tax.py", hottest(before, "app/tax.py"), hottest(after, "app/tax.py")),
    ]
    report = refactorathon_report(slug=event.slug, user=ada, now=datetime(2024, 3, 20, tzinfo=timezone.utc))
    assert [(g.kind, g.path, g.at_start, g.now) for g in report.goals] == expected
    # Met is judged on "now" against the target: mean health rose past 9.5 (the ledger's from below 10 to 10);
    # the ledger and the folder's hottest file cooled below 90 (from 100); tax.py warmed above 70.
    assert expected[0][2] < 9.5 <= expected[0][3]
    assert expected[1][2] >= 90 > expected[1][3] and expected[2][2] >= 90 > expected[2][3]
    assert expected[3][3] >= 70
    assert [g.met for g in report.goals] == [True, True, True, False]
