"""Explanations: why each chosen item is in and goes to its assignee, and which constraint keeps each other out.

A left-out item is checked against the plan as it stands, in this order: excluded; its bundle (dependencies
and coupling-group mates, transitively) holds an item that can never be chosen; it is worth nothing; the
items of its bundle not yet chosen overflow an area cap, then the total capacity (named a dependency or
coupling reason when the item alone would fit); no participant has room for them. The first that binds is
the reason. Adding the item would need removing chosen items, which optimality says are worth at least as
much; when nothing binds the plan was not proven optimal (the time limit stopped the search).
"""
from sprints.core.greedy import Room, Selection, place
from sprints.core.planning_data import (
    AssigneeReason, ChosenItem, ChosenReason, LeftOutItem, LeftOutReason, ParticipantLoad, Plan, PlanStatus,
)
from sprints.core.problem import Option, Problem, blocked_by


def _h(minutes: float) -> str:
    return f"{minutes / 60:g} h"


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _loads(problem: Problem, selection: Selection) -> tuple[ParticipantLoad, ...]:
    minutes = [0] * len(problem.participants)
    items: list[list[str]] = [[] for _ in problem.participants]
    for item, option in sorted(selection.items()):
        for participant, booked in option.loads:
            minutes[participant] += booked
            items[participant].append(problem.candidates[item].id)
    return tuple(ParticipantLoad(p.id, p.capacity, minutes[k] / 60, tuple(items[k]))
                 for k, p in enumerate(problem.participants))


def _assignee_reason(problem: Problem, item: int, option: Option) -> tuple[AssigneeReason, str]:
    people = problem.participants
    shares = problem.shares[item]
    assignee = people[option.assignee].id
    if option.partner is not None:
        return AssigneeReason.ISLAND_PAIR, (
            f"knowledge island: {assignee} holds {_pct(shares.get(option.assignee, 0))} of it and pairs with "
            f"{people[option.partner].id} ({_h(option.loads[0][1])} + {_h(option.loads[1][1])}) to spread it")
    owner = problem.island_owner[item]
    if owner is not None:
        return AssigneeReason.ISLAND_HANDOVER, (
            f"knowledge island of {people[owner].id}: handed to {assignee} to spread the knowledge")
    share = shares.get(option.assignee, 0.0)
    top = max(shares, key=lambda p: (shares[p], -p), default=None)
    if share > 0 and share >= shares[top]:
        return AssigneeReason.MAIN_DEVELOPER, f"main developer among the participants (share {_pct(share)})"
    if share > 0:
        return AssigneeReason.CO_OWNER, (f"co-owner (share {_pct(share)}); the main developer {people[top].id} "
                                         f"({_pct(shares[top])}) has their hours on other items")
    if option.assignee in problem.knows_area[item]:
        return AssigneeReason.AREA, f"knows the area {problem.areas[item] or 'of these paths'}"
    knowing = sorted(people[p].id for p in set(shares) | problem.knows_area[item])
    if knowing:
        return AssigneeReason.CAPACITY_FALLBACK, (
            f"capacity fallback: those who know these files ({', '.join(knowing)}) have no room left for it")
    return AssigneeReason.CAPACITY_FALLBACK, "capacity fallback: no participant knows these files; had room"


def _chosen(problem: Problem, selection: Selection) -> tuple[ChosenItem, ...]:
    forced = problem.forced
    rows = []
    for item, option in sorted(selection.items(), key=lambda pair: (-problem.candidates[pair[0]].value, pair[0])):
        candidate = problem.candidates[item]
        why = (ChosenReason.PINNED if candidate.pinned else ChosenReason.REQUIRED if item in forced
               else ChosenReason.VALUE)
        code, text = _assignee_reason(problem, item, option)
        needed_by = sorted(problem.candidates[i].id for i in selection if item in problem.requires[i])
        lead = {ChosenReason.PINNED: "pinned", ChosenReason.REQUIRED: "required by a pinned item",
                ChosenReason.VALUE: "chosen for its value"}[why]
        tail = f"; needed by {', '.join(needed_by)}" if needed_by else ""
        partner = problem.participants[option.partner].id if option.partner is not None else None
        rows.append(ChosenItem(
            id=candidate.id, value=candidate.value, effort=candidate.effort,
            assignee=problem.participants[option.assignee].id, partner=partner, why=why, assignee_reason=code,
            explanation=f"{lead} (value {candidate.value:g}, {_h(problem.minutes[item])}{tail}); "
                        f"{problem.participants[option.assignee].id}: {text}"))
    return tuple(rows)


def _dependency_only(problem: Problem, item: int) -> set[int]:
    """Items `item` needs through dependencies alone (no coupling groups), transitively."""
    seen: set[int] = set()
    stack = [item]
    while stack:
        for dep in problem.candidates[stack.pop()].depends_on:
            other = problem.index[dep]
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def _link_reason(problem: Problem, item: int, other: int) -> LeftOutReason:
    return LeftOutReason.DEPENDENCY if other in _dependency_only(problem, item) else LeftOutReason.COUPLING_GROUP


def _blocked(problem: Problem, item: int) -> tuple[LeftOutReason, str, tuple[str, ...]] | None:
    candidate = problem.candidates[item]
    if candidate.excluded:
        return LeftOutReason.EXCLUDED, "excluded", ()
    blocker = blocked_by(problem, item)
    if blocker is None:
        return None
    largest = max(problem.capacities, default=0)
    if blocker == item:
        return LeftOutReason.TOO_LARGE, (f"needs {_h(problem.minutes[item])}, more than any participant can take "
                                         f"(largest capacity {_h(largest)})"), ()
    other = problem.candidates[blocker]
    what = "is excluded" if other.excluded else f"needs more than any participant can take ({_h(largest)})"
    reason = _link_reason(problem, item, blocker)
    link = "depends on" if reason is LeftOutReason.DEPENDENCY else "is change-coupled with"
    return reason, f"{link} {other.id}, which {what}", (other.id,)


