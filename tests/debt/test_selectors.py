"""Reads for the UI and API: filters, one item, totals, the board, items of a file, bounded queries."""
from decimal import Decimal

import pytest

from debt.data import LocationSpec
from debt.errors import DebtItemInvalid, DebtItemNotFound
from debt.models import DebtItem
from debt.selectors.board import debt_board_columns
from debt.selectors.items import debt_item_choices, debt_item_get, debt_item_list, debt_item_list_for_path, label_list
from debt.selectors.totals import debt_totals_by_repository
from debt.services.items import debt_item_create
from debt.services.lifecycle import debt_item_transition
from tests.debt.factories import make_repository, make_user


@pytest.fixture
def register(db):
    demo, other = make_repository("demo"), make_repository("other")
    ada = make_user("ada")
    items = {
        "core": debt_item_create(repository=demo, title="Core", kind="design", impact=5, effort=2, owner=ada,
                                 labels=["core"], locations=[LocationSpec("app/core.py", qualname="run")]),
        "pkg": debt_item_create(repository=demo, title="Package", kind="test", impact=3, effort=4,
                                labels=["core", "tests"], locations=[LocationSpec("app/")]),
        "docs": debt_item_create(repository=demo, title="Docs", kind="documentation", impact=1, effort="1.5",
                                 status="proposed", locations=[LocationSpec("docs/guide.md")]),
        "other": debt_item_create(repository=other, title="Elsewhere", impact=2, effort=8,
                                  locations=[LocationSpec("app/core.py")]),
    }
    debt_item_transition(item=items["pkg"], to_status="planned")
    return demo, other, ada, items


def test_filters_by_repository_status_kind_and_label(register):
    demo, _other, _ada, items = register
    assert list(debt_item_list(repository=demo)) == [items["core"], items["pkg"], items["docs"]]
    assert list(debt_item_list(repository=demo, status="planned")) == [items["pkg"]]
    assert list(debt_item_list(status=["proposed", "planned"])) == [items["pkg"], items["docs"]]
    assert list(debt_item_list(kind="test")) == [items["pkg"]]
    assert list(debt_item_list(label="core")) == [items["core"], items["pkg"]]
    assert list(debt_item_list(label="TESTS")) == [items["pkg"]]


def test_filters_by_owner_source_and_search_and_ordering(register):
    demo, other, ada, items = register
    assert list(debt_item_list(owner=ada)) == [items["core"]]
    assert list(debt_item_list(owner=ada.pk)) == [items["core"]]
    assert list(debt_item_list(source="manual", repository=other)) == [items["other"]]
    assert list(debt_item_list(search="elsew")) == [items["other"]]
    assert list(debt_item_list(repository=demo, ordering="effort")) == [items["docs"], items["core"], items["pkg"]]
    with pytest.raises(DebtItemInvalid):
        debt_item_list(ordering="drop table")


def test_items_linked_to_a_path(register):
    demo, other, ada, items = register
    # A file: its own links and the folders holding it.
    assert list(debt_item_list_for_path(repository=demo, path="app/core.py")) == [items["core"], items["pkg"]]
    assert list(debt_item_list_for_path(repository=demo, path="app/sub/x.py")) == [items["pkg"]]
    # A folder: links to it and to anything below it.
    assert list(debt_item_list(repository=demo, path="app/")) == [items["core"], items["pkg"]]
    assert list(debt_item_list(repository=demo, path="docs/")) == [items["docs"]]
    assert list(debt_item_list(path="app/core.py")) == [items["core"], items["pkg"], items["other"]]


def test_list_costs_three_queries_whatever_its_length(register, django_assert_max_num_queries):
    demo = register[0]
    for n in range(20):
        debt_item_create(repository=demo, title=f"extra {n}", labels=["bulk", f"n{n}"],
                         locations=[LocationSpec(f"src/m{n}.py"), LocationSpec("src/")])
    with django_assert_max_num_queries(3):
        rows = [
            (item.repository.name, item.owner and item.owner.username, item.reporter,
             [label.name for label in item.labels.all()], [str(loc) for loc in item.locations.all()])
            for item in debt_item_list(repository=demo, label="bulk")
        ]
    assert len(rows) == 20 and rows[0][3][0] == "bulk"


def test_get_totals_board_and_labels(register, django_assert_max_num_queries):
    demo, other, ada, items = register
    item = debt_item_get(item_id=items["core"].pk)
    assert item.repository == demo and [loc.qualname for loc in item.locations.all()] == ["run"]
    for missing in (999999, "abc"):
        with pytest.raises(DebtItemNotFound) as caught:
            debt_item_get(item_id=missing)
        assert caught.value.code == "debt_item.not_found"
    with pytest.raises(DebtItemNotFound):
        debt_item_get(item_id=items["other"].pk, repository=demo)

    with django_assert_max_num_queries(1):
        totals = debt_totals_by_repository()
    assert (totals[demo.pk].open_count, totals[demo.pk].open_effort, totals[demo.pk].proposed_count) == (
        2, Decimal("6.00"), 1)
    assert totals[other.pk].open_effort == Decimal("8.00")

    columns = debt_board_columns(repository=demo)
    assert [(c.status, [i.title for i in c.items]) for c in columns] == [
        ("accepted", ["Core"]), ("planned", ["Package"]), ("in_progress", []), ("done", [])]
    assert columns[2].label == "in progress"
    assert [(label.name, label.item_count) for label in label_list()] == [("core", 2), ("tests", 1)]
    assert DebtItem.objects.count() == 4


def test_choices_for_forms():
    choices = debt_item_choices()
    assert [value for value, _ in choices["status"]] == [
        "proposed", "accepted", "planned", "in_progress", "done", "wont_fix"]
    assert ("wont_fix", "won't fix") in choices["status"]
    assert len(choices["kind"]) == 8 and [v for v, _ in choices["source"]] == ["manual", "hotspot", "marker", "ci"]


def test_board_columns_with_a_limit_keep_the_best_cards_and_count_the_rest(register, django_assert_max_num_queries):
    demo, other, ada, items = register
    for title, impact in (("Second", 4), ("Third", 2)):
        debt_item_create(repository=demo, title=title, impact=impact, effort=2)
    with django_assert_max_num_queries(4 * 4 + 1):  # per column: cards, labels, links, and a count when full
        columns = debt_board_columns(repository=demo, limit=2)
    assert [(c.status, [i.title for i in c.items], c.total, c.hidden) for c in columns] == [
        ("accepted", ["Core", "Second"], 3, 1), ("planned", ["Package"], 1, 0),
        ("in_progress", [], 0, 0), ("done", [], 0, 0)]
    unlimited = debt_board_columns(repository=demo)
    assert [(c.total, c.hidden) for c in unlimited] == [(3, 0), (1, 0), (0, 0), (0, 0)]
    assert [c.status for c in debt_board_columns(repository=demo, statuses=["planned"], limit=2)] == ["planned"]
