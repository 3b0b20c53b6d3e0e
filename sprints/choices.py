"""The sprints app's vocabulary: budget modes, alert kinds, and the limits of team settings."""
from django.db import models


class BudgetMode(models.TextChoices):
    """How a team's debt budget per sprint is set."""

    FIXED = "fixed", "fixed hours per sprint"
    SHARE = "share", "share of the team's capacity"


class AlertKind(models.TextChoices):
    """What an alert says; each kind is sent at most once per sprint."""

    OVERCOMMITTED = "overcommitted", "over-committed"
    NOTHING_DONE_HALFWAY = "nothing_done_halfway", "half the sprint gone, nothing done"
    UNDERSPENT = "underspent", "budget eaten by feature work"
    UNDERSPENT_STREAK = "underspent_streak", "three under-spent sprints in a row"


# Limits of team settings (docs/planning.md).
MAX_CAPACITY_HOURS = 200.0  # per person per sprint
MAX_FIXED_HOURS = 10_000.0  # per team per sprint
MIN_LENGTH_WEEKS, MAX_LENGTH_WEEKS = 1, 4
MAX_SPRINTS_AHEAD = 26
MAX_SPRINT_DAYS = 28
# How many sprints one generation may create (a first day years back still ends).
MAX_GENERATED = 520
UNDERSPENT_STREAK_LENGTH = 3


class RefactorathonStatus(models.TextChoices):
    """A refactorathon's lifecycle: draft -> planned -> running -> finished -> reviewed."""

    DRAFT = "draft"
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"
    REVIEWED = "reviewed"


# The moves a refactorathon may make (a planned event may go back to draft to change its scope).
REFACTORATHON_MOVES: dict[str, tuple[str, ...]] = {
    RefactorathonStatus.DRAFT: (RefactorathonStatus.PLANNED,),
    RefactorathonStatus.PLANNED: (RefactorathonStatus.DRAFT, RefactorathonStatus.RUNNING),
    RefactorathonStatus.RUNNING: (RefactorathonStatus.FINISHED,),
    RefactorathonStatus.FINISHED: (RefactorathonStatus.REVIEWED,),
    RefactorathonStatus.REVIEWED: (),
}


class GoalKind(models.TextChoices):
    """What a refactorathon goal measures (docs/planning.md, "Refactorathons")."""

    MEAN_HEALTH_AT_LEAST = "mean_health_at_least", "mean health of the scope at least"
    HOTSPOT_SCORE_BELOW = "hotspot_score_below", "hotspot score of a file or folder below"
    NO_MARKERS = "no_markers", "no FIXME/HACK markers left in the scope"
    ITEMS_DONE_AT_LEAST = "items_done_at_least", "register items done at least"
    TOP_FUNCTIONS_COMPLEXITY_AT_MOST = "top_functions_complexity_at_most", "top 10 functions' complexity at most"


# Limits of refactorathon input.
MAX_EVENT_DAYS = 31
MAX_EVENT_HOURS = 200.0  # per participant per event
MAX_AREA_CAP_HOURS = 10_000.0  # an event's cap per area
MAX_GOAL_TARGET = 1_000_000.0
DEFAULT_COUPLING_THRESHOLD = 0.6
DEFAULT_HOTSPOT_CANDIDATES = 10
REGRESSION_WEEKS = (4, 8)
