"""Explanations name the constraint that binds, and the edge cases answer with a clear status and reason."""
import pytest

from sprints.core.errors import DuplicateId, InvalidPlanningInput, UnknownReference
from sprints.core.planner import solve
from sprints.core.planning_data import (
    AssigneeReason, Candidate, ChosenReason, Constraints, LeftOutReason, Owner, Participant, Plan, PlanStatus,
)

ANN = Participant("ann", 8, areas=("core",))
BOB = Participant("bob", 8, areas=("web",))


def _left(plan: Plan, item_id: str) -> LeftOutReason:
    return next(item.reason for item in plan.left_out if item.id == item_id)


@pytest.mark.parametrize(("candidates", "constraints", "item", "reason"), [
    ([Candidate("a", 5, 1, excluded=True)], Constraints(), "a", LeftOutReason.EXCLUDED),
    ([Candidate("a", 5, 1, excluded=True), Candidate("b", 50, 1, depends_on=("a",))], Constraints(), "b",
     LeftOutReason.DEPENDENCY),
    ([Candidate("a", 5, 1, excluded=True, groups=("g",)), Candidate("b", 50, 1, groups=("g",))], Constraints(),
     "b", LeftOutReason.COUPLING_GROUP),
    ([Candidate("a", 50, 5), Candidate("b", 40, 5)], Constraints(total_capacity=8), "b",
     LeftOutReason.CAPACITY),
    ([Candidate("a", 50, 3, paths=("core/a.py",)), Candidate("b", 40, 3, paths=("core/b.py",))],
     Constraints(area_caps=(("core", 4),)), "b", LeftOutReason.AREA_CAP),
    ([Candidate("a", 50, 7), Candidate("b", 1, 2), Candidate("c", 5, 1, depends_on=("b",))],
     Constraints(total_capacity=8), "c", LeftOutReason.DEPENDENCY),
    ([Candidate("a", 50, 7), Candidate("b", 5, 2, groups=("g",)), Candidate("c", 5, 1, groups=("g",))],
     Constraints(total_capacity=8), "c", LeftOutReason.COUPLING_GROUP),
    ([Candidate("a", 50, 20)], Constraints(), "a", LeftOutReason.TOO_LARGE),
    ([Candidate("a", 50, 5), Candidate("b", 40, 5), Candidate("c", 30, 5)], Constraints(), "c",
     LeftOutReason.PARTICIPANT_CAPACITY),
    ([Candidate("a", 0, 1)], Constraints(), "a", LeftOutReason.NO_VALUE),
])
def test_left_out_item_names_the_binding_constraint(candidates: list[Candidate], constraints: Constraints,
                                                    item: str, reason: LeftOutReason) -> None:
    plan = solve(candidates, [ANN, BOB], constraints)
    assert plan.status is PlanStatus.OPTIMAL
    assert _left(plan, item) is reason


def test_left_out_because_its_dependency_is_excluded_says_dependency() -> None:
    plan = solve([Candidate("a", 5, 1, excluded=True), Candidate("b", 50, 1, depends_on=("a",))], [ANN])
    left = next(item for item in plan.left_out if item.id == "b")
    assert left.reason is LeftOutReason.DEPENDENCY
    assert left.related == ("a",) and "depends on a" in left.explanation and "excluded" in left.explanation


def test_chosen_item_goes_to_its_main_developer_and_says_so() -> None:
    item = Candidate("a", 5, 2, paths=("web/a.py",), owners=(Owner("bob", 0.6), Owner("ann", 0.3)))
    plan = solve([item], [ANN, BOB])
    chosen = plan.chosen[0]
    assert (chosen.assignee, chosen.why, chosen.assignee_reason) == ("bob", ChosenReason.VALUE,
                                                                     AssigneeReason.MAIN_DEVELOPER)
    assert "share 60%" in chosen.explanation


def test_main_developer_without_room_falls_back_to_a_co_owner() -> None:
    item = Candidate("a", 5, 6, owners=(Owner("bob", 0.6), Owner("ann", 0.3)))
    plan = solve([item], [ANN, Participant("bob", 4)])
    assert (plan.chosen[0].assignee, plan.chosen[0].assignee_reason) == ("ann", AssigneeReason.CO_OWNER)


def test_nobody_knowing_the_item_is_a_capacity_fallback() -> None:
    plan = solve([Candidate("a", 5, 2, paths=("docs/a.md",))], [ANN])
    assert plan.chosen[0].assignee_reason is AssigneeReason.CAPACITY_FALLBACK


def test_area_knowledge_wins_over_none() -> None:
    plan = solve([Candidate("a", 5, 2, paths=("web/a.py",))], [ANN, BOB])
    assert (plan.chosen[0].assignee, plan.chosen[0].assignee_reason) == ("bob", AssigneeReason.AREA)


def test_pair_islands_pairs_the_owner_and_splits_the_effort() -> None:
    island = Candidate("a", 5, 4, owners=(Owner("ann", 0.9),))
    plan = solve([island], [ANN, BOB], Constraints(pair_islands=True))
    chosen = plan.chosen[0]
    assert (chosen.assignee, chosen.partner, chosen.assignee_reason) == ("ann", "bob", AssigneeReason.ISLAND_PAIR)
    assert {load.participant: load.hours for load in plan.loads} == {"ann": 2.0, "bob": 2.0}


