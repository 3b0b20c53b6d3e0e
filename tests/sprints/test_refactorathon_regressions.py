"""Regression scans started without anyone remembering: the due-scan runner, the command, the worker's queue.

Real repositories: shop's pay() is simplified during the event and tangled again after it; billing does not
change after the event, so its regression points reuse the end scan. The event ends on Friday 8 March 2024:
its regression points are 6 April (4 weeks after the next day's start) and 4 May (8 weeks).
"""
from datetime import date, datetime, timezone
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.module_loading import import_string

from metrics.management.commands.scan_worker import periodic_once
from metrics.models import Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.models import RefactorathonScope
from sprints.selectors.refactorathon_report import refactorathon_report
from sprints.services.refactorathon_plans import refactorathon_plan
from sprints.services.refactorathon_scans import (
    refactorathon_begin,
    refactorathon_finish,
    refactorathon_regressions_due,
)
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_participant_add,
    refactorathon_transition,
)
from tests.gitrepo import init_repo
from tests.sprints.conftest import make_item, make_user
from tests.task_queue import queued_tasks, run_queued_tasks

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 1, 1, 12, tzinfo=timezone.utc)
TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(6)) + \
    "    return b\n"
TANGLED_MORE = TANGLED.replace("    return b\n", "    if b:\n        return a\n    return b\n")
SIMPLE = "def pay(a, b):\n    return b + a\n"
BILL = "def bill(x):\n    return x\n"


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def run_event(tmp_path, git_repo):
    """Shop and billing scanned, the event planned, run (pay() simplified) and finished on 20 March."""
    ada = make_user("ada")
    git_repo.commit("start", files={"app/pay.py": TANGLED}, date=T0)
    billing_repo = init_repo(tmp_path / "billing")
    billing_repo.commit("start", files={"lib/bill.py": BILL}, date=T0)
    shop = repository_create(source=str(git_repo.path), name="shop")
    billing = repository_create(source=str(billing_repo.path), name="billing")
    for repository in (shop, billing):
        assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).succeeded
    event = refactorathon_create(actor=ada, name="Spring clean", start=date(2024, 3, 4), end=date(2024, 3, 8),
                                 scope=[(shop.pk, ["app/"]), (billing.pk, [])])
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=16)
    make_item(shop, effort=3, path="app/pay.py", title="Untangle pay")
    refactorathon_plan(event=event, actor=ada)
    refactorathon_begin(event=event, actor=ada)
    git_repo.commit("simplify pay", files={"app/pay.py": SIMPLE}, date=at(date(2024, 3, 5)))
    refactorathon_finish(event=event, actor=ada, now=at(date(2024, 3, 20)))
    return event, ada


def scopes_of(event) -> dict[str, dict]:
    return {scope.repository.name: scope.regression_scans
            for scope in RefactorathonScope.objects.filter(event=event).select_related("repository")}


def outcomes(done) -> list[tuple]:
    return [(d.event, d.weeks, d.repository, d.outcome) for d in done]


def end_scan_ids(event) -> dict[str, int]:
    return {s.repository.name: s.end_scan_id
            for s in RefactorathonScope.objects.filter(event=event).select_related("repository")}


def worse_lines(check) -> list[tuple]:
    return [(line.weeks, line.path, line.scan_id, line.complexity_at_end, line.complexity_later)
            for line in check.worse]


def regress(now: str, *names: str) -> list[str]:
    """`debtboard refactorathon regress [NAME] --now NOW`'s output lines."""
    out = StringIO()
    call_command("refactorathon", "regress", *names, "--now", now, stdout=out)
    return out.getvalue().splitlines()


def before_4_weeks(event, scans: int) -> None:
    """Before the 4-week point (6 April, 00:00): nothing to do."""
    assert refactorathon_regressions_due(now=at(date(2024, 4, 5), 23)) == []
    assert (Scan.objects.count(), scopes_of(event)) == (scans, {"shop": {}, "billing": {}})


def after_4_weeks(event, scans: int, end_scans: dict[str, int], tangled_again: str) -> Scan:
    """One point per scope repository: shop's a new scan of the 1 April commit, billing's (no commit since the
    end) the end scan again. Running again, the same day or later before 8 weeks, scans nothing new."""
    done = refactorathon_regressions_due(now=at(date(2024, 4, 7)))
    assert outcomes(done) == [("spring-clean", 4, "shop", "scanned"), ("spring-clean", 4, "billing", "scanned")]
    shop_4 = Scan.objects.get(pk=done[0].scan_id)
    assert (shop_4.commit_sha, shop_4.succeeded, done[1].scan_id) == (tangled_again, True, end_scans["billing"])
    recorded = {"shop": {"4": shop_4.pk}, "billing": {"4": end_scans["billing"]}}
    assert (Scan.objects.count(), scopes_of(event)) == (scans + 1, recorded)
    assert refactorathon_regressions_due(now=at(date(2024, 4, 7))) == []
    assert regress("2024-05-03T12:00:00+00:00") == ["no regression scan due"]
    assert Scan.objects.count() == scans + 1
    return shop_4


