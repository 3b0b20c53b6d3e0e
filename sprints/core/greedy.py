"""The value-density heuristic: the solver's warm start, its floor, and the benchmark's yardstick.

Each candidate comes with its bundle (itself, its dependencies and coupling-group mates, transitively);
bundles are tried in order of value density (bundle value / bundle minutes, then value, then input order)
and a bundle is taken whole or not at all, when every item of it fits the total capacity, its area's cap
and some participant's remaining hours. Pinned items and what they require are placed first.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sprints.core.problem import Option, Problem, blocked_by

Selection = dict[int, Option]


@dataclass
class Room:
    """What is left: minutes per participant, in total and per capped area; the items placed so far."""

    participants: list[int]
    total: int
    areas: dict[str, int]
    chosen: Selection = field(default_factory=dict)

    @classmethod
    def of(cls, problem: Problem, selection: Selection | None = None) -> "Room":
        """The room `problem` leaves once `selection` is placed."""
        room = cls(list(problem.capacities), problem.total_minutes, dict(problem.area_caps))
        for item, option in (selection or {}).items():
            room.book(problem, item, option)
        return room

    def book(self, problem: Problem, item: int, option: Option) -> None:
        for participant, minutes in option.loads:
            self.participants[participant] -= minutes
        self.total -= problem.minutes[item]
        area = problem.areas[item]
        if area in self.areas:
            self.areas[area] -= problem.minutes[item]
        self.chosen[item] = option

    def fits(self, problem: Problem, items: Iterable[int]) -> bool:
        """Do `items` fit the total capacity and the area caps (participants aside)?"""
        items = list(items)
        if sum(problem.minutes[i] for i in items) > self.total:
            return False
        needed: dict[str, int] = {}
        for i in items:
            needed[problem.areas[i]] = needed.get(problem.areas[i], 0) + problem.minutes[i]
        return all(minutes <= self.areas[area] for area, minutes in needed.items() if area in self.areas)


def best_option(problem: Problem, item: int, remaining: list[int]) -> Option | None:
    """The option for `item` that fits `remaining`: most knowledge first, then the most room left."""
    fitting = [o for o in problem.options[item] if all(remaining[p] >= m for p, m in o.loads)]
    if not fitting:
        return None
    return max(fitting, key=lambda o: (o.knowledge, min(remaining[p] - m for p, m in o.loads), -o.assignee))


def place(problem: Problem, room: Room, items: Iterable[int]) -> Selection | None:
    """Options for `items` within the participants' room (largest first), or None; `room` is not changed."""
    remaining = list(room.participants)
    placed: Selection = {}
    for item in sorted(items, key=lambda i: (-problem.minutes[i], i)):
        option = best_option(problem, item, remaining)
        if option is None:
            return None
        for participant, minutes in option.loads:
            remaining[participant] -= minutes
        placed[item] = option
    return placed


def try_add(problem: Problem, room: Room, items: Iterable[int]) -> bool:
    """Add `items` (those not yet chosen) to `room` if all of them fit; report whether they did."""
    missing = [i for i in items if i not in room.chosen]
    if any(blocked_by(problem, i) is not None for i in missing) or not room.fits(problem, missing):
        return False
    placed = place(problem, room, missing)
    if placed is None:
        return False
    for item, option in placed.items():
        room.book(problem, item, option)
    return True


def density_order(problem: Problem) -> list[int]:
    """Candidates by their bundle's value density, best first."""
    def key(item: int) -> tuple[float, int, int]:
        bundle = problem.bundles[item]
        value = sum(problem.values[i] for i in bundle)
        return (-value / sum(problem.minutes[i] for i in bundle), -problem.values[item], item)

    return sorted(range(problem.size), key=key)


def solve_greedy(problem: Problem) -> Selection | None:
    """The greedy plan, or None when it cannot even place the pinned items."""
    room = Room.of(problem)
    if not try_add(problem, room, sorted(problem.forced)):
        return None
    for item in density_order(problem):
        bundle = problem.bundles[item]
        if item not in room.chosen and sum(problem.values[i] for i in bundle) > 0:
            try_add(problem, room, bundle)
    return room.chosen
