"""solve(): the exact planner (OR-Tools CP-SAT, warm-started and floored by greedy) returning a Plan.

The search runs in up to three CP-SAT phases within one time limit (docs/planning.md, "Solver"):
1. selection: which items, under every constraint except the per-participant ones (a relaxation);
2. assignment: who does each selected item, within each participant's hours, preferring knowledge;
   when it succeeds, phase 1's optimum is the optimum of the whole problem;
3. only when the selection cannot be shared out: the full model (selection and assignment together).
"""
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from sprints.core.explain import build_plan, empty_plan, infeasible_plan
from sprints.core.greedy import Room, Selection, place, solve_greedy
from sprints.core.planning_data import Candidate, Constraints, Participant, Plan, PlanStatus
from sprints.core.problem import Problem, blocked_by, objective, penalty, prepare

LinearExpr = cp_model.LinearExpr
# Measured on the benchmark instance: CP-SAT's presolve (dominance detection over ~75,000 derived clauses)
# took longer than solving the presolved model; without it the selection phase is proven optimal in ~1 s.
PRESOLVE = False
# Share of the time limit the assignment phase may use to improve the knowledge preference (a generalised
# assignment problem, slow to prove): the greedy placement it starts from is already a valid assignment.
ASSIGNMENT_SHARE = 0.05
# The workers' search strategies: the LP-heavy one suits these knapsack-like models (measured on the benchmark:
# selection proven optimal in 0.5 s instead of 1.6 s with the default portfolio of two workers).
SUBSOLVERS = ("max_lp", "default_lp")


class _Model:
    """A CP-SAT model over `items`: x[i] item chosen; with `assign`, y[i][o] item done through option o.

    Without `select` every item of `items` is fixed in (the assignment phase); without `assign` the
    per-participant capacities are left out (the selection phase).
    """

    def __init__(self, problem: Problem, items: Sequence[int], *, select: bool, assign: bool) -> None:
        self.problem, self.items, self.assign = problem, list(items), assign
        self.model = cp_model.CpModel()
        self.x = {i: self.model.new_bool_var(f"x{i}") for i in self.items}
        self.y = {i: [self.model.new_bool_var(f"y{i}_{o}") for o in range(len(problem.options[i]))]
                  for i in self.items} if assign else {}
        if select:
            self._selection()
        else:
            for var in self.x.values():
                self.model.add(var == 1)
        if assign:
            self._assignment()
        self._objective(select)

    def _selection(self) -> None:
        problem, model, x = self.problem, self.model, self.x
        for i in self.items:
            candidate = problem.candidates[i]
            if candidate.excluded or not problem.options[i]:
                model.add(x[i] == 0)
            if candidate.pinned:
                model.add(x[i] == 1)
            for required in problem.requires[i]:
                model.add_implication(x[i], x[required])
        self._at_most(self.items, problem.total_minutes)
        for area, cap in problem.area_caps.items():
            self._at_most([i for i in self.items if problem.areas[i] == area], cap)

    def _at_most(self, items: list[int], minutes: int) -> None:
        effort = LinearExpr.weighted_sum([self.x[i] for i in items], [self.problem.minutes[i] for i in items])
        self.model.add(effort <= minutes)

    def _assignment(self) -> None:
        problem = self.problem
        variables: list[list] = [[] for _ in problem.participants]
        minutes: list[list[int]] = [[] for _ in problem.participants]
        for i in self.items:
            self.model.add(LinearExpr.sum(self.y[i]) == self.x[i])
            for var, option in zip(self.y[i], problem.options[i]):
                for participant, booked in option.loads:
                    variables[participant].append(var)
                    minutes[participant].append(booked)
        for participant, terms in enumerate(variables):
            if terms:
                load = LinearExpr.weighted_sum(terms, minutes[participant])
                self.model.add(load <= problem.capacities[participant])

    def _objective(self, select: bool) -> None:
        """Selection alone: the scaled value. Otherwise value times the knowledge weight, less 1 per item
        worth nothing and each option's knowledge penalty."""
        problem = self.problem
        variables, weights = [], []
        if select:
            weight = problem.knowledge_weight if self.assign else 1
            variables = [self.x[i] for i in self.items]
            weights = [weight * problem.values[i] - (self.assign and problem.values[i] == 0) for i in self.items]
        for i, row in self.y.items():
            for var, option in zip(row, problem.options[i]):
                variables.append(var)
                weights.append(-penalty(problem, i, option))
        self.model.maximize(LinearExpr.weighted_sum(variables, weights))

    def hint(self, selection: Selection) -> None:
        for i in self.items:
            self.model.add_hint(self.x[i], i in selection)
            for var, option in zip(self.y.get(i, ()), self.problem.options[i]):
                self.model.add_hint(var, selection.get(i) == option)

    def read(self, solver: cp_model.CpSolver) -> Selection:
        """The solution as a selection (options are None in the selection phase)."""
        if not self.assign:
            return {i: None for i in self.items if solver.boolean_value(self.x[i])}  # type: ignore[misc]
        return {i: option for i in self.items for var, option in zip(self.y[i], self.problem.options[i])
                if solver.boolean_value(var)}


@dataclass
class _Outcome:
    """One CP-SAT run: status name, the solution (None without one), whether the value is proven best."""

    status: str
    selection: Selection | None = None
    proven: bool = False
    assignment_proven: bool = True