def after_8_weeks(event, end_scans: dict[str, int], shop_4: Scan, tangled_more: str) -> Scan:
    """After 8 weeks (4 May) the command runs the second point: shop at the 20 April commit; then nothing."""
    lines = regress("2024-05-10T12:00:00+00:00")
    shop_8 = Scan.objects.get(commit_sha=tangled_more)
    assert lines == [f"spring-clean +8 weeks shop: scanned (scan {shop_8.pk})",
                     f"spring-clean +8 weeks billing: scanned (scan {end_scans['billing']})"]
    assert scopes_of(event) == {"shop": {"4": shop_4.pk, "8": shop_8.pk},
                                "billing": {"4": end_scans["billing"], "8": end_scans["billing"]}}
    assert refactorathon_regressions_due(now=at(date(2024, 6, 1))) == []
    return shop_8


def test_due_regression_scans_run_once_per_point_and_feed_the_report(tmp_path, git_repo):
    event, ada = run_event(tmp_path, git_repo)
    end_scans = end_scan_ids(event)
    tangled_again = git_repo.commit("feature", files={"app/pay.py": TANGLED}, date=at(date(2024, 4, 1)))
    tangled_more = git_repo.commit("more", files={"app/pay.py": TANGLED_MORE}, date=at(date(2024, 4, 20)))
    scans = Scan.objects.count()
    before_4_weeks(event, scans)
    shop_4 = after_4_weeks(event, scans, end_scans, tangled_again)
    shop_8 = after_8_weeks(event, end_scans, shop_4, tangled_more)

    # The report flags pay() at both points: complexity 1 at the end, 7 at 4 weeks, 8 at 8 weeks.
    check = refactorathon_report(slug=event.slug, user=ada, now=at(date(2024, 5, 10))).regression
    assert check.checked == (4, 8)
    assert worse_lines(check) == [(4, "app/pay.py", shop_4.pk, 1, 7), (8, "app/pay.py", shop_8.pk, 1, 8)]


def test_regress_command_for_one_event(tmp_path, git_repo):
    event, ada = run_event(tmp_path, git_repo)
    assert regress("2024-04-01T00:00:00+00:00", event.slug) == ["no regression scan due"]
    assert len(regress("2024-04-10T00:00:00+00:00", event.slug)) == 2
    assert set(scopes_of(event)["shop"]) == set(scopes_of(event)["billing"]) == {"4"}
    # A reviewed event is still checked at 8 weeks.
    refactorathon_transition(event=event, actor=ada, to_status="reviewed")
    assert [(d.weeks, d.outcome) for d in refactorathon_regressions_due(now=at(date(2024, 5, 10)))] \
        == [(8, "scanned"), (8, "scanned")]

    draft = refactorathon_create(actor=ada, name="Later", start=date(2024, 6, 3), end=date(2024, 6, 7),
                                 scope=[(RefactorathonScope.objects.filter(event=event).first().repository_id, [])])
    with pytest.raises(CommandError, match="only a finished event"):
        regress("2024-06-20T00:00:00+00:00", draft.slug)


def test_celery_beat_and_the_embedded_worker_run_the_regression_task():
    path = "sprints.tasks.refactorathon_regressions_due_task"
    beat = settings.CELERY_BEAT_SCHEDULE["refactorathon-regressions"]
    assert (beat["task"], beat["args"], beat["schedule"]) == ("debtboard.run_task", [path, [], {}],
                                                              settings.DEBTBOARD_REGRESSION_INTERVAL)
    assert settings.DEBTBOARD_WORKER_PERIODIC_TASKS == {path: settings.DEBTBOARD_REGRESSION_INTERVAL}
    assert import_string(path).name == "refactorathon_regressions_due_task"


def test_the_embedded_worker_queues_the_regression_task_and_runs_it(tmp_path, git_repo):
    path = "sprints.tasks.refactorathon_regressions_due_task"
    event, _ = run_event(tmp_path, git_repo)
    # The worker's clock: queued at start, not again before the interval has passed, then again.
    last: dict[str, float] = {}
    assert periodic_once({path: 3600.0}, last, 1000.0) == [path]
    assert periodic_once({path: 3600.0}, last, 4000.0) == []
    assert [task for task, _ in queued_tasks()] == [path]
    ran = run_queued_tasks()  # today is years after the event: both points are due
    assert [row.status for row in ran] == ["SUCCESSFUL"]
    assert sorted(ran[0].return_value) == [f"spring-clean +{weeks} weeks {name}: scanned"
                                           for weeks in (4, 8) for name in ("billing", "shop")]
    assert scopes_of(event)["shop"].keys() == scopes_of(event)["billing"].keys() == {"4", "8"}
    assert periodic_once({path: 3600.0}, last, 4600.0) == [path]
    assert [row.return_value for row in run_queued_tasks()] == [[]]  # nothing new the second time
