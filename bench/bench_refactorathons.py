"""Benchmark: server time of the refactorathon planning page (2,000 candidates, a saved plan) and report page.

    python bench/bench_refactorathons.py [--repeat 7] [--quick]

A new SQLite database in a temporary data directory holds one repository with 3,340 register items
(`tests/bench_data.py`; 2,004 of them accepted, planned or in progress: the candidates) and an event over it
with 20 participants and a goal of each kind. The event is planned once through `refactorathon_plan` (the
solve is timed and reported on its own line: the page shows the saved plan, it does not solve). A second
event gets a frozen before/after snapshot of 2,000 files (`tests/refactorathon_bench_data.py`, as finishing
would freeze it). Each page is requested through Django's test client once to warm up and `--repeat` times
measured. Targets (median): planning page < 300 ms, report page < 300 ms. Exit status 1 when one is missed.
"""
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.page_timing import page_arguments, setup_django, time_pages  # noqa: E402  (after the sys.path fix)

ITEMS, PARTICIPANTS, REPORT_FILES = 3_340, 20, 2_000
START, END = date(2024, 3, 4), date(2024, 3, 8)
PAGES = (
    ("planning page (saved plan)", "/refactorathons/{plan}/", 300.0),
    ("planning page, filtered", "/refactorathons/{plan}/?path=app/mod1&min_value=10", 300.0),
    ("event page", "/refactorathons/{plan}/event/", 300.0),
    ("report page (2,000 files)", "/refactorathons/{report}/report/", 300.0),
    ("report (API)", "/api/v1/refactorathons/{report}/report/", 300.0),
)


def _events(scratch: str, lead) -> tuple[str, str, float, int]:
    """The planned event (slug), the reported event (slug), the solve's seconds and the candidates' count."""
    from django.contrib.auth import get_user_model

    from sprints.choices import GoalKind
    from sprints.selectors.refactorathons import refactorathon_candidates
    from sprints.services.refactorathon_plans import refactorathon_plan
    from sprints.services.refactorathons import (
        refactorathon_create,
        refactorathon_goal_add,
        refactorathon_participant_add,
    )
    from tests.bench_data import bench_debt_items, bench_repository
    from tests.refactorathon_bench_data import bench_freeze_snapshot

    repository = bench_repository(path=os.path.join(scratch, "repo"), name="repo")
    bench_debt_items(repository=repository, paths=[f"app/mod{i:04d}.py" for i in range(ITEMS)], count=ITEMS)
    event = refactorathon_create(actor=lead, name="Bench week", start=START, end=END, scope=[(repository.pk, [])])
    people = [lead] + [get_user_model().objects.create_user(f"dev{i:02d}", password=None)
                       for i in range(PARTICIPANTS - 1)]
    for index, person in enumerate(people):
        refactorathon_participant_add(event=event, actor=lead, user_id=person.pk, hours=8 + index % 5 * 4,
                                      areas=[f"app/mod{index % 10}"])
    for kind in GoalKind:
        refactorathon_goal_add(event=event, actor=lead, kind=kind, target=1, path="app/mod0001.py")
    count = len(refactorathon_candidates(slug=event.slug, user=lead).items)
    started = time.perf_counter()
    refactorathon_plan(event=event, actor=lead, expected_version=0)
    solve = time.perf_counter() - started
    report = refactorathon_create(actor=lead, name="Bench report", start=START, end=END,
                                  scope=[(repository.pk, [])])
    bench_freeze_snapshot(slug=report.slug, repository_id=repository.pk, files=REPORT_FILES)
    return event.slug, report.slug, solve, count


def main(argv: list[str] | None = None) -> int:
    """Build the events, time their pages and print a table of medians; return 1 when a target is missed."""
    args = page_arguments(__doc__.splitlines()[0], argv)
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-refactorathons-") as scratch:
        setup_django(scratch)
        from django.contrib.auth import get_user_model
        from django.test import Client

        started = time.perf_counter()
        lead = get_user_model().objects.create_user("lead", password=None)
        plan_slug, report_slug, solve, candidates = _events(scratch, lead)
        print(f"built {candidates:,} candidates, {PARTICIPANTS} participants, a {REPORT_FILES:,}-file snapshot "
              f"in {time.perf_counter() - started:.1f} s (SQLite)")
        print(f"solve (plan and save, not part of the page): {solve * 1000:.0f} ms")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(lead)
        pages = [(label, pattern.format(plan=plan_slug, report=report_slug), target, {})
                 for label, pattern, target in PAGES]
        return time_pages(client, pages, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
