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
