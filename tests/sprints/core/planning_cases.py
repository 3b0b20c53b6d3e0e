"""Seeded random planning instances, an exhaustive checker and a plan validator for the planner's tests."""
import random
from itertools import combinations

from sprints.core.planning_data import ISLAND_SHARE, Candidate, Constraints, Owner, Participant, Plan, PlanStatus

AREAS = ("api", "core", "web")


def _owners(rng: random.Random, authors: list[str]) -> tuple[Owner, ...]:
    if rng.random() < 0.25:
        return (Owner(rng.choice(authors), 0.9),)
    picked = rng.sample(authors, rng.randint(0, min(2, len(authors))))
    return tuple(Owner(author, round(rng.uniform(0.1, 0.5), 2)) for author in picked)


def random_instance(seed: int, items: int, people: int) -> tuple[list[Candidate], list[Participant], Constraints]:
    """An instance with every constraint kind; efforts in half hours, capacities in hours (rounding is exact)."""
    rng = random.Random(seed)
    participants = [Participant(f"p{k}", capacity=float(rng.choice([0, 2, 3, 4, 6, 8, 10])),
                                areas=(rng.choice(AREAS),)) for k in range(people)]
    authors = [p.id for p in participants] + ["ghost"]
    candidates = []
    for i in range(items):
        pinned = rng.random() < 0.06
        candidates.append(Candidate(
            id=f"c{i}", value=float(rng.choice([0, *range(1, 40)])), effort=rng.choice([0.5, 1, 1.5, 2, 3, 4, 6]),
            paths=(f"{rng.choice(AREAS)}/f{i}.py",), owners=_owners(rng, authors),
            groups=(rng.choice(["g1", "g2", "g3"]),) if rng.random() < 0.2 else (),
            depends_on=(f"c{rng.randrange(i)}",) if i and rng.random() < 0.2 else (),
            pinned=pinned, excluded=not pinned and rng.random() < 0.08))
    total = sum(p.capacity for p in participants)
    constraints = Constraints(
        total_capacity=rng.choice([None, round(total * rng.uniform(0.3, 1.0))]),
        area_caps=((rng.choice(AREAS), float(rng.randint(1, 8))),) if rng.random() < 0.5 else (),
        pair_islands=rng.random() < 0.5, time_limit=5.0)
    return candidates, participants, constraints


def _island_owner(candidate: Candidate, participants: list[Participant]) -> int | None:
    for owner in candidate.owners:
        if owner.share > ISLAND_SHARE:
            for k, participant in enumerate(participants):
                if participant.id == owner.author:
                    return k
    return None


def _ways(candidate: Candidate, participants: list[Participant], pair: bool, share: float) -> list[dict[int, int]]:
    """Every way to book an item, as minutes per participant (the rules of docs/planning.md, written anew)."""
    minutes = round(candidate.effort * 60)
    owner = _island_owner(candidate, participants) if pair else None
    ways = [{k: minutes} for k in range(len(participants)) if k != owner]
    if owner is not None:
        own = min(minutes, max(1, round(minutes * share)))
        ways += [{owner: own, k: minutes - own} for k in range(len(participants)) if k != owner]
    return ways


def _assignable(items: list[Candidate], participants: list[Participant], constraints: Constraints) -> bool:
    """Is there a way to book every item within every participant's hours (exhaustive search)?"""
    left = [round(p.capacity * 60) for p in participants]
    ordered = sorted(items, key=lambda c: -c.effort)
    ways = [_ways(c, participants, constraints.pair_islands, constraints.pair_owner_share) for c in ordered]

    def search(k: int) -> bool:
        if k == len(ordered):
            return True
        tried = set()
        for way in ways[k]:
            key = tuple(sorted((p, m, left[p]) for p, m in way.items()))
            if key in tried or any(left[p] < m for p, m in way.items()):
                continue
            tried.add(key)
            for p, m in way.items():
                left[p] -= m
            found = search(k + 1)
            for p, m in way.items():
                left[p] += m
            if found:
                return True
        return False

    return search(0)


