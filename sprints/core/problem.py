"""The planning problem checked and put in integers: minutes, scaled values, bundles and assignment options."""
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sprints.core.errors import DuplicateId, InvalidPlanningInput, UnknownReference
from sprints.core.planning_data import ISLAND_SHARE, Candidate, Constraints, Participant

MINUTES_PER_HOUR = 60
# Values are multiplied by a power of ten that brings the largest into (10**5, 10**6].
VALUE_DIGITS = 6
# Knowledge points of a (participant, item) pair: 10 per whole share of the files, 2 for knowing the area.
SHARE_POINTS = 10
AREA_POINTS = 2
_FUZZ = 1e-9


class Option(NamedTuple):
    """One way to do an item: who books how many minutes, the assignee, the pair partner, knowledge points."""

    loads: tuple[tuple[int, int], ...]
    assignee: int
    partner: int | None
    knowledge: int


@dataclass(frozen=True)
class Problem:
    """The checked input in the solver's integer units, plus what every solver and explainer shares."""

    candidates: tuple[Candidate, ...]
    participants: tuple[Participant, ...]
    constraints: Constraints
    index: dict[str, int]
    values: tuple[int, ...]
    value_scale: float
    minutes: tuple[int, ...]
    capacities: tuple[int, ...]
    total_minutes: int
    areas: tuple[str, ...]
    area_caps: dict[str, int]
    requires: tuple[frozenset[int], ...]
    bundles: tuple[frozenset[int], ...]
    options: tuple[tuple[Option, ...], ...]
    shares: tuple[dict[int, float], ...]
    knows_area: tuple[frozenset[int], ...]
    island_owner: tuple[int | None, ...]
    best_knowledge: tuple[int, ...]
    knowledge_weight: int

    @property
    def size(self) -> int:
        return len(self.candidates)

    @property
    def forced(self) -> frozenset[int]:
        """Items that must be in: the pinned ones and everything they require."""
        return frozenset().union(*(self.bundles[i] for i, c in enumerate(self.candidates) if c.pinned))


def hours_to_minutes(hours: float, *, up: bool) -> int:
    """Hours as whole minutes, rounded up (efforts) or down (capacities) so a plan never overbooks."""
    minutes = hours * MINUTES_PER_HOUR
    return math.ceil(minutes - _FUZZ) if up else math.floor(minutes + _FUZZ)


def value_scale(values: Iterable[float]) -> float:
    """The power of ten that brings the largest value into (10**5, 10**6] (1 when every value is 0)."""
    top = max(values, default=0.0)
    if top <= 0:
        return 1.0
    return 10.0 ** (VALUE_DIGITS - math.ceil(math.log10(top)))


def _check_number(value: float, *, field: str, low: float = 0.0, strict: bool = False) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidPlanningInput(f"{field} must be a finite number, not {value!r}", field=field)
    if value < low or (strict and value == low):
        relation = "greater than" if strict else "at least"
        raise InvalidPlanningInput(f"{field} must be {relation} {low:g}, not {value!r}", field=field)


def _check_unique(ids: Sequence[str], *, field: str) -> None:
    for item_id in ids:
        if not isinstance(item_id, str) or not item_id:
            raise InvalidPlanningInput(f"every {field} needs a non-empty string id, not {item_id!r}", field=field)
    repeated = tuple(sorted(item_id for item_id, count in Counter(ids).items() if count > 1))
    if repeated:
        raise DuplicateId(f"duplicate {field} ids: {', '.join(repeated)}", field=field, ids=repeated)


def _check_candidate(candidate: Candidate, known: dict[str, int]) -> None:
    _check_number(candidate.value, field=f"candidate {candidate.id}: value")
    _check_number(candidate.effort, field=f"candidate {candidate.id}: effort", strict=True)
    for owner in candidate.owners:
        _check_number(owner.share, field=f"candidate {candidate.id}: share of {owner.author}")
        if owner.share > 1:
            raise InvalidPlanningInput(f"candidate {candidate.id}: share of {owner.author} is above 1",
                                       field="owners")
    if candidate.pinned and candidate.excluded:
        raise InvalidPlanningInput(f"candidate {candidate.id} is both pinned and excluded", field="pinned")
    unknown = [dep for dep in candidate.depends_on if dep not in known]
    if unknown:
        raise UnknownReference(f"candidate {candidate.id} depends on unknown candidates: {', '.join(unknown)}",
                               field="depends_on")


