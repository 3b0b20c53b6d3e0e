"""Interest measured from the mined history of the linked code, and priorities recomputed in bulk."""
import pytest

from debt.data import LocationSpec
from debt.models import DebtItem
from debt.selectors.items import debt_item_list
from debt.services.interest import debt_item_recompute_priorities
from debt.services.items import debt_item_create
from debt.services.lifecycle import debt_item_transition
from tests.debt.factories import T0, days, make_commit, make_repository, make_scan, make_score


def build_history(repository):
    """A scan at T0 with scored files and 90 days of commits by several people (one outside, one a bot)."""
    scan = make_scan(repository, committed_at=T0)
    for path, revisions, hotspot, health, loc in [
        ("app/core.py", 6, 70.0, 4.0, 300),
        ("pkg/a.py", 2, 20.0, 8.0, 100),
        ("pkg/b.py", 3, 40.0, 6.0, 100),
        ("other.py", 9, 90.0, 2.0, 50),
    ]:
        make_score(scan, path, window_days=90, revisions=revisions, hotspot_score=hotspot / 2, health=health, loc=loc)
        make_score(scan, path, window_days=365, revisions=revisions * 2, hotspot_score=hotspot, health=health, loc=loc)
    make_commit(repository, when=T0 - days(10), author="Ada", changes=[("M", "app/core.py"), ("M", "pkg/a.py")])
    make_commit(repository, when=T0 - days(20), author="Grace", changes=[("M", "app/core.py")])
    make_commit(repository, when=T0 - days(5), author="dependabot[bot]", excluded=True,
                changes=[("M", "app/core.py")])
    make_commit(repository, when=T0 - days(100), author="Linus", changes=[("M", "app/core.py")])
    make_commit(repository, when=T0 - days(1), author="Hopper", changes=[("M", "pkg/b.py")])
    make_commit(repository, when=T0 + days(3), author="Future", changes=[("M", "pkg/b.py")])
    return scan


@pytest.fixture
def items(db):
    """A file item, a folder item and an item on a file no scan knows, made before any scan."""
    repository = make_repository()
    core = debt_item_create(repository=repository, title="Core rules are tangled", impact=3, effort=4,
                            locations=[LocationSpec("app/core.py")])
    folder = debt_item_create(repository=repository, title="pkg has no tests", impact=2, effort="0.5",
                              kind="test", locations=[LocationSpec("pkg/")])
    missing = debt_item_create(repository=repository, title="Old module", impact=1, effort=2,
                               locations=[LocationSpec("gone.py")])
    return repository, core, folder, missing


def recompute_after_scan(repository):
    """Scan the history of build_history and recompute: every open item is re-ranked."""
    scan = build_history(repository)
    assert debt_item_recompute_priorities(repository=repository) == 3
    return scan


def test_before_any_scan_the_priority_is_impact_alone(items):
    _repository, core, _folder, _missing = items
    assert core.interest_evidence["scan_id"] is None
    assert core.priority == pytest.approx(6 / 4)


def test_a_file_item_is_measured_from_its_file_history(items):
    repository, core, _folder, _missing = items
    scan = recompute_after_scan(repository)
    core.refresh_from_db()
    evidence = core.interest_evidence
    assert core.interest_scan_id == scan.pk
    assert (evidence["scan_id"], evidence["commit"], evidence["window_days"]) == (scan.pk, scan.commit_sha, 90)
    # 6 changes in 90 days; Ada and Grace (the bot is excluded, Linus is older than 90 days).
    assert (evidence["revisions"], evidence["authors"], evidence["health"], evidence["hotspot_score"]) == (
        6, 2, 4.0, 70.0)
    assert core.interest == pytest.approx(5.8167, abs=1e-4)
    assert core.priority == pytest.approx(2.9542, abs=1e-4)
    assert evidence["effort_unit"] == "hours" and evidence["effort"] == "4.00"


def test_a_folder_item_is_measured_from_the_files_below_it(items):
    repository, _core, folder, _missing = items
    recompute_after_scan(repository)
    folder.refresh_from_db()
    evidence = folder.interest_evidence
    # pkg/a.py + pkg/b.py: 5 changes, Ada and Hopper, LOC-weighted health 7, hottest file 40.
    assert (evidence["files"], evidence["revisions"], evidence["authors"], evidence["health"]) == (2, 5, 2, 7.0)
    assert evidence["hotspot_score"] == 40.0
    assert [p["path"] for p in evidence["paths"]] == ["pkg/b.py", "pkg/a.py"]
    assert folder.interest == pytest.approx(4.05, abs=1e-4)
    assert folder.priority == pytest.approx(8.05, abs=1e-4)  # effort 0.5 counts as one unit


def test_an_item_whose_files_were_not_scored_has_no_interest_and_says_why(items):
    repository, _core, _folder, missing = items
    recompute_after_scan(repository)
    missing.refresh_from_db()
    assert missing.interest == 0 and missing.priority == pytest.approx(1.0)
    assert missing.interest_evidence["reason"] == "No linked file was scored at this scan."


def test_the_list_is_ranked_by_the_recomputed_priorities(items):
    repository, core, folder, missing = items
    recompute_after_scan(repository)
    assert list(debt_item_list(repository=repository)) == [folder, core, missing]


@pytest.mark.django_db
def test_closed_items_keep_their_figures():
    repository = make_repository()
    item = debt_item_create(repository=repository, title="Core", locations=[LocationSpec("app/core.py")])
    debt_item_transition(item=item, to_status="done")
    build_history(repository)
    assert debt_item_recompute_priorities(repository=repository) == 0
    item.refresh_from_db()
    assert item.interest == 0 and item.interest_evidence["scan_id"] is None


@pytest.mark.django_db
def test_recompute_costs_the_same_few_queries_for_many_items(django_assert_max_num_queries):
    repository = make_repository()
    build_history(repository)
    DebtItem.objects.bulk_create([
        DebtItem(repository=repository, title=f"item {n}", created_at=T0, updated_at=T0) for n in range(40)
    ])
    for n, item in enumerate(DebtItem.objects.all()):
        item.locations.create(path="pkg/" if n % 2 else "app/core.py", original_path="x", created_at=T0)
    with django_assert_max_num_queries(7):
        assert debt_item_recompute_priorities(repository=repository) == 40
    assert DebtItem.objects.filter(interest__gt=0).count() == 40
