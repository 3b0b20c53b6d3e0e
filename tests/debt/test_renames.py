"""Links follow renames found by mining; discovered items keep their identity across a rename."""
import pytest

from debt.data import LocationSpec
from debt.models import DebtItem, DebtLocation
from debt.services.items import debt_item_create
from debt.services.renames import debt_item_follow_renames
from debt.services.scan_hooks import debt_after_scan
from tests.debt.factories import T0, days, make_commit, make_file, make_repository, make_scan


@pytest.mark.django_db
def test_a_linked_file_follows_a_chain_of_renames_and_keeps_its_original_path():
    repository = make_repository()
    make_commit(repository, when=T0 - days(30), changes=[("R", "lib/old.py", "app/core.py")])  # before the link
    make_scan(repository, committed_at=T0)
    item = debt_item_create(repository=repository, title="Core", locations=[LocationSpec("app/core.py")])
    untouched = debt_item_create(repository=repository, title="Other", locations=[LocationSpec("lib/old.py")])
    first = make_commit(repository, when=T0 + days(1), author="Grace",
                        changes=[("R", "app/core.py", "app/rules.py")])
    second = make_commit(repository, when=T0 + days(2), changes=[("R", "app/rules.py", "src/rules.py")])
    scan = make_scan(repository, committed_at=T0 + days(7))

    assert debt_item_follow_renames(scan=scan) == 1
    location = item.locations.get()
    assert (location.path, location.original_path, location.renamed_in) == (
        "src/rules.py", "app/core.py", second.sha)
    assert location.anchored_at == T0 + days(2)
    change = item.changes.get(field="location")
    assert change.old_value == "app/core.py"
    assert change.new_value == f"src/rules.py (renamed in {second.sha[:12]} by Ada Lovelace)"
    # The rename to app/core.py happened before the other link was made: not followed.
    assert untouched.locations.get().path == "lib/old.py"
    assert debt_item_follow_renames(scan=scan) == 0  # idempotent
    assert first.sha != second.sha


@pytest.mark.django_db
def test_a_folder_link_follows_its_files_when_the_whole_folder_moved():
    repository = make_repository()
    make_scan(repository, committed_at=T0)
    item = debt_item_create(repository=repository, title="pkg", locations=[LocationSpec("pkg/")])
    kept = debt_item_create(repository=repository, title="kept", locations=[LocationSpec("kept/")])
    make_commit(repository, when=T0 + days(1), changes=[
        ("R", "pkg/a.py", "lib/pkg/a.py"), ("R", "pkg/sub/b.py", "lib/pkg/sub/b.py"),
        ("R", "kept/x.py", "elsewhere/x.py"),
    ])
    scan = make_scan(repository, committed_at=T0 + days(2))
    make_file(scan, "lib/pkg/a.py")
    make_file(scan, "lib/pkg/sub/b.py")
    make_file(scan, "kept/y.py")  # the folder still exists: one file moving out does not move the link
    assert debt_item_follow_renames(scan=scan) == 1
    assert item.locations.get().path == "lib/pkg/"
    assert kept.locations.get().path == "kept/"


@pytest.mark.django_db
def test_a_marker_proposal_is_not_proposed_again_after_its_file_was_renamed():
    repository = make_repository()
    scan1 = make_scan(repository, committed_at=T0)
    make_file(scan1, "app/core.py", markers=[("TODO", 12, "cover more cases")])
    debt_after_scan(scan=scan1)
    item = DebtItem.objects.get()
    make_commit(repository, when=T0 + days(1), changes=[("R", "app/core.py", "app/engine.py")])
    scan2 = make_scan(repository, committed_at=T0 + days(2))
    make_file(scan2, "app/engine.py", markers=[("TODO", 14, "cover more cases")])
    result = debt_after_scan(scan=scan2)
    assert result.locations_renamed == 1
    assert result.discovery.created == 0 and result.flagged_resolved == 0
    item.refresh_from_db()
    assert item.locations.get().path == "app/engine.py" and item.marker_line == 14
    assert DebtLocation.objects.count() == 1 and not item.looks_resolved


@pytest.mark.django_db
def test_backfilled_and_unfinished_scans_leave_the_register_alone():
    repository = make_repository()
    backfill = make_scan(repository, committed_at=T0, current=False, backfill=True)
    make_file(backfill, "app/core.py", markers=[("TODO", 1, "old history")])
    result = debt_after_scan(scan=backfill)
    assert (result.scan_id, result.discovery.created, result.priorities_recomputed) == (backfill.pk, 0, 0)
    failed = make_scan(repository, committed_at=T0, current=False)
    failed.status = "failed"
    assert debt_after_scan(scan=failed).discovery.created == 0
    assert not DebtItem.objects.exists()
