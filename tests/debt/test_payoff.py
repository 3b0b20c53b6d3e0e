"""Paid-off detection: a removed marker or a function made simple flags the item for a person to confirm."""
import pytest

from debt.data import LocationSpec
from debt.errors import NoResolutionFlag
from debt.models import DebtItem
from debt.selectors.items import debt_item_list
from debt.services.discovery import debt_item_discover
from debt.services.items import debt_item_create
from debt.services.payoff import debt_item_detect_paid_off, debt_item_resolution_confirm, debt_item_resolution_reject
from tests.debt.factories import T0, days, make_commit, make_file, make_repository, make_scan, make_user


def scenario(repository):
    """Scan 1 has a TODO and a complex function; between scans Grace removes the TODO, Ada splits the function."""
    scan1 = make_scan(repository, committed_at=T0)
    make_file(scan1, "app/core.py", markers=[("TODO", 12, "cover more cases")])
    make_file(scan1, "app/parse.py", functions=[("Parser.parse", 14), ("Parser.__init__", 1)])
    debt_item_discover(scan=scan1)
    marker_item = DebtItem.objects.get(marker_tag="TODO")
    function_item = debt_item_create(repository=repository, title="Parser.parse is a maze",
                                     locations=[LocationSpec("app/parse.py", qualname="Parser.parse")])
    grace = make_commit(repository, when=T0 + days(2), author="Grace Hopper", email="grace@example.com",
                        subject="Cover the remaining cases", changes=[("M", "app/core.py")])
    ada = make_commit(repository, when=T0 + days(3), author="Ada", subject="Split parse",
                      changes=[("M", "app/parse.py")])
    make_commit(repository, when=T0 + days(30), author="Later", changes=[("M", "app/core.py")])
    scan2 = make_scan(repository, committed_at=T0 + days(7))
    make_file(scan2, "app/core.py")
    make_file(scan2, "app/parse.py", functions=[("Parser.parse", 6), ("Parser._tokens", 5)])
    return scan1, scan2, marker_item, function_item, grace, ada


@pytest.fixture
def flagged(db):
    """The scenario after the second scan's paid-off detection flagged both items."""
    repository = make_repository()
    scan1, scan2, marker_item, function_item, grace, ada = scenario(repository)
    assert debt_item_detect_paid_off(scan=scan2) == 2
    return repository, scan1, scan2, marker_item, function_item, grace, ada


def test_a_removed_marker_is_flagged_with_the_commit_that_removed_it(flagged):
    _repository, scan1, scan2, marker_item, _function_item, grace, _ada = flagged
    marker_item.refresh_from_db()
    evidence = marker_item.resolution_evidence
    assert marker_item.looks_resolved and marker_item.status == "proposed"
    assert evidence["kind"] == "marker_removed"
    assert (evidence["path"], evidence["tag"], evidence["text"]) == ("app/core.py", "TODO", "cover more cases")
    assert evidence["commit"]["sha"] == grace.sha and evidence["commit"]["author"] == "Grace Hopper"
    assert evidence["commit"]["subject"] == "Cover the remaining cases"
    assert (evidence["before"]["markers"], evidence["after"]["markers"]) == (1, 0)
    assert (evidence["previous_scan_id"], evidence["scan_id"]) == (scan1.pk, scan2.pk)


def test_a_simpler_function_is_flagged_with_its_complexity_before_and_after(flagged):
    repository, _scan1, _scan2, marker_item, function_item, _grace, ada = flagged
    function_item.refresh_from_db()
    evidence = function_item.resolution_evidence
    assert evidence["kind"] == "complexity_dropped" and evidence["qualname"] == "Parser.parse"
    assert (evidence["before"]["complexity"], evidence["after"]["complexity"], evidence["threshold"]) == (14, 6, 10)
    assert evidence["commit"]["sha"] == ada.sha
    assert set(debt_item_list(repository=repository, looks_resolved=True)) == {marker_item, function_item}


def test_confirm_moves_to_done_and_keeps_the_evidence(flagged):
    _repository, _scan1, _scan2, marker_item, _function_item, grace, _ada = flagged
    person = make_user("lead")
    done = debt_item_resolution_confirm(item=marker_item, actor=person)
    assert (done.status, done.looks_resolved) == ("done", False)
    transition = done.transitions.get()
    assert (transition.from_status, transition.to_status, transition.actor) == ("proposed", "done", person)
    assert transition.note == "paid off (marker_removed)"
    assert done.resolution_evidence["commit"]["sha"] == grace.sha  # kept for the record


def test_reject_is_not_raised_again_for_the_same_evidence(flagged):
    repository, _scan1, scan2, marker_item, function_item, _grace, ada = flagged
    person = make_user("lead")
    debt_item_resolution_confirm(item=marker_item, actor=person)  # and a confirmed (done) item is not flagged again
    rejected = debt_item_resolution_reject(item=function_item, actor=person, note="still a maze")
    assert not rejected.looks_resolved and rejected.status == "accepted"
    assert rejected.resolution_rejected_keys == [f"complexity_dropped:app/parse.py:Parser.parse:{ada.sha}"]
    with pytest.raises(NoResolutionFlag):
        debt_item_resolution_reject(item=function_item)

    assert debt_item_detect_paid_off(scan=scan2) == 0  # same evidence again: not raised
    scan3 = make_scan(repository, committed_at=T0 + days(14))
    make_file(scan3, "app/parse.py", functions=[("Parser.parse", 6)])
    assert debt_item_detect_paid_off(scan=scan3) == 0  # nothing new happened
    function_item.refresh_from_db()
    assert not function_item.looks_resolved
    assert list(function_item.changes.filter(field="resolution").values_list("new_value", flat=True)) == [
        "looks resolved (complexity_dropped)", "rejected: still a maze"]


@pytest.mark.django_db
def test_complexity_threshold_comes_from_the_repository_configuration():
    repository = make_repository(config={"max_complexity": 5})
    scan1, scan2, marker_item, function_item, grace, ada = scenario(repository)
    assert debt_item_detect_paid_off(scan=scan2) == 1  # the marker only: 6 is still above 5
    function_item.refresh_from_db()
    assert not function_item.looks_resolved


@pytest.mark.django_db
def test_a_marker_still_present_or_a_first_scan_flags_nothing():
    repository = make_repository()
    scan1 = make_scan(repository, committed_at=T0)
    make_file(scan1, "app/core.py", markers=[("TODO", 12, "cover more cases")])
    debt_item_discover(scan=scan1)
    assert debt_item_detect_paid_off(scan=scan1) == 0
    scan2 = make_scan(repository, committed_at=T0 + days(1))
    make_file(scan2, "app/core.py", markers=[("TODO", 30, "Cover more cases")])
    assert debt_item_detect_paid_off(scan=scan2) == 0
