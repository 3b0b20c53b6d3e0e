"""solve(): the exact planner (OR-Tools CP-SAT, warm-started and floored by greedy) returning a Plan."""
import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from sprints.core.explain import build_plan, empty_plan, infeasible_plan
from sprints.core.greedy import Room, Selection, solve_greedy
from sprints.core.planning_data import Candidate, Constraints, Participant, Plan, PlanStatus
from sprints.core.problem import Problem, blocked_by, objective, penalty, prepare


class _Model:
    """The CP-SAT model: x[i] item chosen, y[i][o] item done through option o (solo or pair)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.x = [self.model.new_bool_var(f"x{i}") for i in range(problem.size)]
        self.y = [[self.model.new_bool_var(f"y{i}_{o}") for o in range(len(options))]
                  for i, options in enumerate(problem.options)]
        self._items()
        self._capacities()
        self._objective()

    def _items(self) -> None:
        problem, model = self.problem, self.model
        for i, candidate in enumerate(problem.candidates):
            model.add(sum(self.y[i]) == self.x[i])
            if candidate.pinned:
                model.add(self.x[i] == 1)
            if candidate.excluded:
                model.add(self.x[i] == 0)
            for required in problem.requires[i]:
                model.add_implication(self.x[i], self.x[required])

    def _capacities(self) -> None:
        problem, model = self.problem, self.model
        model.add(sum(m * x for m, x in zip(problem.minutes, self.x)) <= problem.total_minutes)
        for area, cap in problem.area_caps.items():
            members = [i for i in range(problem.size) if problem.areas[i] == area]
            model.add(sum(problem.minutes[i] * self.x[i] for i in members) <= cap)
        self._loads()

    def _loads(self) -> None:
        problem, model = self.problem, self.model
        loads: list[list] = [[] for _ in problem.participants]
        for i, options in enumerate(problem.options):
            for o, option in enumerate(options):
                for participant, minutes in option.loads:
                    loads[participant].append(minutes * self.y[i][o])
        for participant, terms in enumerate(loads):
            if terms:
                model.add(sum(terms) <= problem.capacities[participant])

    def _objective(self) -> None:
        problem = self.problem
        value = sum(v * x for v, x in zip(problem.values, self.x))
        penalties = sum(penalty(problem, i, option) * self.y[i][o]
                        for i, options in enumerate(problem.options) for o, option in enumerate(options))
        self.model.maximize(problem.knowledge_weight * value - penalties)

    def hint(self, selection: Selection) -> None:
        for i, options in enumerate(self.problem.options):
            self.model.add_hint(self.x[i], i in selection)
            for o, option in enumerate(options):
                self.model.add_hint(self.y[i][o], selection.get(i) == option)

    def selection(self, solver: cp_model.CpSolver) -> Selection:
        return {i: self.problem.options[i][o] for i, row in enumerate(self.y) for o, var in enumerate(row)
                if solver.boolean_value(var)}


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
    room = Room.of(problem)
    if not room.fits(problem, forced):
        hours = sum(problem.minutes[i] for i in forced) / 60
        return infeasible_plan(problem, pinned, f"pinned items ({', '.join(pinned)}) and what they require "
                               f"need {hours:g} h, more than the capacity or an area cap allows")
    return None


def _solve_exact(problem: Problem, greedy: Selection | None) -> tuple[str, Selection | None, bool]:
    """Run CP-SAT; its status name, its selection (None without one) and whether the value is proven."""
    constraints = problem.constraints
    model = _Model(problem)
    if greedy is not None:
        model.hint(greedy)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = constraints.time_limit
    solver.parameters.num_workers = constraints.workers
    solver.parameters.random_seed = constraints.seed
    status = solver.solve(model.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.status_name(status), None, False
    selection = model.selection(solver)
    value = sum(problem.values[i] for i in selection)
    # Any plan worth one scaled unit more scores above W * value, so a bound at or below it proves the value.
    proven = status == cp_model.OPTIMAL or solver.best_objective_bound <= problem.knowledge_weight * value
    return solver.status_name(status), selection, proven


def _decide(problem: Problem, greedy: Selection | None, started: float) -> Plan:
    status_name, exact, proven = _solve_exact(problem, greedy)
    seconds = time.perf_counter() - started
    if status_name == "INFEASIBLE":
        pinned = tuple(c.id for c in problem.candidates if c.pinned)
        return infeasible_plan(problem, pinned, f"pinned items ({', '.join(pinned)}) cannot be shared out "
                               "within the participants' capacities", seconds=seconds)
    return _better(problem, exact, proven, greedy, seconds)


def _better(problem: Problem, exact: Selection | None, proven: bool, greedy: Selection | None,
            seconds: float) -> Plan:
    """The solver's plan unless greedy's scores higher or the solver found none: never worse than greedy."""
    greedy_value = sum(problem.candidates[i].value for i in greedy or {})
    if exact is not None and (greedy is None or objective(problem, exact) >= objective(problem, greedy)):
        status = PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE
        return build_plan(problem, exact, status=status, solver="cp-sat", seconds=seconds,
                          greedy_value=greedy_value)
    if greedy is not None:
        return build_plan(problem, greedy, status=PlanStatus.FEASIBLE, solver="greedy", seconds=seconds,
                          greedy_value=greedy_value)
    return empty_plan(problem, PlanStatus.UNKNOWN, "no plan found within the time limit: the pinned items "
                      "could not be shared out in time (raise the time limit)", seconds=seconds)


def solve(candidates: Sequence[Candidate], participants: Sequence[Participant],
          constraints: Constraints | None = None) -> Plan:
    """Choose the candidates worth most within capacity, assign each, and explain every decision."""
    started = time.perf_counter()
    problem = prepare(candidates, participants, constraints or Constraints())
    if not problem.candidates:
        return empty_plan(problem, PlanStatus.EMPTY, "no candidates to plan")
    conflict = _pinned_conflict(problem)
    if conflict is not None:
        return conflict
    if problem.total_minutes <= 0 or not any(problem.capacities):
        return empty_plan(problem, PlanStatus.EMPTY, "zero capacity: no participant has hours to give"
                          if not any(problem.capacities) else "zero capacity: the total capacity is 0 h")
    return _decide(problem, solve_greedy(problem), started)
