"""The metrics app's vocabulary: scan statuses and stages, history windows, health bands, effort units.

Other apps, templates and commands name these instead of writing the strings; the models derive their
`choices` from here (NetBox's `choices.py` is the model).
"""
from django.db import models


class ScanStatus(models.TextChoices):
    """Where a scan is in its life; a repository shows its newest succeeded live scan."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    CANCELLED = "cancelled"


# A live scan holds the repository's scan lock (at most one live non-backfill scan per repository).
LIVE_SCAN_STATUSES: tuple[str, ...] = (ScanStatus.QUEUED, ScanStatus.RUNNING)
# Scans that ended without results; their detail rows are pruned.
ENDED_WITHOUT_RESULTS: tuple[str, ...] = (ScanStatus.FAILED, ScanStatus.INTERRUPTED, ScanStatus.CANCELLED)


class AfterScanStatus(models.TextChoices):
    """Where a live scan's post-scan step (the scan_finished receivers: the debt register, sprints) is.

    It runs after the scan's results are visible, as a background task of its own (or inline: see
    DEBTBOARD_POST_SCAN); "" for a scan that has none (backfills, scans that ended without results).
    """

    NONE = "", "none"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"  # a newer scan became current first: its own post-scan step brings the register up to date


# The post-scan step has not ended yet.
AFTER_SCAN_LIVE: tuple[str, ...] = (AfterScanStatus.QUEUED, AfterScanStatus.RUNNING)


class ScanStage(models.TextChoices):
    """The pipeline's stages, in order."""

    QUEUED = "queued"
    FETCHING = "fetching"
    MINING = "mining"
    ANALYSIS = "analysis"
    SCORING = "scoring"
    DONE = "done"


class Window(models.IntegerChoices):
    """History windows every scan scores (days; 0 is all history)."""

    DAYS_90 = 90, "90 days"
    DAYS_365 = 365, "365 days"
    ALL = 0, "all history"


WINDOWS: tuple[int, ...] = tuple(Window.values)
DEFAULT_WINDOW: int = Window.DAYS_365


def window_or_default(value: object) -> int:
    """A window from WINDOWS; anything else (missing, unknown, not a number) is the default window."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value in WINDOWS else DEFAULT_WINDOW


def window_label(days: int) -> str:
    """How a window reads in a sentence: "the last 90 days" or "all history"."""
    return "all history" if days == Window.ALL else f"the last {days} days"


class HealthBand(models.TextChoices):
    """Code-health bands, best first (thresholds in metrics.core.scoring, docs/scoring.md)."""

    HEALTHY = "healthy", "Healthy"
    WARNING = "warning", "Warning"
    ALERT = "alert", "Alert"


class EffortUnit(models.TextChoices):
    """How a repository's debt items count effort."""

    HOURS = "hours", "hours"
    POINTS = "points", "story points"


class Role(models.TextChoices):
    """A user's role on one repository, weakest first; `is_staff` users may do everything everywhere."""

    VIEWER = "viewer"
    MEMBER = "member"
    MAINTAINER = "maintainer"


# DEBTBOARD_DEFAULT_ROLE may also be "none": without a membership, a repository is invisible.
NO_ROLE = "none"
# The pseudo-role of `is_staff` users (not stored: staff is Django's flag, not a membership).
STAFF_ROLE = "staff"


class RescanKind(models.TextChoices):
    """How often a repository is rescanned on its own (metrics.core.schedule holds the same names)."""

    OFF = "off", "Off"
    HOURLY = "hourly", "Hourly"
    NIGHTLY = "nightly", "Nightly"
    WEEKLY = "weekly", "Weekly"


class Weekday(models.IntegerChoices):
    """The day of a weekly rescan (Python's numbering: 0 is Monday)."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WebhookProvider(models.TextChoices):
    """Where a push webhook comes from (metrics.core.webhooks holds the same names)."""

    GITHUB = "github", "GitHub"
    GITLAB = "gitlab", "GitLab"
