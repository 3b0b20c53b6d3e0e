"""The status lifecycle of a debt item: which moves are legal, forward and backward."""

PROPOSED = "proposed"
ACCEPTED = "accepted"
PLANNED = "planned"
IN_PROGRESS = "in_progress"
DONE = "done"
WONT_FIX = "wont_fix"

STATUS_ORDER: tuple[str, ...] = (PROPOSED, ACCEPTED, PLANNED, IN_PROGRESS, DONE, WONT_FIX)
OPEN_STATUSES: frozenset[str] = frozenset({PROPOSED, ACCEPTED, PLANNED, IN_PROGRESS})
CLOSED_STATUSES: frozenset[str] = frozenset({DONE, WONT_FIX})

# Forward moves follow the happy path; the backward moves are the ones teams need in practice:
# un-plan (planned -> accepted), put back (in progress -> planned), reopen (done -> in progress),
# reconsider (won't fix -> proposed or accepted). A proposal may go straight to done only because
# the code it pointed at was already paid off (a removed TODO confirmed by a person).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PROPOSED: (ACCEPTED, DONE, WONT_FIX),
    ACCEPTED: (PLANNED, IN_PROGRESS, DONE, WONT_FIX),
    PLANNED: (ACCEPTED, IN_PROGRESS, DONE, WONT_FIX),
    IN_PROGRESS: (PLANNED, DONE, WONT_FIX),
    DONE: (IN_PROGRESS,),
    WONT_FIX: (PROPOSED, ACCEPTED),
}

LABELS: dict[str, str] = {
    PROPOSED: "proposed",
    ACCEPTED: "accepted",
    PLANNED: "planned",
    IN_PROGRESS: "in progress",
    DONE: "done",
    WONT_FIX: "won't fix",
}


def allowed_next(status: str) -> tuple[str, ...]:
    """The statuses an item in `status` may move to, in lifecycle order."""
    return TRANSITIONS.get(status, ())


def is_allowed(current: str, target: str) -> bool:
    """Whether moving from `current` to `target` is a legal transition."""
    return target in allowed_next(current)
