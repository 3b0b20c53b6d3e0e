"""debt_item_planning_list: the plain facts of many items in two queries, in the register's order."""
from decimal import Decimal

import pytest

from debt.data import LocationSpec, PlanningItem
from debt.selectors.items import debt_item_list
from debt.selectors.planning import debt_item_planning_list, debt_item_titles
from debt.services.items import debt_item_create
from tests.debt.factories import make_repository

pytestmark = pytest.mark.django_db


def _make(repository, count: int, status: str = "accepted") -> list:
    return [debt_item_create(repository=repository, title=f"Item {n}", impact=1 + n % 5, effort=Decimal(1 + n % 4),
                             status=status, locations=[LocationSpec(path=f"b/{n}.py"), LocationSpec(path=f"a/{n}.py"),
                                                       LocationSpec(path=f"a/{n}.py", qualname="f")])
            for n in range(count)]


def test_planning_list_matches_the_full_items_in_order_and_paths(django_assert_num_queries):
    shop, other = make_repository("shop"), make_repository("other", path="/nonexistent/other")
    _make(shop, 12)
    _make(other, 5)
    _make(shop, 3, status="proposed")
    with django_assert_num_queries(2):
        found = debt_item_planning_list(repository_ids=[shop.pk, other.pk], statuses=["accepted", "planned"])
    expected = [PlanningItem(item_id=item.pk, repository_id=item.repository_id, title=item.title, status=item.status,
                             priority=item.priority, impact=item.impact, effort=item.effort,
                             paths=tuple(sorted({location.path for location in item.locations.all()})))
                for item in debt_item_list(repositories=[shop, other], status=["accepted", "planned"])]
    assert (found, len(found)) == (expected, 17)


def test_planning_list_of_nothing_asks_nothing_and_titles_skip_missing_ids(django_assert_num_queries):
    shop = make_repository("shop")
    first, second = _make(shop, 2)
    with django_assert_num_queries(0):
        assert debt_item_planning_list(repository_ids=[], statuses=["accepted"]) == []
    with django_assert_num_queries(1):
        titles = debt_item_titles(item_ids=[first.pk, second.pk, 99999])
    assert titles == {first.pk: "Item 0", second.pk: "Item 1"}
