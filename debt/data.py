"""Frozen value objects of the debt register's public API: inputs, reports and read models."""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LocationSpec:
    """A link to code to create: a file or a folder prefix ending in '/', a function, or a line range."""

    path: str
    qualname: str = ""
    line_start: int | None = None
    line_end: int | None = None
    revision: str = ""


@dataclass(frozen=True)
class DiscoveryConfig:
    """Thresholds of discovery after a scan: the repository's proposal limits and the server's blame budget
    (built by debt.conf.discovery_config)."""

    hotspot_top: int
    hotspot_min_score: float
    island_top: int
    island_min_score: float
    max_blame_files: int
    blame_seconds: float
    marker_impact: int = 2
    marker_effort: Decimal = Decimal("1")
    hotspot_impact: int = 3
    hotspot_effort: Decimal = Decimal("3")


@dataclass(frozen=True)
class DiscoveryResult:
    """What one discovery run proposed, and what it left alone."""

    created: int = 0
    already_known: int = 0
    suppressed: int = 0
    markers: int = 0
    hotspots: int = 0
    islands: int = 0
    blame_failures: int = 0
    blame_deferred: int = 0  # markers left for a later scan to attribute (time budget)
    blame_caught_up: int = 0  # earlier markers attributed by this run
    blame_runs: int = 0  # git blame processes run (one per file)
    blame_cached: int = 0  # files attributed from the blame cache alone (unchanged since blamed)


@dataclass(frozen=True)
class AfterScanResult:
    """What the post-scan step did for one scan."""

    scan_id: int
    locations_renamed: int = 0
    discovery: DiscoveryResult = field(default_factory=DiscoveryResult)
    flagged_resolved: int = 0
    priorities_recomputed: int = 0


@dataclass(frozen=True)
class BulkResult:
    """Items a bulk action changed, and those it skipped because they were no longer proposals."""

    changed: tuple[int, ...] = ()
    skipped: tuple[int, ...] = ()


@dataclass(frozen=True)
class ImportRowError:
    """Why one row was refused: its number (CSV: line of the sheet, header is 1; JSON: 1-based index)."""

    row: int
    field: str
    message: str


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import: valid rows are saved together, refused rows are listed with reasons."""

    format: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: tuple[ImportRowError, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    @property
    def refused_rows(self) -> tuple[int, ...]:
        return tuple(sorted({error.row for error in self.refused}))


@dataclass(frozen=True)
class DebtTotals:
    """The debt of one repository for the repository list page."""

    repository_id: int
    open_count: int = 0
    open_effort: Decimal = Decimal("0")
    proposed_count: int = 0
    looks_resolved_count: int = 0


@dataclass(frozen=True)
class BoardColumn:
    """One status column of the board with its items (best priority first) and how many it has in all."""

    status: str
    label: str
    items: tuple[Any, ...] = ()
    total: int = 0

    @property
    def hidden(self) -> int:
        """How many of the column's items are not among `items` (beyond the board's per-column limit)."""
        return self.total - len(self.items)


@dataclass(frozen=True)
class TimelineEntry:
    """One entry of an item's activity: created, a field change, a transition or a comment."""

    at: datetime
    kind: str  # "created", "change", "transition", "comment"
    actor: Any = None
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    note: str = ""
    body_html: str = ""
    object_id: int = 0


@dataclass(frozen=True)
class PlanningItem:
    """What planning reads of one register item: its figures and the paths it is linked to (sorted, unique)."""

    item_id: int
    repository_id: int
    title: str
    status: str
    priority: float
    impact: int
    effort: Decimal
    paths: tuple[str, ...]
