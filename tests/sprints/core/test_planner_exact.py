"""The planner against an exhaustive search on small instances, and against greedy on medium ones."""
import random

import pytest

from sprints.core.greedy import solve_greedy
from sprints.core.planner import solve
from sprints.core.planning_data import Constraints, PlanStatus
from sprints.core.problem import prepare
from tests.sprints.core.planning_cases import assert_plan_valid, brute_force_value, random_instance

SMALL = [(seed, 6 + seed % 9, 1 + seed % 4) for seed in range(36)]


@pytest.mark.parametrize(("seed", "items", "people"), SMALL)
def test_planner_value_equals_brute_force_on_small_instances(seed: int, items: int, people: int) -> None:
    candidates, participants, constraints = random_instance(seed, items, people)
    best = brute_force_value(candidates, participants, constraints)
    plan = solve(candidates, participants, constraints)
    assert_plan_valid(plan, candidates, participants, constraints)
    if best is None:
        assert plan.status in (PlanStatus.INFEASIBLE, PlanStatus.EMPTY)
    elif plan.status is PlanStatus.EMPTY:
        assert best == 0
    else:
        assert plan.status is PlanStatus.OPTIMAL
        assert plan.total_value == pytest.approx(best)


def test_planner_matches_brute_force_on_fourteen_items_with_pairing() -> None:
    candidates, participants, constraints = random_instance(1013, 14, 4)
    constraints = Constraints(total_capacity=constraints.total_capacity, area_caps=constraints.area_caps,
                              pair_islands=True)
    best = brute_force_value(candidates, participants, constraints)
    plan = solve(candidates, participants, constraints)
    assert_plan_valid(plan, candidates, participants, constraints)
    assert plan.total_value == pytest.approx(best)


def _medium(seed: int) -> tuple:
    rng = random.Random(seed)
    candidates, participants, constraints = random_instance(seed, rng.randint(100, 300), rng.randint(2, 6))
    participants = [p.__class__(p.id, capacity=p.capacity * 6, areas=p.areas) for p in participants]
    return candidates, participants, Constraints(area_caps=constraints.area_caps,
                                                 pair_islands=constraints.pair_islands, time_limit=2.0)


@pytest.mark.parametrize("seed", [3, 17, 29, 41])
def test_planner_is_never_below_greedy_on_medium_instances(seed: int) -> None:
    candidates, participants, constraints = _medium(seed)
    greedy = solve_greedy(prepare(candidates, participants, constraints)) or {}
    plan = solve(candidates, participants, constraints)
    assert_plan_valid(plan, candidates, participants, constraints)
    assert plan.total_value >= sum(candidates[i].value for i in greedy) - 1e-9
    assert plan.greedy_value == pytest.approx(sum(candidates[i].value for i in greedy))
    assert plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE, PlanStatus.INFEASIBLE)