def _over_area(problem: Problem, room: Room, missing: list[int]) -> tuple[str, int, int] | None:
    needed: dict[str, int] = {}
    for i in missing:
        needed[problem.areas[i]] = needed.get(problem.areas[i], 0) + problem.minutes[i]
    for area, minutes in sorted(needed.items()):
        if area in room.areas and minutes > room.areas[area]:
            return area, minutes, room.areas[area]
    return None


def _capacity_reason(problem: Problem, room: Room, item: int, missing: list[int],
                     others: tuple[str, ...]) -> tuple[LeftOutReason, str, tuple] | None:
    """Total capacity binds: a dependency or coupling reason when the item alone would fit."""
    needed = sum(problem.minutes[i] for i in missing)
    if needed <= room.total:
        return None
    with_others = f" with {', '.join(others)}" if others else ""
    if others and problem.minutes[item] <= room.total:
        deps = _dependency_only(problem, item)
        reason = LeftOutReason.DEPENDENCY if deps & set(missing) else LeftOutReason.COUPLING_GROUP
        return reason, (f"alone it would fit, but{with_others} it needs {_h(needed)}; "
                        f"{_h(room.total)} of the capacity left"), others
    return LeftOutReason.CAPACITY, (f"capacity: needs {_h(needed)}{with_others}, "
                                    f"{_h(room.total)} of the total capacity left"), others


def _participant_reason(problem: Problem, room: Room, missing: list[int],
                        with_others: str) -> tuple[LeftOutReason, str]:
    most = max(range(len(room.participants)), key=lambda p: room.participants[p])
    needed = sum(problem.minutes[i] for i in missing)
    return LeftOutReason.PARTICIPANT_CAPACITY, (
        f"participant capacity: needs {_h(needed)}{with_others}, but no one who could take it has that "
        f"room (most left: {problem.participants[most].id}, {_h(room.participants[most])})")


def _room_reason(problem: Problem, room: Room, item: int, proven: bool) -> tuple[LeftOutReason, str, tuple]:
    missing = sorted(i for i in problem.bundles[item] if i not in room.chosen)
    others = tuple(problem.candidates[i].id for i in missing if i != item)
    with_others = f" with {', '.join(others)}" if others else ""
    area = _over_area(problem, room, missing)
    if area is not None:
        name, needed, left = area
        return LeftOutReason.AREA_CAP, (f"area cap of {name!r}: needs {_h(needed)}{with_others}, "
                                        f"{_h(left)} of the cap left"), others
    found = _capacity_reason(problem, room, item, missing, others)
    if found is not None:
        return found
    if place(problem, room, missing) is None:
        reason, text = _participant_reason(problem, room, missing, with_others)
        return reason, text, others
    if proven:
        return LeftOutReason.NOT_PLANNED, "fits the room left, but adding it gains nothing", others
    return LeftOutReason.NOT_REACHED, ("fits the room left: the search stopped at the time limit before "
                                       "adding it (the plan is not proven optimal)"), others


def _left_out(problem: Problem, selection: Selection, proven: bool) -> tuple[LeftOutItem, ...]:
    room = Room.of(problem, selection)
    rows = []
    order = sorted((i for i in range(problem.size) if i not in selection),
                   key=lambda i: (-problem.candidates[i].value, i))
    for item in order:
        candidate = problem.candidates[item]
        found = _blocked(problem, item)
        if found is None and problem.values[item] == 0:
            found = LeftOutReason.NO_VALUE, "worth nothing (value 0)", ()
        reason, text, related = found or _room_reason(problem, room, item, proven)
        rows.append(LeftOutItem(id=candidate.id, value=candidate.value, effort=candidate.effort, reason=reason,
                                explanation=text, related=tuple(related)))
    return tuple(rows)


def build_plan(problem: Problem, selection: Selection, *, status: PlanStatus, solver: str, seconds: float,
               greedy_value: float, notes: tuple[str, ...] = ()) -> Plan:
    """The Plan for `selection`, with its loads and the reason for every decision."""
    reason = {PlanStatus.OPTIMAL: "the summed value is proven the highest possible",
              PlanStatus.FEASIBLE: "the time limit stopped the search: the best plan found, not proven optimal"}
    return Plan(
        status=status, reason=reason.get(status, ""), chosen=_chosen(problem, selection),
        left_out=_left_out(problem, selection, status is PlanStatus.OPTIMAL), loads=_loads(problem, selection),
        total_value=sum(problem.candidates[i].value for i in selection),
        total_effort=sum(problem.candidates[i].effort for i in selection), capacity=problem.total_minutes / 60,
        greedy_value=greedy_value, solver=solver, seconds=seconds, value_scale=problem.value_scale, notes=notes)


def empty_plan(problem: Problem, status: PlanStatus, reason: str, *, seconds: float = 0.0) -> Plan:
    """A plan with nothing chosen and why (status empty or unknown)."""
    return Plan(status=status, reason=reason, loads=_loads(problem, {}), capacity=problem.total_minutes / 60,
                seconds=seconds, value_scale=problem.value_scale)


def infeasible_plan(problem: Problem, pinned: tuple[str, ...], reason: str, *, seconds: float = 0.0) -> Plan:
    """The answer when the pinned items cannot all be in: nothing chosen, the pinned items named."""
    return Plan(status=PlanStatus.INFEASIBLE, reason=reason, loads=_loads(problem, {}),
                capacity=problem.total_minutes / 60, seconds=seconds, value_scale=problem.value_scale,
                infeasible_items=pinned)
