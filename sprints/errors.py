"""Error kinds of the sprints app, with stable codes."""
from debtboard.errors import Conflict, Forbidden, InvalidInput, NotFound


class TeamNotFound(NotFound):
    """No such team, or a private team the user may not see (the two are not told apart)."""

    default_code = "team.not_found"


class TeamInvalid(InvalidInput):
    default_code = "team.invalid"


class TeamSlugTaken(Conflict):
    default_code = "team.slug_taken"


class TeamForbidden(Forbidden):
    """The user may see the team but not change it (only its leads, or members for scheduling, and staff)."""

    default_code = "team.forbidden"


class CapacityInvalid(InvalidInput):
    default_code = "team.capacity_invalid"


class BudgetInvalid(InvalidInput):
    default_code = "team.budget_invalid"


class CadenceInvalid(InvalidInput):
    default_code = "team.cadence_invalid"


class MemberNotFound(NotFound):
    default_code = "team_member.not_found"


class MemberExists(Conflict):
    default_code = "team_member.exists"


class AreaInvalid(InvalidInput):
    default_code = "team_area.invalid"


class AreaNotFound(NotFound):
    default_code = "team_area.not_found"


class SprintNotFound(NotFound):
    default_code = "sprint.not_found"


class SprintInvalid(InvalidInput):
    default_code = "sprint.invalid"


class SprintOverlap(Conflict):
    default_code = "sprint.overlap"


class SprintClosed(Conflict):
    """The sprint has ended: nothing can be scheduled into it any more."""

    default_code = "sprint.closed"


class NotSchedulable(InvalidInput):
    """The item's status does not allow scheduling (proposed, done, won't fix)."""

    default_code = "sprint_item.not_schedulable"


class SprintItemConflict(Conflict):
    """The item is already in a sprint that has not finished (or someone scheduled it meanwhile)."""

    default_code = "sprint_item.conflict"


class SprintItemNotFound(NotFound):
    default_code = "sprint_item.not_found"


class RefactorathonNotFound(NotFound):
    default_code = "refactorathon.not_found"


class RefactorathonInvalid(InvalidInput):
    """Bad event input: dates, scope, participants, goals or plan options."""

    default_code = "refactorathon.invalid"


class RefactorathonSlugTaken(Conflict):
    default_code = "refactorathon.slug_taken"


class RefactorathonForbidden(Forbidden):
    """Only the event's creator, its team's members and staff change an event."""

    default_code = "refactorathon.forbidden"


class RefactorathonStatusConflict(Conflict):
    """The move is not allowed from the event's status, or its checks fail (e.g. planning a finished event)."""

    default_code = "refactorathon.status"


class PlanVersionConflict(Conflict):
    """Someone saved a plan since this one was read: the stale save is refused (re-plan to see theirs)."""

    default_code = "refactorathon.plan_conflict"


class ParticipantInvalid(InvalidInput):
    default_code = "refactorathon_participant.invalid"


class ParticipantNotFound(NotFound):
    default_code = "refactorathon_participant.not_found"


class GoalInvalid(InvalidInput):
    default_code = "refactorathon_goal.invalid"


class GoalNotFound(NotFound):
    default_code = "refactorathon_goal.not_found"


class EventItemNotFound(NotFound):
    """The register item is not a candidate or plan item of this event."""

    default_code = "refactorathon_item.not_found"
