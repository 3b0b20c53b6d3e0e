"""The debt register's vocabulary: kinds, statuses and their groups, sources, discovery signals.

Other apps, templates and commands name these instead of writing the strings; the models derive their
`choices` from here. The legal moves between statuses are the lifecycle's (debt/lifecycle.py).
"""
from django.db import models

from debt import lifecycle


class Kind(models.TextChoices):
    """What sort of debt an item is."""

    CODE = "code"
    DESIGN = "design"
    ARCHITECTURE = "architecture"
    TEST = "test"
    DOCUMENTATION = "documentation"
    DEPENDENCY = "dependency"
    INFRASTRUCTURE = "infrastructure"
    LINT = "lint"


class Status(models.TextChoices):
    """An item's place in the lifecycle, in lifecycle order."""

    PROPOSED = lifecycle.PROPOSED, lifecycle.LABELS[lifecycle.PROPOSED]
    ACCEPTED = lifecycle.ACCEPTED, lifecycle.LABELS[lifecycle.ACCEPTED]
    PLANNED = lifecycle.PLANNED, lifecycle.LABELS[lifecycle.PLANNED]
    IN_PROGRESS = lifecycle.IN_PROGRESS, lifecycle.LABELS[lifecycle.IN_PROGRESS]
    DONE = lifecycle.DONE, lifecycle.LABELS[lifecycle.DONE]
    WONT_FIX = lifecycle.WONT_FIX, lifecycle.LABELS[lifecycle.WONT_FIX]


OPEN_STATUSES: frozenset[str] = lifecycle.OPEN_STATUSES
CLOSED_STATUSES: frozenset[str] = lifecycle.CLOSED_STATUSES
# Accepted work not yet done, in lifecycle order: the registers' "open" filter and the open counts and effort.
ACTIVE_STATUSES: tuple[str, ...] = (Status.ACCEPTED, Status.PLANNED, Status.IN_PROGRESS)
# The board's columns: the active statuses, then done (proposals have their inbox; won't fix is off the board).
BOARD_STATUSES: tuple[str, ...] = (*ACTIVE_STATUSES, Status.DONE)
# Work a team has committed to (counts against a sprint's budget).
COMMITTED_STATUSES: tuple[str, ...] = (Status.PLANNED, Status.IN_PROGRESS)


class Source(models.TextChoices):
    """Where an item came from."""

    MANUAL = "manual"
    HOTSPOT = "hotspot"
    MARKER = "marker"
    CI = "ci"


class Signal(models.TextChoices):
    """What discovery saw when it proposed an item (blank for items people logged)."""

    MARKER = "marker"
    HOTSPOT = "hotspot"
    KNOWLEDGE_ISLAND = "knowledge_island"
