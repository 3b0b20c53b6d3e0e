"""Benchmark: server time of the team page, the sprint pages and the history series of a big team.

    python bench/bench_sprints.py [--repeat 7] [--quick]

A new SQLite database in a temporary data directory holds a team of 20 members owning 5 repositories with
2,000 register items (400 each, `tests/bench_data.py`) and 52 past sprints plus the current one. Each past
sprint gets 5 items scheduled through `sprint_item_schedule` (at a moment inside the sprint) and 4 of them
finished through `debt_item_transition`; because the lifecycle service stamps the current time, those
transitions are then moved back to the sprint's middle day (the one shortcut, `tests/sprint_bench_data.py`).
The alert run closes the ended sprints and records their snapshots. Each page is requested through Django's
test client once to warm up and `--repeat` times measured. Targets (median): team page and sprint page < 200
ms, history API < 300 ms. Exit status 1 when one is missed.
"""
import os
import sys
import tempfile
import time
from datetime import datetime, time as day_time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.page_timing import page_arguments, setup_django, time_pages  # noqa: E402  (after the sys.path fix)

MEMBERS, REPOSITORIES, ITEMS_PER_REPOSITORY, PAST_SPRINTS = 20, 5, 400, 52
PER_SPRINT, DONE_PER_SPRINT = 5, 4
PAGES = (
    ("team page", "/teams/{slug}/", 200.0),
    ("sprint page (current)", "/teams/{slug}/sprints/{current}/", 200.0),
    ("sprint page (a past sprint)", "/teams/{slug}/sprints/{past}/", 200.0),
    ("history series (API)", "/api/v1/teams/{slug}/history/", 300.0),
    ("sprint figures (API)", "/api/v1/teams/{slug}/sprints/current/figures/", 300.0),
)


def _register(scratch: str) -> list:
    """Five repositories with 400 items each (every status), linked to files under app/."""
    from tests.bench_data import bench_debt_items, bench_repository

    repositories = []
    for index in range(REPOSITORIES):
        repository = bench_repository(path=os.path.join(scratch, f"repo{index}"), name=f"repo{index}")
        bench_debt_items(repository=repository, paths=[f"app/mod{i:04d}.py" for i in range(ITEMS_PER_REPOSITORY)],
                         count=ITEMS_PER_REPOSITORY)
        repositories.append(repository)
    return repositories


def _team(lead, repositories: list):
    """The team: 20 members, an area per repository, 2-week sprints from 52 sprints ago, 20 % budget."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from sprints.services.budgets import team_budget_set
    from sprints.services.cadence import sprint_generate
    from sprints.services.teams import team_area_add, team_create, team_member_add

    first_day = timezone.localdate() - timedelta(weeks=2 * PAST_SPRINTS, days=3)  # today: day 4 of sprint 53
    team = team_create(actor=lead, name="Bench", first_day=first_day, lead_capacity_hours=30)
    for index in range(MEMBERS - 1):
        user = get_user_model().objects.create_user(f"member{index:02d}", password=None)
        team_member_add(team=team, actor=lead, user_id=user.pk, capacity_hours=30)
    for index, repository in enumerate(repositories):
        team_area_add(team=team, actor=lead, repository_id=repository.pk, path_prefix="" if index else "app/")
    team_budget_set(team=team, actor=lead, mode="share", share_percent=20, carry_over=True, carry_cap_hours=20)
    sprint_generate(team=team, actor=lead)
    return team


def _history(team, lead) -> None:
    """Schedule 5 accepted items into each sprint up to the current one; finish 4 of each past sprint's."""
    from django.utils import timezone

    from debt.selectors.items import debt_item_get, debt_item_list
    from debt.services.lifecycle import debt_item_transition
    from sprints.selectors.teams import sprint_get, sprint_list
    from sprints.services.alerts import sprint_alerts_run
    from sprints.services.scheduling import sprint_item_schedule
    from tests.sprint_bench_data import bench_backdate_transitions

    accepted = iter(list(debt_item_list(status=["accepted"]).values_list("pk", flat=True)))
    today = timezone.localdate()
    for info in sprint_list(slug=team.slug, user=None, state="past") + sprint_list(slug=team.slug, user=None,
                                                                                   state="current"):
        sprint = sprint_get(team=team, number=info.number)
        middle = timezone.make_aware(datetime.combine(info.start + timedelta(days=info.days // 2), day_time(12)))
        moment = min(middle, timezone.now())
        for index in range(PER_SPRINT):
            item_id = next(accepted)
            sprint_item_schedule(sprint=sprint, item_id=item_id, actor=lead, now=moment)
            if info.end < today and index < DONE_PER_SPRINT:
                debt_item_transition(item=debt_item_get(item_id=item_id), to_status="done", actor=lead)
                bench_backdate_transitions(item_id=item_id, at=moment)
    sprint_alerts_run(team_slug=team.slug)


def main(argv: list[str] | None = None) -> int:
    """Build the team, time its pages and print a table of medians; return 1 when a target is missed."""
    args = page_arguments(__doc__.splitlines()[0], argv)
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-sprints-") as scratch:
        setup_django(scratch)
        from django.contrib.auth import get_user_model
        from django.test import Client

        from sprints.selectors.teams import sprint_current

        started = time.perf_counter()
        lead = get_user_model().objects.create_user("lead", password=None)
        team = _team(lead, _register(scratch))
        _history(team, lead)
        current = sprint_current(team=team).number
        print(f"built {MEMBERS} members, {REPOSITORIES * ITEMS_PER_REPOSITORY:,} items, {current - 1} past sprints "
              f"in {time.perf_counter() - started:.1f} s (SQLite)")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(lead)
        pages = [(label, pattern.format(slug=team.slug, current=current, past=current - 1), target, {})
                 for label, pattern, target in PAGES]
        return time_pages(client, pages, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
