"""Property tests: whatever the instance, no plan breaks a constraint, and greedy's never does either."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sprints.core.explain import build_plan
from sprints.core.greedy import solve_greedy
from sprints.core.planner import solve
from sprints.core.planning_data import Constraints, PlanStatus
from sprints.core.problem import prepare
from tests.sprints.core.planning_cases import assert_plan_valid, random_instance

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), items=st.integers(0, 40), people=st.integers(0, 5),
       pair=st.booleans())
def test_plan_never_breaks_a_constraint(seed: int, items: int, people: int, pair: bool) -> None:
    candidates, participants, constraints = random_instance(seed, items, people)
    constraints = Constraints(total_capacity=constraints.total_capacity, area_caps=constraints.area_caps,
                              pair_islands=pair, time_limit=1.0)
    plan = solve(candidates, participants, constraints)
    assert_plan_valid(plan, candidates, participants, constraints)
    assert plan.total_value >= plan.greedy_value - 1e-9


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), items=st.integers(1, 60), people=st.integers(1, 5))
def test_greedy_never_breaks_a_constraint(seed: int, items: int, people: int) -> None:
    candidates, participants, constraints = random_instance(seed, items, people)
    problem = prepare(candidates, participants, constraints)
    selection = solve_greedy(problem)
    if selection is None:
        return
    plan = build_plan(problem, selection, status=PlanStatus.FEASIBLE, solver="greedy", seconds=0.0,
                      greedy_value=0.0)
    assert_plan_valid(plan, candidates, participants, constraints)
