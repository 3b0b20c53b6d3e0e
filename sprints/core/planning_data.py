"""The planner's frozen value objects: its input (candidates, participants, constraints) and its Plan."""
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# One author holding more than this share of a file's knowledge makes it a knowledge island
# (the same definition as the scores' `is_knowledge_island`).
ISLAND_SHARE = 0.8


class PlanStatus(StrEnum):
    """How far the plan is proven: optimal, feasible (time limit), infeasible, empty, unknown."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    EMPTY = "empty"
    UNKNOWN = "unknown"


class ChosenReason(StrEnum):
    """Why an item is in the plan."""

    PINNED = "pinned"
    REQUIRED = "required"
    VALUE = "value"


class AssigneeReason(StrEnum):
    """Why a chosen item went to its assignee."""

    MAIN_DEVELOPER = "main_developer"
    CO_OWNER = "co_owner"
    AREA = "area"
    CAPACITY_FALLBACK = "capacity_fallback"
    ISLAND_PAIR = "island_pair"
    ISLAND_HANDOVER = "island_handover"


class LeftOutReason(StrEnum):
    """The constraint that keeps an item out of the plan."""

    EXCLUDED = "excluded"
    DEPENDENCY = "dependency"
    COUPLING_GROUP = "coupling_group"
    TOO_LARGE = "too_large"
    AREA_CAP = "area_cap"
    CAPACITY = "capacity"
    PARTICIPANT_CAPACITY = "participant_capacity"
    NO_VALUE = "no_value"
    NOT_REACHED = "not_reached"
    NOT_PLANNED = "not_planned"


@dataclass(frozen=True)
class Owner:
    """One author's share (0..1) of the knowledge of a candidate's files."""

    author: str
    share: float


@dataclass(frozen=True)
class Candidate:
    """A piece of debt that could be paid: its value, effort in hours and what ties it to others.

    `area` defaults to the top folder of the first path. Items sharing a `groups` id (files strongly
    change-coupled) go in together or not at all; `depends_on` lists ids that must be chosen for this one.
    """

    id: str
    value: float
    effort: float
    paths: tuple[str, ...] = ()
    owners: tuple[Owner, ...] = ()
    area: str = ""
    groups: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    pinned: bool = False
    excluded: bool = False

    @property
    def area_key(self) -> str:
        """The area the per-area caps count this item under."""
        if self.area:
            return self.area
        if not self.paths:
            return ""
        head, _, rest = self.paths[0].partition("/")
        return head if rest else ""


@dataclass(frozen=True)
class Participant:
    """A person with hours to give; `areas` are areas or path prefixes they know.

    `authors` are the names their commits carry in owners' shares (default: the id itself).
    """

    id: str
    capacity: float
    areas: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    @property
    def identities(self) -> tuple[str, ...]:
        return self.authors or (self.id,)


@dataclass(frozen=True)
class Constraints:
    """Limits over the whole plan and solver options.

    `total_capacity` None means the participants' summed capacity. `area_caps` maps an area key to the
    hours that area may take. With `pair_islands`, a knowledge island's owner never does it alone: either
    the owner pairs with a second participant (the owner books `pair_owner_share` of the effort, the partner
    the rest) or someone else takes it whole.
    """

    total_capacity: float | None = None
    area_caps: tuple[tuple[str, float], ...] = ()
    pair_islands: bool = False
    pair_owner_share: float = 0.5
    time_limit: float = 5.0
    workers: int = 2
    seed: int = 1

    @property
    def area_cap_map(self) -> dict[str, float]:
        return dict(self.area_caps)


@dataclass(frozen=True)
class ChosenItem:
    """An item in the plan: value, effort, who does it and why."""

    id: str
    value: float
    effort: float
    assignee: str
    partner: str | None
    why: ChosenReason
    assignee_reason: AssigneeReason
    explanation: str


@dataclass(frozen=True)
class LeftOutItem:
    """An item not in the plan and the constraint that keeps it out; `related` names the items involved."""

    id: str
    value: float
    effort: float
    reason: LeftOutReason
    explanation: str
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParticipantLoad:
    """Hours booked for one participant against their capacity."""

    participant: str
    capacity: float
    hours: float
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The planner's answer: chosen items with assignees, loads, status and the reason for every decision.

    `value_scale` is the factor values were multiplied by before rounding to integers for the solver
    (docs/planning.md, "Scaling"); `greedy_value` is the value-density heuristic's result for comparison.
    """

    status: PlanStatus
    reason: str
    chosen: tuple[ChosenItem, ...] = ()
    left_out: tuple[LeftOutItem, ...] = ()
    loads: tuple[ParticipantLoad, ...] = ()
    total_value: float = 0.0
    total_effort: float = 0.0
    capacity: float = 0.0
    greedy_value: float = 0.0
    solver: str = ""
    seconds: float = 0.0
    value_scale: float = 1.0
    infeasible_items: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def chosen_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.chosen)

    def as_json(self) -> dict[str, Any]:
        """The plan as JSON-ready data (enums as their values)."""
        return {
            "status": self.status.value, "reason": self.reason,
            "chosen": [{**vars(item), "why": item.why.value, "assignee_reason": item.assignee_reason.value}
                       for item in self.chosen],
            "left_out": [{**vars(item), "reason": item.reason.value, "related": list(item.related)}
                         for item in self.left_out],
            "loads": [{**vars(load), "items": list(load.items)} for load in self.loads],
            "total_value": self.total_value, "total_effort": self.total_effort, "capacity": self.capacity,
            "greedy_value": self.greedy_value, "solver": self.solver, "seconds": self.seconds,
            "value_scale": self.value_scale, "infeasible_items": list(self.infeasible_items),
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Plan":
        """The plan `as_json` wrote."""
        chosen = tuple(ChosenItem(**{**item, "why": ChosenReason(item["why"]),
                                     "assignee_reason": AssigneeReason(item["assignee_reason"])})
                       for item in data.get("chosen", ()))
        left_out = tuple(LeftOutItem(**{**item, "reason": LeftOutReason(item["reason"]),
                                        "related": tuple(item.get("related", ()))})
                         for item in data.get("left_out", ()))
        loads = tuple(ParticipantLoad(**{**load, "items": tuple(load.get("items", ()))})
                      for load in data.get("loads", ()))
        scalars = {key: data[key] for key in ("total_value", "total_effort", "capacity", "greedy_value", "solver",
                                              "seconds", "value_scale") if key in data}
        return cls(status=PlanStatus(data["status"]), reason=data.get("reason", ""), chosen=chosen,
                   left_out=left_out, loads=loads, infeasible_items=tuple(data.get("infeasible_items", ())),
                   notes=tuple(data.get("notes", ())), **scalars)