def _pins_hold(chosen: set[str], candidates: list[Candidate]) -> bool:
    """Pinned in, excluded out."""
    pinned = {c.id for c in candidates if c.pinned}
    excluded = {c.id for c in candidates if c.excluded}
    return pinned <= chosen and not excluded & chosen


def _links_hold(chosen: set[str], candidates: list[Candidate]) -> bool:
    """Pinned in, excluded out, dependencies with their items, coupling groups whole."""
    needed = {dep for c in candidates if c.id in chosen for dep in c.depends_on}
    members: dict[str, set[str]] = {}
    for candidate in candidates:
        for group in candidate.groups:
            members.setdefault(group, set()).add(candidate.id)
    whole = all(group <= chosen for group in members.values() if group & chosen)
    return _pins_hold(chosen, candidates) and needed <= chosen and whole


def _hours_hold(chosen: set[str], candidates: list[Candidate], participants: list[Participant],
                constraints: Constraints) -> bool:
    """The total capacity and every area cap."""
    by_id = {c.id: c for c in candidates}
    total = sum(p.capacity for p in participants)
    if constraints.total_capacity is not None:
        total = min(total, constraints.total_capacity)
    if sum(by_id[item].effort for item in chosen) > total + 1e-9:
        return False
    return all(sum(by_id[item].effort for item in chosen if by_id[item].area_key == area) <= cap + 1e-9
               for area, cap in constraints.area_caps)


def _subset_allowed(chosen: set[str], candidates: list[Candidate], participants: list[Participant],
                    constraints: Constraints) -> bool:
    return _links_hold(chosen, candidates) and _hours_hold(chosen, candidates, participants, constraints)


def brute_force_value(candidates: list[Candidate], participants: list[Participant],
                      constraints: Constraints) -> float | None:
    """The best summed value over every subset that meets every constraint; None when none does."""
    subsets = []
    for size in range(len(candidates) + 1):
        for combo in combinations(candidates, size):
            subsets.append((sum(c.value for c in combo), combo))
    subsets.sort(key=lambda pair: -pair[0])
    for value, combo in subsets:
        chosen = {c.id for c in combo}
        if _subset_allowed(chosen, candidates, participants, constraints) and \
                _assignable(list(combo), participants, constraints):
            return value
    return None


def _assert_loads(plan: Plan, participants: list[Participant]) -> None:
    """Assignees are participants, nobody is booked above their hours, zero-capacity people get nothing."""
    people = {p.id: p for p in participants}
    booked: dict[str, float] = {}
    for item in plan.chosen:
        assert item.assignee in people and item.partner != item.assignee
        assert item.partner is None or item.partner in people
        if item.partner is None:
            booked[item.assignee] = booked.get(item.assignee, 0.0) + item.effort
    for load in plan.loads:
        assert booked.get(load.participant, 0.0) - 1e-9 <= load.hours <= people[load.participant].capacity + 1e-9
        assert people[load.participant].capacity > 0 or load.items == ()


def assert_plan_valid(plan: Plan, candidates: list[Candidate], participants: list[Participant],
                      constraints: Constraints) -> None:
    """Every constraint holds in `plan` (and its loads add up)."""
    if plan.status in (PlanStatus.INFEASIBLE, PlanStatus.EMPTY, PlanStatus.UNKNOWN):
        assert plan.chosen == ()
        return
    chosen = set(plan.chosen_ids)
    assert len(chosen) == len(plan.chosen)
    assert _subset_allowed(chosen, candidates, participants, constraints)
    _assert_loads(plan, participants)
    assert abs(sum(load.hours for load in plan.loads) - plan.total_effort) < 1e-6
    assert abs(plan.total_value - sum(item.value for item in plan.chosen)) < 1e-6
    assert {item.id for item in plan.left_out} == {c.id for c in candidates} - chosen