def test_pair_islands_hands_the_island_over_when_the_owner_is_full() -> None:
    island = Candidate("a", 5, 4, owners=(Owner("ann", 0.9),))
    plan = solve([island], [Participant("ann", 1), BOB], Constraints(pair_islands=True))
    assert (plan.chosen[0].assignee, plan.chosen[0].partner) == ("bob", None)
    assert plan.chosen[0].assignee_reason is AssigneeReason.ISLAND_HANDOVER


def test_without_pairing_the_island_owner_does_it_alone() -> None:
    plan = solve([Candidate("a", 5, 4, owners=(Owner("ann", 0.9),))], [ANN, BOB])
    assert (plan.chosen[0].assignee, plan.chosen[0].partner) == ("ann", None)


def test_pinned_and_required_items_say_why_they_are_in() -> None:
    plan = solve([Candidate("a", 1, 1), Candidate("b", 1, 1, pinned=True, depends_on=("a",))], [ANN])
    why = {item.id: item.why for item in plan.chosen}
    assert why == {"a": ChosenReason.REQUIRED, "b": ChosenReason.PINNED}


@pytest.mark.parametrize(("participants", "constraints", "reason"), [
    ([Participant("ann", 0)], Constraints(), "zero capacity: no participant has hours to give"),
    ([], Constraints(), "zero capacity: no participants"),
    ([ANN], Constraints(total_capacity=0), "zero capacity: the total capacity is 0 h"),
])
def test_zero_capacity_is_an_empty_plan_with_a_reason(participants: list[Participant], constraints: Constraints,
                                                      reason: str) -> None:
    plan = solve([Candidate("a", 5, 1)], participants, constraints)
    assert (plan.status, plan.reason, plan.chosen) == (PlanStatus.EMPTY, reason, ())


def test_no_candidates_is_an_empty_plan() -> None:
    plan = solve([], [ANN])
    assert (plan.status, plan.reason) == (PlanStatus.EMPTY, "no candidates to plan")


def test_pinned_over_capacity_is_infeasible_naming_the_pinned_items() -> None:
    candidates = [Candidate("a", 5, 6, pinned=True), Candidate("b", 5, 6, pinned=True), Candidate("c", 9, 1)]
    plan = solve(candidates, [ANN], Constraints())
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.infeasible_items == ("a", "b")
    assert "a, b" in plan.reason and "12 h" in plan.reason


def test_pinned_items_that_fit_in_total_but_not_per_person_are_infeasible() -> None:
    candidates = [Candidate("a", 5, 5, pinned=True), Candidate("b", 5, 5, pinned=True),
                  Candidate("c", 5, 5, pinned=True)]
    plan = solve(candidates, [ANN, BOB])
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.infeasible_items == ("a", "b", "c")


def test_pinned_item_needing_an_excluded_one_is_infeasible() -> None:
    plan = solve([Candidate("a", 5, 1, excluded=True), Candidate("b", 5, 1, pinned=True, depends_on=("a",))], [ANN])
    assert plan.status is PlanStatus.INFEASIBLE and "need a" in plan.reason


def test_participant_with_zero_capacity_gets_nothing() -> None:
    item = Candidate("a", 5, 1, owners=(Owner("zed", 1.0),))
    plan = solve([item], [Participant("zed", 0), BOB])
    assert plan.chosen[0].assignee == "bob"
    assert {load.participant: load.items for load in plan.loads}["zed"] == ()


@pytest.mark.parametrize(("candidates", "participants", "error", "ids"), [
    ([Candidate("a", 1, 1), Candidate("a", 2, 1)], [ANN], DuplicateId, ("a",)),
    ([Candidate("a", 1, 1)], [ANN, ANN], DuplicateId, ("ann",)),
])
def test_duplicate_ids_are_refused(candidates: list, participants: list, error: type, ids: tuple) -> None:
    with pytest.raises(error, match="duplicate") as raised:
        solve(candidates, participants)
    assert raised.value.ids == ids


@pytest.mark.parametrize(("candidate", "error"), [
    (Candidate("a", 1, 0), InvalidPlanningInput),
    (Candidate("a", float("nan"), 1), InvalidPlanningInput),
    (Candidate("a", -1, 1), InvalidPlanningInput),
    (Candidate("a", 1, 1, owners=(Owner("x", 1.5),)), InvalidPlanningInput),
    (Candidate("a", 1, 1, pinned=True, excluded=True), InvalidPlanningInput),
    (Candidate("a", 1, 1, depends_on=("missing",)), UnknownReference),
])
def test_bad_input_is_refused(candidate: Candidate, error: type) -> None:
    with pytest.raises(error):
        solve([candidate], [ANN])


def test_plan_round_trips_through_json() -> None:
    candidates = [Candidate("a", 5, 2, owners=(Owner("ann", 0.9),)), Candidate("b", 4, 20)]
    plan = solve(candidates, [ANN, BOB], Constraints(pair_islands=True))
    assert Plan.from_json(plan.as_json()) == plan
