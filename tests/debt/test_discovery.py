"""Discovery after scans: proposals from markers, hotspots and knowledge islands, never twice."""
import pytest

from debt.data import LocationSpec
from debt.errors import NotAProposal
from debt.models import DebtItem
from debt.selectors.proposals import debt_proposal_list
from debt.services.discovery import debt_item_discover
from debt.services.items import debt_item_create
from debt.services.proposals import (
    debt_proposal_accept,
    debt_proposal_bulk_accept,
    debt_proposal_bulk_dismiss,
    debt_proposal_dismiss,
)
from tests.debt.factories import T0, days, make_file, make_repository, make_scan, make_scores, make_user
from tests.gitrepo import BASE_DATE


def first_scan(repository):
    scan = make_scan(repository, committed_at=T0)
    make_file(scan, "app/core.py", markers=[("TODO", 12, "cover more cases"), ("FIXME", 40, "off by one")])
    make_file(scan, "app/util.py", markers=[("HACK", 3, "work around the old API")])
    make_scores(scan, "app/core.py", hotspot_score=80, hotspot_rank=1, revisions=9, authors=3, health=3.5)
    make_scores(scan, "app/util.py", hotspot_score=55, hotspot_rank=2, revisions=4, authors=1, health=7,
                is_knowledge_island=True, main_author="Ada", ownership_share=0.93)
    make_scores(scan, "app/cold.py", hotspot_score=10, hotspot_rank=3)
    return scan


def second_scan(repository):
    """The same code a week later: markers moved down, edited cosmetically, and one new marker."""
    scan = make_scan(repository, committed_at=T0 + days(7))
    make_file(scan, "app/core.py", markers=[
        ("TODO", 20, "Cover   more cases."), ("FIXME", 48, "off by one"), ("XXX", 60, "why does this work"),
    ])
    make_file(scan, "app/util.py", markers=[("HACK", 3, "work around the old API")])
    make_scores(scan, "app/core.py", hotspot_score=85, hotspot_rank=1)
    make_scores(scan, "app/util.py", hotspot_score=56, hotspot_rank=2, is_knowledge_island=True)
    return scan


@pytest.fixture
def discovered(db):
    """Discovery after the first scan: (repository, the proposals)."""
    repository = make_repository()
    result = debt_item_discover(scan=first_scan(repository))
    assert (result.created, result.markers, result.hotspots, result.islands) == (6, 3, 2, 1)
    return repository, debt_proposal_list(repository=repository)


def test_the_first_scan_proposes_markers_hotspots_and_islands(discovered):
    _repository, proposals = discovered
    titles = sorted(item.title for item in proposals)
    assert titles == [
        "FIXME: off by one", "HACK: work around the old API", "Hotspot: app/core.py", "Hotspot: app/util.py",
        "Knowledge island: app/util.py", "TODO: cover more cases",
    ]
    assert all(item.priority > 0 for item in proposals)


def test_a_marker_proposal_carries_its_tag_line_location_and_label(discovered):
    _repository, proposals = discovered
    todo = proposals.get(title="TODO: cover more cases")
    assert (todo.source, todo.signal, todo.status, todo.marker_tag, todo.marker_line) == (
        "marker", "marker", "proposed", "TODO", 12)
    assert [(loc.path, loc.line_start) for loc in todo.locations.all()] == [("app/core.py", 12)]
    assert [label.name for label in todo.labels.all()] == ["todo"]


def test_a_knowledge_island_is_proposed_as_documentation_with_the_owners_share(discovered):
    _repository, proposals = discovered
    island = proposals.get(signal="knowledge_island")
    assert island.kind == "documentation" and "93%" in island.description


def test_discovery_across_two_scans_never_proposes_twice(discovered):
    repository, proposals = discovered
    todo = proposals.get(title="TODO: cover more cases")
    again = debt_item_discover(scan=second_scan(repository))
    assert (again.created, again.markers, again.already_known) == (1, 1, 3)
    assert DebtItem.objects.filter(repository=repository).count() == 7
    assert DebtItem.objects.get(marker_tag="XXX").title == "XXX: why does this work"
    todo.refresh_from_db()
    assert todo.marker_line == 20  # follows the marker, identity unchanged


@pytest.mark.django_db
def test_a_dismissed_proposal_stays_dismissed_across_scans():
    repository = make_repository()
    debt_item_discover(scan=first_scan(repository))
    reviewer = make_user("reviewer")
    fixme = DebtItem.objects.get(marker_tag="FIXME")
    debt_proposal_dismiss(item=fixme, actor=reviewer, reason="intended behaviour")
    hotspots = list(DebtItem.objects.filter(signal="hotspot").values_list("pk", flat=True))
    result = debt_proposal_bulk_dismiss(item_ids=[*hotspots, fixme.pk], actor=reviewer)
    assert sorted(result.changed) == sorted(hotspots) and result.skipped == (fixme.pk,)

    debt_item_discover(scan=second_scan(repository))
    fixme.refresh_from_db()
    assert (fixme.status, fixme.dismissed) == ("wont_fix", True)
    assert DebtItem.objects.filter(marker_tag="FIXME").count() == 1
    assert DebtItem.objects.filter(signal="hotspot", status="wont_fix", dismissed=True).count() == 2
    assert fixme.transitions.get().note == "intended behaviour"