def _check_constraints(constraints: Constraints) -> None:
    if constraints.total_capacity is not None:
        _check_number(constraints.total_capacity, field="total capacity")
    for area, cap in constraints.area_caps:
        _check_number(cap, field=f"area cap of {area!r}")
    _check_number(constraints.pair_owner_share, field="pair owner share", strict=True)
    if constraints.pair_owner_share >= 1:
        raise InvalidPlanningInput("pair owner share must be below 1", field="pair_owner_share")
    _check_number(constraints.time_limit, field="time limit", strict=True)
    if constraints.workers < 1:
        raise InvalidPlanningInput("workers must be at least 1", field="workers")


def _closure(start: int, requires: Sequence[frozenset[int]]) -> frozenset[int]:
    seen = {start}
    stack = [start]
    while stack:
        for other in requires[stack.pop()]:
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return frozenset(seen)


def _requires(candidates: Sequence[Candidate], index: dict[str, int]) -> tuple[frozenset[int], ...]:
    """Direct requirements: dependencies, and the first member of each coupling group (a chain ties them)."""
    members: dict[str, list[int]] = {}
    for i, candidate in enumerate(candidates):
        for group in candidate.groups:
            members.setdefault(group, []).append(i)
    edges: list[set[int]] = [{index[dep] for dep in c.depends_on} for c in candidates]
    for group_members in members.values():
        for before, after in zip(group_members, group_members[1:]):
            edges[before].add(after)
            edges[after].add(before)
    for i, edge in enumerate(edges):
        edge.discard(i)
    return tuple(frozenset(edge) for edge in edges)


def _knowers(participants: tuple[Participant, ...]) -> list[tuple[int, frozenset[str], tuple[str, ...]]]:
    """Per participant who knows something: index, the areas and paths they know, those as folder prefixes."""
    return [(p, frozenset(participant.areas), tuple(known.rstrip("/") + "/" for known in participant.areas))
            for p, participant in enumerate(participants) if participant.areas]


def _knows_area(candidate: Candidate, knowers: list[tuple[int, frozenset[str], tuple[str, ...]]]) -> frozenset[int]:
    """The participants who know the item's area, or a folder or file of its paths."""
    area = candidate.area_key
    return frozenset(p for p, known, prefixes in knowers
                     if area in known or any(path in known or path.startswith(prefixes) for path in candidate.paths))


def _shares(candidate: Candidate, who: dict[str, list[int]]) -> dict[int, float]:
    """Each participant's share of the item's knowledge (their identities summed, at most 1)."""
    shares: dict[int, float] = {}
    for owner in candidate.owners:
        for p in who.get(owner.author, ()):
            shares[p] = min(1.0, shares.get(p, 0.0) + owner.share)
    return {p: share for p, share in shares.items() if share > 0}


def _island_owner(candidate: Candidate, participants: Sequence[Participant]) -> int | None:
    """The participant who alone holds more than ISLAND_SHARE of the item's knowledge, if any."""
    islanders = [owner.author for owner in candidate.owners if owner.share > ISLAND_SHARE]
    for p, participant in enumerate(participants):
        if islanders and islanders[0] in participant.identities:
            return p
    return None


def _options(minutes: int, capacities: Sequence[int], knowledge: Sequence[int], owner: int | None,
             owner_share: float) -> tuple[Option, ...]:
    """Every way to do an item; with an island `owner` (pairing on), never that owner alone."""
    solo = [Option(((p, minutes),), p, None, knowledge[p]) for p, cap in enumerate(capacities)
            if cap >= minutes and p != owner]
    if owner is None:
        return tuple(solo)
    owner_minutes = min(minutes, max(1, round(minutes * owner_share)))
    partner_minutes = minutes - owner_minutes
    if capacities[owner] < owner_minutes:
        return tuple(solo)
    pairs = [Option(((owner, owner_minutes), (q, partner_minutes)), owner, q, knowledge[owner])
             for q, cap in enumerate(capacities) if q != owner and cap >= partner_minutes]
    return tuple(pairs + solo)


