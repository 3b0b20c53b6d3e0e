"""The planning page's reads cost a bounded number of queries, whatever the number of candidates and their links."""
from datetime import date

import pytest

from debt.data import LocationSpec
from debt.services.items import debt_item_create
from sprints.selectors.refactorathons import refactorathon_candidates, refactorathon_info, refactorathon_plan_get
from sprints.services.refactorathon_plans import refactorathon_plan
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_item_choose,
    refactorathon_participant_add,
)
from tests.debt.factories import make_repository
from tests.sprints.conftest import make_user

pytestmark = pytest.mark.django_db


def _items(repository, count: int, *, status: str = "accepted", folder: str = "app") -> list:
    """`count` items, each linked to two files (and the second one twice: one path, two functions)."""
    return [debt_item_create(repository=repository, title=f"{folder} item {n}", effort=1 + n % 3, impact=1 + n % 5,
                             status=status, locations=[LocationSpec(path=f"{folder}/m{n}.py"),
                                                       LocationSpec(path=f"{folder}/n{n}.py", qualname="f"),
                                                       LocationSpec(path=f"{folder}/n{n}.py", qualname="g")])
            for n in range(count)]


def _event(count: int):
    """An event over shop:app/ and the whole of billing, two participants, one pin, `count` items per folder."""
    lead, bob = make_user("lead"), make_user("bob")
    shop, billing = make_repository("shop"), make_repository("billing", path="/nonexistent/billing")
    event = refactorathon_create(actor=lead, name="Week", start=date(2024, 3, 4), end=date(2024, 3, 8),
                                 scope=[(shop.pk, ["app/"]), (billing.pk, [])])
    for person in (lead, bob):
        refactorathon_participant_add(event=event, actor=lead, user_id=person.pk, hours=6, areas=["app/"])
    chosen = _items(shop, count)
    _items(shop, count, folder="docs")  # out of scope
    _items(billing, count, folder="lib")
    _items(shop, 2, status="proposed")  # open, not active: not candidates
    refactorathon_item_choose(event=event, actor=lead, item_id=chosen[0].pk, pinned=True)
    refactorathon_plan(event=event, actor=lead, expected_version=0)
    return event, lead, chosen


@pytest.mark.parametrize("count", [3, 25])
def test_planning_reads_cost_the_same_queries_for_few_and_many_items(count, django_assert_max_num_queries):
    """Candidates: the event, scope, conversions, items, their paths, choices, one repository per scope entry."""
    event, lead, chosen = _event(count)
    with django_assert_max_num_queries(8):
        candidates = refactorathon_candidates(slug=event.slug, user=lead)
    with django_assert_max_num_queries(3):
        plan = refactorathon_plan_get(slug=event.slug, user=lead)
    with django_assert_max_num_queries(5):
        refactorathon_info(slug=event.slug, user=lead)
    pinned = next(line for line in candidates.items if line.item_id == chosen[0].pk)
    assert (len(candidates.items), pinned.pinned, pinned.paths, plan is not None and len(plan.chosen) > 0) == (
        2 * count, True, ("app/m0.py", "app/n0.py"), True)


def test_candidates_are_in_scope_best_priority_first_with_their_choices():
    event, lead, chosen = _event(4)
    lines = refactorathon_candidates(slug=event.slug, user=lead).items
    plan = refactorathon_plan_get(slug=event.slug, user=lead)
    assignees = {line.item_id: line.assignee for line in plan.chosen}
    assert {
        "order": [line.item_id for line in lines],
        "folders": sorted({line.paths[0].split("/")[0] for line in lines}),
        "assignees": {line.item_id: line.assignee for line in lines if line.chosen},
        "titles": {line.item_id: line.title for line in plan.chosen},
    } == {
        "order": [line.item_id for line in sorted(lines, key=lambda line: (-line.value, line.item_id))],
        "folders": ["app", "lib"],
        "assignees": assignees,
        "titles": {line.item_id: next(c.title for c in lines if c.item_id == line.item_id) for line in plan.chosen},
    }
