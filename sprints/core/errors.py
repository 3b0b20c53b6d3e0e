"""The error family of sprints.core; the sprints services translate these at the boundary."""


class PlanningError(Exception):
    """Base of every error sprints.core raises."""


class InvalidPlanningInput(PlanningError):
    """The planning input is malformed (a bad number, an unknown reference); `field` names where."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class DuplicateId(InvalidPlanningInput):
    """Two candidates, or two participants, share an id; `ids` lists the repeated ones."""

    def __init__(self, message: str, *, field: str, ids: tuple[str, ...]) -> None:
        super().__init__(message, field=field)
        self.ids = ids


class UnknownReference(InvalidPlanningInput):
    """A candidate depends on an id that is not a candidate."""