def _validate(candidates: tuple[Candidate, ...], participants: tuple[Participant, ...],
              constraints: Constraints) -> dict[str, int]:
    """Refuse malformed input; the candidates' index by id."""
    _check_unique([c.id for c in candidates], field="candidate")
    _check_unique([p.id for p in participants], field="participant")
    index = {c.id: i for i, c in enumerate(candidates)}
    for candidate in candidates:
        _check_candidate(candidate, index)
    for participant in participants:
        _check_number(participant.capacity, field=f"participant {participant.id}: capacity")
    _check_constraints(constraints)
    return index


def _knowledge(shares: dict[int, float], knows: frozenset[int], people: int) -> list[int]:
    """Knowledge points per participant for one item."""
    return [round(SHARE_POINTS * shares.get(p, 0.0)) + AREA_POINTS * (p in knows) for p in range(people)]


def _total_minutes(capacities: tuple[int, ...], constraints: Constraints) -> int:
    total = sum(capacities)
    if constraints.total_capacity is not None:
        total = min(total, hours_to_minutes(constraints.total_capacity, up=False))
    return total


def _assignment(candidates: tuple[Candidate, ...], participants: tuple[Participant, ...],
                constraints: Constraints, minutes: tuple[int, ...], capacities: tuple[int, ...]) -> tuple:
    """Per item: participants' shares, who knows its area, its island owner (pairing on), its options."""
    who: dict[str, list[int]] = {}
    for p, participant in enumerate(participants):
        for author in dict.fromkeys(participant.identities):
            who.setdefault(author, []).append(p)
    shares = tuple(_shares(c, who) for c in candidates)
    knowers = _knowers(participants)
    knows = tuple(_knows_area(c, knowers) for c in candidates)
    owners = tuple(_island_owner(c, participants) if constraints.pair_islands else None for c in candidates)
    options = tuple(_options(minutes[i], capacities, _knowledge(shares[i], knows[i], len(participants)),
                             owners[i], constraints.pair_owner_share) for i in range(len(candidates)))
    return shares, knows, owners, options


def _best_knowledge(options: tuple[tuple[Option, ...], ...]) -> tuple[int, ...]:
    return tuple(max((o.knowledge for o in item), default=0) for item in options)


def prepare(candidates: Sequence[Candidate], participants: Sequence[Participant],
            constraints: Constraints) -> Problem:
    """Check the input and build the integer problem every solver works on."""
    candidates, participants = tuple(candidates), tuple(participants)
    index = _validate(candidates, participants, constraints)
    scale = value_scale(c.value for c in candidates)
    capacities = tuple(hours_to_minutes(p.capacity, up=False) for p in participants)
    requires = _requires(candidates, index)
    minutes = tuple(hours_to_minutes(c.effort, up=True) for c in candidates)
    shares, knows, owners, options = _assignment(candidates, participants, constraints, minutes, capacities)
    best = _best_knowledge(options)
    return Problem(
        candidates=candidates, participants=participants, constraints=constraints, index=index,
        values=tuple(round(c.value * scale) for c in candidates), value_scale=scale, minutes=minutes,
        capacities=capacities, total_minutes=_total_minutes(capacities, constraints),
        areas=tuple(c.area_key for c in candidates),
        area_caps={area: hours_to_minutes(cap, up=False) for area, cap in constraints.area_caps},
        requires=requires, bundles=tuple(_closure(i, requires) for i in index.values()),
        options=options, shares=shares, knows_area=knows, island_owner=owners,
        best_knowledge=best,
        knowledge_weight=1 + sum(1 + points for points in best),
    )


def penalty(problem: Problem, item: int, option: Option) -> int:
    """Knowledge points `option` gives up against the item's best option."""
    return problem.best_knowledge[item] - option.knowledge


def objective(problem: Problem, selection: dict[int, Option]) -> int:
    """The solver's objective: scaled value times the knowledge weight, less 1 per item worth nothing and
    the assignment penalties (together always below the weight, so value dominates)."""
    value = sum(problem.values[i] for i in selection)
    worthless = sum(1 for i in selection if problem.values[i] == 0)
    return problem.knowledge_weight * value - worthless - sum(penalty(problem, i, o) for i, o in selection.items())


def blocked_by(problem: Problem, item: int) -> int | None:
    """An item in `item`'s bundle that can never be chosen (excluded, or nobody can take it), if any."""
    for other in sorted(problem.bundles[item]):
        if problem.candidates[other].excluded or not problem.options[other]:
            return other
    return None