@pytest.mark.django_db
def test_accepting_proposals_one_or_many():
    repository = make_repository()
    debt_item_discover(scan=first_scan(repository))
    owner = make_user("owner")
    todo = DebtItem.objects.get(marker_tag="TODO")
    debt_proposal_accept(item=todo, actor=owner, impact=4, effort="2.5", owner=owner)
    todo.refresh_from_db()
    assert (todo.status, todo.impact, str(todo.effort), todo.owner) == ("accepted", 4, "2.50", owner)
    assert todo.priority == pytest.approx((2 * 4 + todo.interest) / 2.5, abs=1e-3)
    assert sorted(todo.changes.exclude(field="created").values_list("field", "old_value", "new_value", "actor")) == [
        ("effort", "1", "2.5", owner.pk), ("impact", "2", "4", owner.pk), ("owner", "", "owner", owner.pk)]
    with pytest.raises(NotAProposal) as caught:
        debt_proposal_accept(item=todo)
    assert caught.value.code == "debt_item.not_a_proposal"
    rest = list(debt_proposal_list(repository=repository).values_list("pk", flat=True))
    result = debt_proposal_bulk_accept(item_ids=[*rest, todo.pk], actor=owner)
    assert len(result.changed) == 5 and result.skipped == (todo.pk,)
    assert not debt_proposal_list(repository=repository).exists()


@pytest.mark.django_db
def test_a_manual_item_on_the_same_path_and_kind_suppresses_the_hotspot_proposal():
    repository = make_repository()
    debt_item_create(repository=repository, title="Rewrite the app package", kind="code",
                     locations=[LocationSpec("app/")])
    debt_item_create(repository=repository, title="util has no tests", kind="test",
                     locations=[LocationSpec("app/util.py")])
    result = debt_item_discover(scan=first_scan(repository))
    assert result.hotspots == 0 and result.suppressed == 2
    # The knowledge island is another kind of debt (documentation): still proposed.
    assert result.islands == 1
    assert not DebtItem.objects.filter(signal="hotspot").exists()


@pytest.mark.django_db
def test_marker_author_and_age_come_from_git_blame(git_repo):
    git_repo.commit("start", files={"app.py": "def f():\n    return 1\n"}, date=BASE_DATE)
    git_repo.commit("debt", files={"app.py": "def f():\n    # TODO: handle errors\n    return 1\n"},
                    author="Grace Hopper <grace@example.com>", date=BASE_DATE + days(30))
    git_repo.commit("more", files={"app.py": "def f():\n    # TODO: handle errors\n    return 2\n"},
                    date=BASE_DATE + days(60))
    repository = make_repository(path=str(git_repo.path))
    scan = make_scan(repository, commit_sha=git_repo.head(), committed_at=BASE_DATE + days(60))
    make_file(scan, "app.py", markers=[("TODO", 2, "handle errors")])
    make_file(scan, "missing.py", markers=[("TODO", 1, "not in git")])
    result = debt_item_discover(scan=scan)
    assert result.created == 2 and result.blame_failures == 1
    item = DebtItem.objects.get(marker_text="handle errors")
    assert (item.marker_author, item.marker_email) == ("Grace Hopper", "grace@example.com")
    assert item.marker_commit == git_repo.commits[1]
    assert item.marker_added_at == BASE_DATE + days(30)
    assert "Written by Grace Hopper on 2024-01-31" in item.description
    unblamed = DebtItem.objects.get(marker_text="not in git")
    assert unblamed.marker_author == "" and unblamed.marker_added_at is None


@pytest.mark.django_db
def test_blame_past_its_time_budget_is_deferred_and_a_later_scan_catches_up(git_repo, settings):
    git_repo.commit("debt", files={"app.py": "def f():\n    # TODO: handle errors\n    return 1\n"},
                    author="Grace Hopper <grace@example.com>", date=BASE_DATE)
    repository = make_repository(path=str(git_repo.path))
    scan = make_scan(repository, commit_sha=git_repo.head(), committed_at=BASE_DATE)
    make_file(scan, "app.py", markers=[("TODO", 2, "handle errors")])

    settings.DEBTBOARD_DEBT_BLAME_SECONDS = 0
    first = debt_item_discover(scan=scan)
    assert (first.created, first.blame_deferred, first.blame_caught_up) == (1, 1, 0)
    assert DebtItem.objects.get().marker_commit == ""

    settings.DEBTBOARD_DEBT_BLAME_SECONDS = 30
    later = make_scan(repository, commit_sha=git_repo.head(), committed_at=BASE_DATE + days(1))
    make_file(later, "app.py", markers=[("TODO", 2, "handle errors")])
    second = debt_item_discover(scan=later)
    assert (second.created, second.blame_caught_up) == (0, 1)
    item = DebtItem.objects.get()
    assert (item.marker_author, item.marker_commit) == ("Grace Hopper", git_repo.commits[0])
    assert "Written by Grace Hopper on 2024-01-01" in item.description


@pytest.mark.django_db
def test_files_past_the_blame_cap_are_deferred_not_failed(git_repo, settings):
    git_repo.commit("debt", files={"a.py": "# TODO: one\n", "b.py": "# FIXME: two\n"}, date=BASE_DATE)
    repository = make_repository(path=str(git_repo.path))
    scan = make_scan(repository, commit_sha=git_repo.head(), committed_at=BASE_DATE)
    make_file(scan, "a.py", markers=[("TODO", 1, "one")])
    make_file(scan, "b.py", markers=[("FIXME", 1, "two")])
    settings.DEBTBOARD_DEBT_MAX_BLAME_FILES = 1
    result = debt_item_discover(scan=scan)
    assert (result.created, result.blame_failures, result.blame_deferred) == (2, 0, 1)
    assert DebtItem.objects.get(marker_text="one").marker_author == "Ada Lovelace"
    assert DebtItem.objects.get(marker_text="two").marker_commit == ""