def _run(problem: Problem, model: _Model, seconds: float, *, weight: int) -> _Outcome:
    """Solve `model` within `seconds`; `weight` is what one scaled unit of value scores in its objective."""
    constraints = problem.constraints
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = constraints.workers
    solver.parameters.random_seed = constraints.seed
    solver.parameters.cp_model_presolve = PRESOLVE
    for name in SUBSOLVERS[:constraints.workers]:
        solver.parameters.subsolvers.append(name)
    status = solver.solve(model.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Outcome(solver.status_name(status))
    selection = model.read(solver)
    value = sum(problem.values[i] for i in selection)
    # Any plan worth one scaled unit more scores above weight * value, so a bound at or below it proves it.
    proven = status == cp_model.OPTIMAL or solver.best_objective_bound <= weight * value
    return _Outcome(solver.status_name(status), selection, proven, status == cp_model.OPTIMAL)


def _search(problem: Problem, greedy: Selection | None, deadline: float) -> _Outcome:
    """Selection, then assignment; the full model when the selection cannot be shared out."""
    every = range(problem.size)
    selecting = _Model(problem, every, select=True, assign=False)
    if greedy is not None:
        selecting.hint(greedy)
    chosen = _run(problem, selecting, deadline - time.perf_counter(), weight=1)
    if chosen.status == "INFEASIBLE" or chosen.selection is None:
        return chosen
    items = _drop_worthless(problem, set(chosen.selection))
    packed = place(problem, Room.of(problem), items)
    if packed is not None and not any(penalty(problem, i, option) for i, option in packed.items()):
        # Everyone got their best option: nothing for the assignment phase to improve.
        return _Outcome(chosen.status, packed, chosen.proven, True)
    assigning = _Model(problem, sorted(items), select=False, assign=True)
    if packed is not None:
        assigning.hint(packed)
    budget = min(deadline - time.perf_counter(), ASSIGNMENT_SHARE * problem.constraints.time_limit)
    assigned = _run(problem, assigning, budget, weight=1)
    if assigned.selection is not None:
        return _Outcome(chosen.status, assigned.selection, chosen.proven, assigned.assignment_proven)
    full = _Model(problem, every, select=True, assign=True)
    if greedy is not None:
        full.hint(greedy)
    return _run(problem, full, deadline - time.perf_counter(), weight=problem.knowledge_weight)


def _drop_worthless(problem: Problem, items: set[int]) -> set[int]:
    """`items` without the items worth nothing that no other chosen item requires (nor pinned)."""
    while True:
        needed = set().union(*(problem.requires[i] for i in items))
        pinned = {i for i in items if problem.candidates[i].pinned}
        worthless = {i for i in items - needed - pinned if problem.values[i] == 0}
        if not worthless:
            return items
        items -= worthless


def _pinned_conflict(problem: Problem) -> Plan | None:
    """An infeasible plan naming the pinned items when they cannot all be in (before any search)."""
    forced = problem.forced
    if not forced:
        return None
    pinned = tuple(c.id for c in problem.candidates if c.pinned)
    for item in sorted(forced):
        blocker = blocked_by(problem, item)
        if blocker is not None:
            return infeasible_plan(problem, pinned, f"pinned items need {problem.candidates[blocker].id}, "
                                   "which is excluded or larger than any participant's capacity")
    if not Room.of(problem).fits(problem, forced):
        hours = sum(problem.minutes[i] for i in forced) / 60
        return infeasible_plan(problem, pinned, f"pinned items ({', '.join(pinned)}) and what they require "
                               f"need {hours:g} h, more than the capacity or an area cap allows")
    return None


def _decide(problem: Problem, greedy: Selection | None, started: float) -> Plan:
    outcome = _search(problem, greedy, started + problem.constraints.time_limit)
    seconds = time.perf_counter() - started
    if outcome.status == "INFEASIBLE":
        pinned = tuple(c.id for c in problem.candidates if c.pinned)
        return infeasible_plan(problem, pinned, f"pinned items ({', '.join(pinned)}) cannot be shared out "
                               "within the participants' capacities", seconds=seconds)
    return _better(problem, outcome, greedy, seconds)


def _better(problem: Problem, outcome: _Outcome, greedy: Selection | None, seconds: float) -> Plan:
    """The solver's plan unless greedy's scores higher or the solver found none: never worse than greedy."""
    greedy_value = sum(problem.candidates[i].value for i in greedy or {})
    exact = outcome.selection
    if exact is not None and (greedy is None or objective(problem, exact) >= objective(problem, greedy)):
        status = PlanStatus.OPTIMAL if outcome.proven else PlanStatus.FEASIBLE
        notes = () if outcome.assignment_proven else (
            "the assignment's knowledge preference is the best found in the time limit, not proven best",)
        return build_plan(problem, exact, status=status, solver="cp-sat", seconds=seconds,
                          greedy_value=greedy_value, notes=notes)
    if greedy is not None:
        return build_plan(problem, greedy, status=PlanStatus.FEASIBLE, solver="greedy", seconds=seconds,
                          greedy_value=greedy_value)
    return empty_plan(problem, PlanStatus.UNKNOWN, "no plan found within the time limit: the pinned items "
                      "could not be shared out in time (raise the time limit)", seconds=seconds)


def _empty_reason(problem: Problem) -> str | None:
    if not problem.candidates:
        return "no candidates to plan"
    if not problem.participants:
        return "zero capacity: no participants"
    if not any(problem.capacities):
        return "zero capacity: no participant has hours to give"
    if problem.total_minutes <= 0:
        return "zero capacity: the total capacity is 0 h"
    return None


def solve(candidates: Sequence[Candidate], participants: Sequence[Participant],
          constraints: Constraints | None = None) -> Plan:
    """Choose the candidates worth most within capacity, assign each, and explain every decision."""
    started = time.perf_counter()
    problem = prepare(candidates, participants, constraints or Constraints())
    conflict = _pinned_conflict(problem)
    if conflict is not None:
        return conflict
    reason = _empty_reason(problem)
    if reason is not None:
        return empty_plan(problem, PlanStatus.EMPTY, reason)
    return _decide(problem, solve_greedy(problem), started)
