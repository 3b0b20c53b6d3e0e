"""Areas from real scans: CODEOWNERS handles map files to a team, area figures and snapshots after a scan."""
from datetime import timedelta

import pytest

from debt.services.lifecycle import debt_item_transition
from metrics.models import Scan
from metrics.selectors.areas import area_figures, paths_owned_by
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.signals import scan_finished
from sprints.models import SprintSnapshot
from sprints.selectors.history import team_history
from sprints.selectors.sprint_figures import sprint_figures
from sprints.selectors.teams import sprint_get
from sprints.services.scheduling import sprint_item_schedule
from sprints.services.scan_hooks import sprint_scan_receiver
from sprints.services.teams import team_area_add
from tests.gitrepo import BASE_DATE
from tests.sprints.conftest import make_item, make_team

pytestmark = pytest.mark.django_db

TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(12)) + \
    "    return b\n"


def scanned(git_repo):
    git_repo.commit("start", files={
        "CODEOWNERS": "* @acme/core\nbilling/ @acme/payments\n",
        "billing/pay.py": TANGLED, "billing/refund.py": "def refund():\n    return 1\n",
        "search/index.py": "def index():\n    return 2\n",
    }, date=BASE_DATE)
    git_repo.commit("more", files={"billing/pay.py": TANGLED + "\n\ndef later():\n    return 3\n"},
                    date=BASE_DATE + timedelta(days=2))
    repository = repository_create(source=str(git_repo.path), name="shop")
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.succeeded, scan.error
    return repository


def test_codeowners_handles_map_files_to_a_team(git_repo, lead):
    repository = scanned(git_repo)
    assert paths_owned_by(repository_id=repository.pk, handle="@ACME/payments") == {"billing/pay.py",
                                                                                    "billing/refund.py"}
    team = make_team(lead)
    team_area_add(team=team, actor=lead, repository_id=repository.pk, codeowners_handle="@acme/payments")
    inside = make_item(repository, effort=2, path="billing/refund.py")
    outside = make_item(repository, effort=5, path="search/index.py")
    for item in (inside, outside):
        debt_item_transition(item=item, to_status="done")
    figures = sprint_figures(slug=team.slug, user=lead)
    assert [line.item_id for line in figures.unplanned_items] == [inside.pk]
    assert figures.unplanned_items[0].areas == ("shop @acme/payments",)
    elsewhere = make_item(repository, effort=1, path="search/index.py")
    result = sprint_item_schedule(sprint=sprint_get(team=team), item_id=elsewhere.pk, actor=lead)
    assert result.warnings == ("item.outside_areas",)


def test_area_figures_and_the_sprint_snapshot_come_from_the_scan(git_repo, lead):
    assert sprint_scan_receiver in scan_finished._live_receivers(Scan)[0]  # connected by sprints' ready()
    team = make_team(lead)
    repository = scanned(git_repo)  # no area yet: the scan refreshed nothing
    assert not SprintSnapshot.objects.exists()
    figures = area_figures(repository_id=repository.pk, handles=["@acme/payments"])
    assert figures.files == 2 and figures.hotspot_score_sum > 0 and figures.mean_health < 10
    assert area_figures(repository_id=repository.pk, path_prefixes=["search/"]).files == 1

    team_area_add(team=team, actor=lead, repository_id=repository.pk, codeowners_handle="@acme/payments")
    make_item(repository, effort=3, path="billing/pay.py")
    git_repo.commit("touch", files={"search/index.py": "def index():\n    return 4\n"},
                    date=BASE_DATE + timedelta(days=3))
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.succeeded and "listener_errors" not in (scan.counts or {})
    snapshot = SprintSnapshot.objects.get(sprint=sprint_get(team=team))
    assert (snapshot.final, snapshot.files, snapshot.open_principal_hours) == (False, 2, 3.0)
    assert snapshot.mean_health == figures.mean_health
    row = team_history(slug=team.slug, user=lead).rows[-1]
    assert row.snapshot.hotspot_score_sum == snapshot.hotspot_score_sum
