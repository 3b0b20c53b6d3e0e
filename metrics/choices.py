"""The metrics app's vocabulary: scan statuses and stages, history windows, health bands, effort units.

Other apps, templates and commands name these instead of writing the strings; the models derive their
`choices` from here (NetBox's `choices.py` is the model).
"""
from typing import NamedTuple

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


class Figure(NamedTuple):
    """One figure's label and definition, shared by the CLI, the API schema, the pages and the exports."""

    label: str
    definition: str
    windowed: bool = False  # depends on the history window (90 days, 365 days, all history)
    relative: bool = False  # normalised by its repository: compares files of one repository, never repositories


# Every figure of a file's score (FileScore) and a function's score (FunctionScore), by field name
# (docs/scoring.md, "Labels of figures"). `loc` and `sloc` are two figures: physical lines and source lines.
FIGURES: dict[str, Figure] = {
    "hotspot_score": Figure("Hotspot score", "0-100: change frequency x complexity x source lines, log-scaled "
                            "against this repository's own maxima; relative to its repository, never compare it "
                            "across repositories.", windowed=True, relative=True),
    "hotspot_rank": Figure("Rank", "1 is the hottest file of the repository (files meeting the minimums "
                           "first).", windowed=True, relative=True),
    "health": Figure("Code health", "1 (worst) to 10 (best), absolute: maintainability index, worst function "
                     "complexity, lint density, size and change coupling (the coupling over the window).",
                     windowed=True),
    "revisions": Figure("Revisions", "Commits that changed the file (bots and mass changes left out).",
                        windowed=True),
    "churn": Figure("Churn", "Lines added plus lines deleted by those commits.", windowed=True),
    "change_frequency": Figure("Change frequency", "Revisions weighted by recency (0.5 per half-life) when the "
                               "repository sets a half-life; by default every revision counts 1.", windowed=True),
    "authors": Figure("Authors", "People who changed the file (.mailmap applied).", windowed=True),
    "main_author": Figure("Main author", "The author of the largest share of added lines.", windowed=True),
    "ownership_share": Figure("Main author's share", "The main author's share of the window's added lines, 0-1.",
                              windowed=True),
    "coupling_sum": Figure("Change coupling", "Sum of the degrees of coupling with the files it changes "
                           "with.", windowed=True),
    "is_knowledge_island": Figure("Knowledge island", "One author wrote over 80 % of the added lines of a "
                                  "big, often changed file.", windowed=True),
    "age_days": Figure("Days since last change", "Whole days from the file's last change to the scanned commit, "
                       "over all history whatever the window."),
    "loc": Figure("Lines", "Physical lines of the file, blank and comment lines included (radon's LOC)."),
    "sloc": Figure("Source lines (SLOC)", "Lines holding code, without blank and comment lines (radon's "
                   "SLOC)."),
    "complexity": Figure("Complexity", "Total cyclomatic complexity of the file (radon)."),
    "max_function_complexity": Figure("Worst function complexity", "Cyclomatic complexity of the file's most "
                                      "complex function."),
    "violations": Figure("Lint violations", "flake8 (or ruff) findings with the repository's lint settings."),
    "lint_density": Figure("Lint per 100 lines", "Lint violations per 100 physical lines."),
    "markers": Figure("Debt markers", "TODO, FIXME, HACK and XXX comments."),
    "changes": Figure("Changes", "Commits that changed the function itself.", windowed=True),
    "function_score": Figure("Function score", "Complexity x changes of the function.", windowed=True),
    "markers_per_kloc": Figure("Markers per 1,000 lines", "Debt markers per 1,000 physical lines: absolute, "
                               "comparable across repositories."),
    "principal": Figure("Principal", "Estimated effort to pay off the open debt items, in the repository's "
                        "effort unit."),
}


def window_short(days: int) -> str:
    """A window in a column heading: "90 d", "365 d", "all history"."""
    return "all history" if days == Window.ALL else f"{days} d"


def figure_label(key: str, window_days: int | None = None) -> str:
    """A figure's label; a window-dependent one names its window: "Revisions (365 d)"."""
    figure = FIGURES[key]
    if figure.windowed and window_days is not None:
        return f"{figure.label} ({window_short(window_days)})"
    return figure.label


def figure_help(key: str) -> str:
    """A figure's definition, with its window and comparability (the API schema's field descriptions)."""
    figure = FIGURES[key]
    parts = [figure.definition]
    if figure.windowed:
        parts.append("Over the row's window_days (90, 365, 0 = all history).")
    if figure.relative:
        parts.append("Relative to its repository.")
    return " ".join(parts)
