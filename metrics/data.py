"""Frozen value objects of the metrics app's public API: per-repository configuration, finished selector results."""
import math
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from metrics.core.analysis import AnalysisConfig
from metrics.errors import RepositoryInvalid

# The analyser's defaults are the repository defaults: one place to change them.
_ANALYSIS = AnalysisConfig()


@dataclass(frozen=True)
class RepositoryConfig:
    """Analysis and mining settings of one repository (stored as JSON on Repository.config)."""

    # Which files are analysed (.gitignore-like globs on repository-relative paths; docs/analysis.md).
    include: tuple[str, ...] = _ANALYSIS.include
    exclude: tuple[str, ...] = _ANALYSIS.exclude
    # flake8, with debtboard's own configuration only (never the scanned repository's):
    # E, W, F and C90 with max-complexity 10 and max-line-length 79.
    flake8_select: tuple[str, ...] = _ANALYSIS.flake8_select
    flake8_ignore: tuple[str, ...] = _ANALYSIS.flake8_ignore
    max_complexity: int = _ANALYSIS.max_complexity
    max_line_length: int = _ANALYSIS.max_line_length
    # Self-admitted debt markers taken from comments (TODO, FIXME, HACK, XXX).
    marker_tags: tuple[str, ...] = _ANALYSIS.marker_tags
    # Per-file limits (1 MiB, 10 s): bigger or slower files are recorded as that file's error.
    max_file_bytes: int = _ANALYSIS.max_file_bytes
    file_timeout_seconds: float = _ANALYSIS.file_timeout_seconds
    # Mining.
    include_merges: bool = False
    max_files_per_commit: int = 500  # mechanical commits above this are excluded from measures
    # Globs on author name or email; brackets are literal here, so "*[bot]*" matches "renovate[bot]".
    bot_authors: tuple[str, ...] = ("*[bot]*", "dependabot*", "renovate*", "pre-commit-ci*")
    half_life_days: float = 90.0
    window_days: int = 365  # the default window of queries; 90, 365 and all history are always computed
    # Change coupling (code-maat's thresholds).
    coupling_min_revisions: int = 5
    coupling_min_shared: int = 5
    coupling_min_degree: float = 0.3
    coupling_max_files_per_commit: int = 30
    # Function hotspots: function changes are mapped from diffs over this many days.
    function_history_days: int = 365

    def as_json(self) -> dict[str, Any]:
        """The JSON stored on the repository."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def repository_config_from_json(data: dict[str, Any] | None) -> RepositoryConfig:
    """Build a validated config from stored JSON; unknown keys or bad values raise RepositoryInvalid."""
    data = dict(data or {})
    known = {f.name: f for f in fields(RepositoryConfig)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise RepositoryInvalid(f"Unknown configuration keys: {', '.join(unknown)}.", extra={"keys": unknown})
    defaults = RepositoryConfig()
    values: dict[str, Any] = {}
    for name, value in data.items():
        values[name] = _coerce(name, value, getattr(defaults, name))
    return RepositoryConfig(**values)


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        return _coerce_strings(name, value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise RepositoryInvalid(f"{name} must be true or false.", extra={"key": name})
        return value
    if isinstance(default, (int, float)):
        return type(default)(_coerce_number(name, value))
    return value


def _coerce_strings(name: str, value: Any) -> tuple[str, ...]:
    """A list of strings, or one comma-separated string."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and "\x00" not in v for v in value):
        raise RepositoryInvalid(f"{name} must be a list of strings.", extra={"key": name})
    return tuple(value)


def _coerce_number(name: str, value: Any) -> int | float:
    """A finite, non-negative number (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise RepositoryInvalid(f"{name} must be a finite, non-negative number.", extra={"key": name})
    return value

# ---------------------------------------------------------------------------------------------------------
# Finished results of metrics' selectors, for the apps above metrics: rows they only read, never filter.


@dataclass(frozen=True)
class HotspotLine:
    """One of a repository's hottest files at its current scan."""

    path: str
    score: float
    rank: int


@dataclass(frozen=True)
class TrendPoint:
    """One finished scan (live or backfilled) on a repository's trend, with its stored summary JSON."""

    scan_id: int
    committed_at: datetime
    commit_sha: str
    is_backfill: bool
    summary: dict[str, Any]


@dataclass(frozen=True)
class FileHistoryPoint:
    """One file at one trend scan: its static analysis there, and its scores where that scan scored it."""

    scan_id: int
    committed_at: datetime
    commit_sha: str
    is_backfill: bool
    loc: int | None
    complexity: int | None
    max_complexity: int | None
    violations: int | None
    markers: int | None
    mi: float | None
    hotspot_score: float | None = None
    health: float | None = None
    revisions: int | None = None
    churn: int | None = None


@dataclass(frozen=True)
class FileFigures:
    """A scored file's headline figures over one window (for charts, maps and interest)."""

    path: str
    loc: int
    churn: int
    revisions: int
    complexity: int
    hotspot_score: float
    health: float


@dataclass(frozen=True)
class MarkerRow:
    """A debt marker (TODO, FIXME, …) or suppression comment at a scan, with the path it stands in."""

    path: str
    tag: str
    line: int
    text: str
    kind: str


@dataclass(frozen=True)
class CoupledFile:
    """A file often changed together with another one (code-maat's degree)."""

    path: str
    degree: float
    shared_revisions: int
    revisions: int
