"""Frozen value objects of metrics' public API: repository configuration, scan JSON contracts, selector results."""
import math
from collections.abc import Iterable
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from debtboard.text import clean_text
from metrics.core.analysis import AnalysisConfig, FileAnalysis
from metrics.core.errors import InvalidAnalysisConfig
from metrics.core.gate import FileFigures as GateFigures
from metrics.core.lint_settings import parse_per_file_ignores
from metrics.core.markers import DEBT
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
    # Recency decay of change_frequency; 0: none (every commit in the window counts 1). docs/scoring.md §7, §14.
    half_life_days: float = 0.0
    window_days: int = 365  # the default window of queries; 90, 365 and all history are always computed
    # Change coupling (code-maat's thresholds).
    coupling_min_revisions: int = 5
    coupling_min_shared: int = 5
    coupling_min_degree: float = 0.3
    coupling_max_files_per_commit: int = 30
    # Function hotspots: function changes are mapped from diffs over this many days.
    function_history_days: int = 365
    # Hours one story point stands for, when the repository counts effort in points (Repository.effort_unit):
    # sprint capacity and budgets are in hours, so points are converted with this factor wherever shown.
    points_to_hours: float = 4.0
    # --- issue 17: the repository's own lint settings, file classes, minimums (docs/scoring.md) ---
    # flake8 options beyond the four above; a key set here wins over the repository's setup.cfg/tox.ini/.flake8.
    flake8_extend_select: tuple[str, ...] = _ANALYSIS.flake8_extend_select
    flake8_extend_ignore: tuple[str, ...] = _ANALYSIS.flake8_extend_ignore
    max_doc_length: int = _ANALYSIS.max_doc_length
    flake8_per_file_ignores: tuple[str, ...] = ()  # "pattern:CODE,CODE" entries, like flake8's per-file-ignores
    lint_exclude: tuple[str, ...] = _ANALYSIS.lint_exclude  # flake8 `exclude` patterns (measured, not linted)
    repository_lint_settings: bool = True  # read the scanned repository's own flake8 settings
    lint_engine: str = _ANALYSIS.lint_engine  # "flake8" or "ruff" (docs/analysis.md)
    # File classes (metrics.core.file_classes).
    test_globs: tuple[str, ...] = _ANALYSIS.test_globs
    generated_globs: tuple[str, ...] = _ANALYSIS.generated_globs
    vendored_globs: tuple[str, ...] = _ANALYSIS.vendored_globs
    migration_globs: tuple[str, ...] = _ANALYSIS.migration_globs
    proposal_classes: tuple[str, ...] = ("production",)  # classes debt discovery proposes from
    # Minimums before a file counts as a hotspot or is proposed (over the window being ranked).
    hotspot_min_complexity: int = 10
    hotspot_min_sloc: int = 50
    hotspot_min_revisions: int = 3
    # Minimums before a file can be a knowledge island (lines, and revisions over the island's period).
    island_min_sloc: int = 50
    island_min_revisions: int = 5
    # Debt discovery after each scan (docs/debt.md): at most this many hotspot and knowledge-island proposals,
    # each with at least this hotspot score (0-100, relative to this repository). A top of 0 proposes none.
    proposal_hotspot_top: int = 10
    proposal_hotspot_min_score: float = 50.0
    proposal_island_top: int = 10
    proposal_island_min_score: float = 25.0

    def as_json(self) -> dict[str, Any]:
        """The JSON stored on the repository."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def analysis_config(self, *, pinned: Iterable[str] | None = None) -> AnalysisConfig:
        """The analyser configuration of these settings; RepositoryInvalid if a value is out of range.

        `pinned` names the keys set explicitly (those win over the scanned repository's own flake8 files); by
        default, the lint keys whose value differs from debtboard's default.
        """
        if pinned is None:
            defaults = RepositoryConfig()
            pinned = [key for key in LINT_KEYS if getattr(self, key) != getattr(defaults, key)]
        problems: list[str] = []
        per_file = parse_per_file_ignores(" ".join(self.flake8_per_file_ignores), problems)
        if problems:
            raise RepositoryInvalid(f"flake8_per_file_ignores: {problems[0]}", extra={"key": "flake8_per_file_ignores"})
        values = {ANALYSER_KEYS[key]: getattr(self, key) for key in ANALYSER_KEYS}
        try:
            return AnalysisConfig(**{**values, "per_file_ignores": per_file},
                                  pinned=tuple(sorted(LINT_KEYS[key] for key in pinned if key in LINT_KEYS)))
        except InvalidAnalysisConfig as exc:
            raise RepositoryInvalid(str(exc), extra={"key": exc.field}) from exc


# RepositoryConfig key -> the AnalysisConfig field it sets: the settings a CI client needs to analyse like the
# server (GET .../analysis-settings/ sends exactly these).
ANALYSER_KEYS = {
    **{name: name for name in (
        "include", "exclude", "flake8_select", "flake8_ignore", "max_complexity", "max_line_length", "marker_tags",
        "max_file_bytes", "file_timeout_seconds", "flake8_extend_select", "flake8_extend_ignore", "max_doc_length",
        "lint_exclude", "lint_engine", "repository_lint_settings", "test_globs", "generated_globs",
        "vendored_globs", "migration_globs",
    )},
    "flake8_per_file_ignores": "per_file_ignores",
}
# The lint keys among them: one set in the repository's debtboard configuration pins the AnalysisConfig field
# (the repository's own setup.cfg/tox.ini/.flake8 cannot change it).
LINT_KEYS = {key: ANALYSER_KEYS[key] for key in (
    "flake8_select", "flake8_ignore", "max_complexity", "max_line_length", "flake8_extend_select",
    "flake8_extend_ignore", "max_doc_length", "flake8_per_file_ignores", "lint_exclude",
)}


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
    _check_ranges(values)
    return RepositoryConfig(**values)


# Keys whose value must lie in a range tighter than "finite, non-negative": (lowest exclusive, highest inclusive).
_OPEN_RANGES: dict[str, tuple[float, float]] = {"points_to_hours": (0.0, 1000.0)}
# Closed ranges [low, high] of keys whose low end is allowed (0 proposals, a minimum score of 0).
_RANGES: dict[str, tuple[float, float]] = {
    "proposal_hotspot_top": (0, 1000), "proposal_island_top": (0, 1000),
    "proposal_hotspot_min_score": (0.0, 100.0), "proposal_island_min_score": (0.0, 100.0),
}


_CHOICES: dict[str, tuple[str, ...]] = {"lint_engine": ("flake8", "ruff")}
_CHOICE_LISTS: dict[str, tuple[str, ...]] = {
    "proposal_classes": ("production", "test", "generated", "vendored", "migration"),
}


def _range_problem(name: str, value: Any) -> str:
    """What is wrong with one configuration value's range or choice ("" when nothing is)."""
    if name in _OPEN_RANGES and not _OPEN_RANGES[name][0] < value <= _OPEN_RANGES[name][1]:
        low, high = _OPEN_RANGES[name]
        return f"{name} must be more than {low:g} and at most {high:g}."
    if name in _RANGES and not _RANGES[name][0] <= value <= _RANGES[name][1]:
        return f"{name} must be from {_RANGES[name][0]:g} to {_RANGES[name][1]:g}."
    if name in _CHOICES and value not in _CHOICES[name]:
        return f"{name} must be one of {', '.join(_CHOICES[name])}."
    if name in _CHOICE_LISTS and not set(value) <= set(_CHOICE_LISTS[name]):
        return f"{name} may only hold {', '.join(_CHOICE_LISTS[name])}."
    return ""


def _check_ranges(values: dict[str, Any]) -> None:
    """Refuse a value outside its key's range (a points-to-hours factor of 0 would make every point free)."""
    for name, value in values.items():
        problem = _range_problem(name, value)
        if problem:
            raise RepositoryInvalid(problem, extra={"key": name})


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        return _coerce_strings(name, value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise RepositoryInvalid(f"{name} must be true or false.", extra={"key": name})
        return value
    if isinstance(default, (int, float)):
        return type(default)(_coerce_number(name, value))
    if isinstance(default, str) and not isinstance(value, str):
        raise RepositoryInvalid(f"{name} must be a string.", extra={"key": name})
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


# --- Scan JSON contracts: Scan.counts and Scan.summary -------------------------------------------------------
# One frozen dataclass per contract, used by the writers (the scan pipeline, scoring) and every reader
# (pages, commands, benchmarks). `from_json` accepts any stored row: missing or ill-typed keys read as the
# field's default, so rows written before a field existed still load.

_TEXT_LIMIT = 500


def _finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _json_numbers(value: Any) -> dict[str, float]:
    """A JSON object of named numbers (timings per phase); anything else reads as empty."""
    if not isinstance(value, dict):
        return {}
    return {str(name): number for name, number in value.items() if _finite_number(number)}


def _json_text(value: Any, default: str = "") -> str:
    return clean_text(value, max_length=_TEXT_LIMIT) if isinstance(value, str) else default


def _json_int(value: Any) -> int | None:
    return int(value) if _finite_number(value) else None


def _json_float(value: Any) -> float | None:
    return float(value) if _finite_number(value) else None


def _json_int_or(value: Any, default: int) -> int:
    return int(value) if _finite_number(value) and value == int(value) else default


def _json_float_or(value: Any, default: float) -> float:
    return float(value) if _finite_number(value) else default


def _json_numbers_or(value: Any, default: dict[str, float]) -> dict[str, float]:
    return _json_numbers(value) if isinstance(value, dict) else default


_READERS: dict[type, Any] = {int: _json_int_or, float: _json_float_or, str: _json_text, dict: _json_numbers_or}


def _json_value(value: Any, default: Any) -> Any:
    """`value` when it has the JSON type of `default` (a finite number for numbers), else `default`."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else default
    reader = _READERS.get(type(default))
    return reader(value, default) if reader is not None else default


class _FlatCounts:
    """A stage's counts: flat numbers, flags, short texts and named timings, read tolerantly."""

    @classmethod
    def from_json(cls, data: Any) -> Any:
        """Read stored JSON; missing or ill-typed keys take the field's default."""
        data = data if isinstance(data, dict) else {}
        values = {}
        for item in fields(cls):  # type: ignore[arg-type]
            default = item.default_factory() if item.default is MISSING else item.default  # type: ignore[misc]
            values[item.name] = _json_value(data.get(item.name, default), default)
        return cls(**values)

    @classmethod
    def of(cls, result: object) -> Any:
        """The counts of a stage's result object (which has at least these fields), made JSON-safe."""
        return cls.from_json({item.name: getattr(result, item.name) for item in fields(cls)})  # type: ignore[arg-type]

    def as_json(self) -> dict[str, Any]:
        """The JSON stored in Scan.counts."""
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class MiningCounts(_FlatCounts):
    """What the mining stage did (metrics.services.history.MiningResult)."""

    new_commits: int = 0
    total_commits: int = 0
    remined: bool = False
    excluded_commits: int = 0
    duration: float = 0.0


@dataclass(frozen=True)
class AnalysisCounts(_FlatCounts):
    """What the analysis stage did (metrics.services.analysis.SnapshotResult)."""

    files: int = 0
    analysed: int = 0
    cached: int = 0
    errors: int = 0
    skipped_symlinks: int = 0
    skipped_submodules: int = 0
    excluded: int = 0
    duration: float = 0.0


@dataclass(frozen=True)
class ScoringCounts(_FlatCounts):
    """What the scoring stage stored (metrics.services.scoring.ScoringResult)."""

    files: int = 0
    commits: int = 0
    file_scores: int = 0
    function_scores: int = 0
    couplings: int = 0
    file_authors: int = 0
    code_owners: int = 0
    codeowners_file: str = ""
    codeowners_errors: int = 0
    hotspots: int = 0
    knowledge_islands: int = 0
    duration: float = 0.0
    history_from_cache: bool = False
    history_commits_read: int = 0
    parallel: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeOwnersProblem:
    """A CODEOWNERS line the scan skipped, and why."""

    line: int
    text: str
    message: str

    def as_json(self) -> dict[str, Any]:
        """The JSON stored in Scan.counts and Scan.summary."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> "CodeOwnersProblem":
        """Read one stored problem; missing keys read as 0 or ""."""
        data = data if isinstance(data, dict) else {}
        return cls(line=_json_int(data.get("line")) or 0, text=_json_text(data.get("text")),
                   message=_json_text(data.get("message")))


@dataclass(frozen=True)
class ListenerError:
    """A "scan finished" receiver that raised: its dotted name and the error."""

    listener: str
    error: str

    def as_json(self) -> dict[str, Any]:
        """The JSON stored in Scan.counts."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> "ListenerError":
        """Read one stored error."""
        data = data if isinstance(data, dict) else {}
        return cls(listener=_json_text(data.get("listener")), error=_json_text(data.get("error")))


def _json_list(value: Any, read: Any) -> tuple[Any, ...]:
    return tuple(read(item) for item in value if isinstance(item, dict)) if isinstance(value, list | tuple) else ()


@dataclass(frozen=True)
class ScanCounts:
    """Scan.counts: each stage's counts, seconds per stage, the error code, the receivers' time and errors.

    A key is left out of the JSON while it has nothing to say (a stage not reached, no receiver errors).
    """

    mining: MiningCounts | None = None
    analysis: AnalysisCounts | None = None
    scoring: ScoringCounts | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, and "total"
    codeowners_errors: tuple[CodeOwnersProblem, ...] | None = None  # None until scoring ran
    error_code: str = ""  # the stable code of a failed or interrupted scan
    listener_seconds: dict[str, float] = field(default_factory=dict)  # per "scan finished" receiver
    listener_errors: tuple[ListenerError, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The JSON stored on Scan.counts."""
        data: dict[str, Any] = {
            name: stage.as_json()
            for name, stage in (("mining", self.mining), ("analysis", self.analysis), ("scoring", self.scoring))
            if stage is not None
        }
        if self.seconds:
            data["seconds"] = dict(self.seconds)
        if self.codeowners_errors is not None:
            data["codeowners_errors"] = [problem.as_json() for problem in self.codeowners_errors]
        if self.error_code:
            data["error_code"] = self.error_code
        if self.listener_seconds:
            data["listener_seconds"] = dict(self.listener_seconds)
        if self.listener_errors:
            data["listener_errors"] = [error.as_json() for error in self.listener_errors]
        return data

    @classmethod
    def from_json(cls, data: Any) -> "ScanCounts":
        """Read any stored Scan.counts (an empty or old row reads as "nothing recorded")."""
        data = data if isinstance(data, dict) else {}
        problems = data.get("codeowners_errors")
        return cls(
            mining=MiningCounts.from_json(data["mining"]) if isinstance(data.get("mining"), dict) else None,
            analysis=AnalysisCounts.from_json(data["analysis"]) if isinstance(data.get("analysis"), dict) else None,
            scoring=ScoringCounts.from_json(data["scoring"]) if isinstance(data.get("scoring"), dict) else None,
            seconds=_json_numbers(data.get("seconds")),
            codeowners_errors=(_json_list(problems, CodeOwnersProblem.from_json)
                               if isinstance(problems, list) else None),
            error_code=_json_text(data.get("error_code")),
            listener_seconds=_json_numbers(data.get("listener_seconds")),
            listener_errors=_json_list(data.get("listener_errors"), ListenerError.from_json),
        )


@dataclass(frozen=True)
class LintSettingLine:
    """One effective lint option at a scan and where it came from ("flake8: max-line-length 88 from setup.cfg")."""

    option: str
    value: str
    source: str  # a configuration file of the repository, "debtboard configuration" or "debtboard default"
    engine: str = "flake8"

    @property
    def label(self) -> str:
        """The line the dashboard shows."""
        return f"{self.engine}: {self.option} {self.value} from {self.source}"

    def as_json(self) -> dict[str, Any]:
        """The JSON stored in Scan.summary."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> "LintSettingLine":
        """Read one stored line; missing keys read as ""."""
        data = data if isinstance(data, dict) else {}
        return cls(option=_json_text(data.get("option")), value=_json_text(data.get("value")),
                   source=_json_text(data.get("source")), engine=_json_text(data.get("engine"), "flake8"))


@dataclass(frozen=True)
class ScanSummary:
    """Scan.summary: the repository's figures at the scan, over the repository's default window.

    Figures a row did not record read as None (or empty), never as zero.
    """

    window_days: int | None = None
    files: int | None = None
    unanalysed: int | None = None  # files whose analysis is an error; outside the bands and mean health
    loc: int | None = None  # physical lines
    sloc: int | None = None  # source lines (from issue 17's labels; None on older rows)
    total_complexity: int | None = None
    violations: int | None = None
    markers: int | None = None
    hotspots: int | None = None
    hotspot_threshold: float | None = None
    health_bands: dict[str, int] = field(default_factory=dict)  # metrics.choices.HealthBand value -> files
    mean_health: float | None = None
    hotspots_by_window: dict[str, int] = field(default_factory=dict)  # "90", "365", "0" -> hotspots
    knowledge_islands: int | None = None
    function_hotspots: int | None = None
    codeowners_file: str = ""
    codeowners_errors: tuple[CodeOwnersProblem, ...] = ()
    # Issue 17 (docs/scoring.md). Figures above count production files only from this version on
    # (`classes` says which classes they cover; None on older rows, which covered every file).
    classes: tuple[str, ...] | None = None
    files_by_class: dict[str, int] = field(default_factory=dict)
    changing_but_simple: int | None = None  # changed in the window, below the complexity or size minimum
    unchanged: int | None = None  # no change in the window: not ranked
    lint_engine: str = ""
    lint_settings: tuple[LintSettingLine, ...] = ()
    lint_ignored_keys: tuple[str, ...] = ()  # keys of the repository's file not read (plugins, format, ...)

    def as_json(self) -> dict[str, Any]:
        """The JSON stored on Scan.summary."""
        data = {item.name: getattr(self, item.name) for item in fields(self)
                if item.name not in ("codeowners_file", "codeowners_errors", "lint_settings", "classes",
                                     "lint_ignored_keys")}
        data["health_bands"] = dict(self.health_bands)
        data["hotspots_by_window"] = dict(self.hotspots_by_window)
        data["files_by_class"] = dict(self.files_by_class)
        data["codeowners"] = {"file": self.codeowners_file,
                              "errors": [problem.as_json() for problem in self.codeowners_errors]}
        data["classes"] = None if self.classes is None else list(self.classes)
        data["lint_settings"] = [line.as_json() for line in self.lint_settings]
        data["lint_ignored_keys"] = list(self.lint_ignored_keys)
        return data

    @classmethod
    def from_json(cls, data: Any) -> "ScanSummary":
        """Read any stored Scan.summary; missing or ill-typed figures read as None."""
        data = data if isinstance(data, dict) else {}
        codeowners = data.get("codeowners") if isinstance(data.get("codeowners"), dict) else {}
        counts = {name: _json_int(data.get(name)) for name in _SUMMARY_COUNTS}
        return cls(
            **counts,
            hotspot_threshold=_json_float(data.get("hotspot_threshold")),
            mean_health=_json_float(data.get("mean_health")),
            health_bands=_json_counts(data.get("health_bands")),
            hotspots_by_window=_json_counts(data.get("hotspots_by_window")),
            codeowners_file=_json_text(codeowners.get("file")),
            codeowners_errors=_json_list(codeowners.get("errors"), CodeOwnersProblem.from_json),
            classes=_json_strings(data.get("classes")),
            files_by_class=_json_counts(data.get("files_by_class")),
            lint_engine=_json_text(data.get("lint_engine")),
            lint_settings=_json_list(data.get("lint_settings"), LintSettingLine.from_json),
            lint_ignored_keys=_json_strings(data.get("lint_ignored_keys")) or (),
        )


_SUMMARY_COUNTS = ("window_days", "files", "unanalysed", "loc", "sloc", "total_complexity", "violations",
                   "markers", "hotspots", "knowledge_islands", "function_hotspots", "changing_but_simple", "unchanged")


def _json_strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple):
        return None
    return tuple(_json_text(item) for item in value if isinstance(item, str))


def _json_counts(value: Any) -> dict[str, int]:
    return {name: int(number) for name, number in _json_numbers(value).items()}


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
    sloc: int | None  # source lines
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
    blob_sha: str = ""


@dataclass(frozen=True)
class CoupledFile:
    """A file often changed together with another one (code-maat's degree)."""

    path: str
    degree: float
    shared_revisions: int
    revisions: int


@dataclass(frozen=True)
class EffortConversion:
    """How one repository counts effort, and the hours a unit is worth (1 for hours, points_to_hours for points)."""

    repository_id: int
    repository_name: str
    effort_unit: str
    hours_per_unit: float

    @property
    def is_converted(self) -> bool:
        """Whether figures from this repository are points turned into hours (show the factor next to them)."""
        return self.effort_unit != "hours"


@dataclass(frozen=True)
class AreaFigures:
    """The code in an area (path prefixes and CODEOWNERS handles of one repository) at the current scan."""

    repository_id: int
    scan_id: int | None
    files: int = 0
    mean_health: float | None = None
    hotspot_score_sum: float = 0.0


@dataclass(frozen=True)
class RepositoryAccess:
    """What one user may do on one repository (metrics.selectors.access.repository_access builds it).

    `role` is "none", "viewer", "member", "maintainer" or "staff"; the capabilities follow from it through
    the one table in metrics.selectors.access (ROLE_CAPABILITIES).
    """

    role: str
    can_read: bool = False
    can_write_items: bool = False
    can_post_checks: bool = False
    can_triage: bool = False
    can_import: bool = False
    can_scan: bool = False
    can_manage: bool = False

    def allows(self, capability: str) -> bool:
        """Whether the capability named `capability` ("read", "write_items", …) is granted."""
        return bool(getattr(self, f"can_{capability}"))


@dataclass(frozen=True)
class RepositoryMember:
    """One membership of a repository, as the settings page, the API and the CLI show it."""

    username: str
    role: str


# --- CI change checks: the figures a client posts and the settings it analyses with ---------------------------
# One contract for writer and reader alike: `debtboard analyze --format json` prints file entries in this shape
# (with more keys), `debtboard check` posts a ChangeSubmission, the API validates the JSON and hands the service
# `ChangeSubmission.from_json`. Bounds are checked by metrics.core.gate (figures_problem, path_problem).


def _functions_json(value: Any) -> tuple[tuple[str, int], ...]:
    """(qualname, complexity) pairs from a JSON list of {"qualname", "complexity"} objects."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple((item.get("qualname", ""), item.get("complexity", 0)) for item in value if isinstance(item, dict))


@dataclass(frozen=True)
class ChangedFileFigures:
    """One changed file of a change: its figures after the change, or deleted (`old_path` set for a rename).

    `status` is "error" when the file could not be analysed (a syntax error, say); it then fails the gate.
    """

    path: str
    old_path: str = ""
    deleted: bool = False
    status: str = "ok"
    error: str = ""
    loc: int = 0
    total_complexity: int = 0
    violation_count: int = 0
    marker_count: int = 0
    mi: float | None = None
    functions: tuple[tuple[str, int], ...] = ()  # (qualname, cyclomatic complexity)

    @classmethod
    def from_analysis(cls, analysis: FileAnalysis, *, old_path: str = "") -> "ChangedFileFigures":
        """The figures of one analysed file (metrics.core.analysis.FileAnalysis)."""
        if not analysis.ok:
            return cls(path=analysis.path, old_path=old_path, status="error",
                       error=f"{analysis.error_kind}: {analysis.error}"[:2000])
        return cls(
            path=analysis.path, old_path=old_path, loc=analysis.loc, total_complexity=analysis.total_complexity,
            violation_count=len(analysis.violations),
            marker_count=sum(1 for marker in analysis.markers if marker.kind == DEBT),
            mi=analysis.mi if analysis.mi is not None and math.isfinite(analysis.mi) else None,
            functions=tuple((f.qualname, f.complexity) for f in analysis.functions),
        )

    def gate_figures(self) -> GateFigures | None:
        """What the gate compares (None for a deleted file)."""
        if self.deleted:
            return None
        return GateFigures(loc=self.loc, complexity=self.total_complexity, violations=self.violation_count,
                           markers=self.marker_count, mi=self.mi, functions=self.functions)

    @property
    def analysis_error(self) -> str:
        """Why the file could not be analysed ("" when it was)."""
        return (self.error or "analysis failed") if self.status == "error" else ""

    def as_json(self) -> dict[str, Any]:
        """The file entry as posted (and as `debtboard analyze --format json` prints it, among more keys)."""
        data = asdict(self)
        data["functions"] = [{"qualname": name, "complexity": complexity} for name, complexity in self.functions]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ChangedFileFigures":
        """Read a file entry; unknown keys are ignored, values are kept as given (the gate checks bounds)."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data and f.name != "functions"}
        return cls(**values, functions=_functions_json(data.get("functions", ())))


@dataclass(frozen=True)
class ChangeSubmission:
    """A change posted by CI: its commit, where it starts, who wrote it, and its changed files."""

    files: tuple[ChangedFileFigures, ...]
    revision: str = ""  # the change's head commit
    base_revision: str = ""  # the commit the change is compared from (the merge base)
    parent_revision: str = ""  # the head commit's first parent
    reference: str = ""  # pull or merge request number
    branch: str = ""
    author_name: str = ""
    author_email: str = ""

    def as_json(self) -> dict[str, Any]:
        """The request body of POST /api/v1/repositories/{name}/change-checks/."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "files"}
        return {**data, "files": [item.as_json() for item in self.files]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ChangeSubmission":
        """Read a posted body (already validated for shape by the API's input serializer)."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data and f.name != "files"}
        files = data.get("files", ())
        return cls(files=tuple(ChangedFileFigures.from_json(item) for item in files if isinstance(item, dict)),
                   **values)


@dataclass(frozen=True)
class AnalysisSettings:
    """What a client needs to analyse like the server: the repository's analyser keys, which of them the
    repository pinned, and its default branch (the body of GET /api/v1/repositories/{name}/analysis-settings/)."""

    config: RepositoryConfig = field(default_factory=RepositoryConfig)
    pinned: tuple[str, ...] | None = None  # None: the lint keys that differ from the defaults (an older server)
    default_branch: str = ""  # the repository's default revision as the server knows it ("" or "HEAD": unknown)

    @classmethod
    def of(cls, config: RepositoryConfig, *, pinned: Iterable[str] | None = None,
           default_branch: str = "") -> "AnalysisSettings":
        """The settings of a repository configuration."""
        return cls(config=config, pinned=None if pinned is None else tuple(sorted(set(pinned) & set(LINT_KEYS))),
                   default_branch=default_branch)

    def analysis_config(self) -> AnalysisConfig:
        """The analyser configuration (RepositoryInvalid when a value is out of range)."""
        return self.config.analysis_config(pinned=self.pinned)

    def as_json(self) -> dict[str, Any]:
        """The body of GET /api/v1/repositories/{name}/analysis-settings/."""
        keys = {key: value for key, value in self.config.as_json().items() if key in ANALYSER_KEYS}
        pinned = None if self.pinned is None else list(self.pinned)
        return {**keys, "pinned": pinned, "default_branch": self.default_branch}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "AnalysisSettings":
        """Read the settings a server sent; RepositoryInvalid when a value is not a valid setting."""
        if not isinstance(data, dict):
            raise RepositoryInvalid("The analysis settings must be a JSON object.")
        branch = data.get("default_branch", "")
        pinned = data.get("pinned")
        if pinned is not None and not (isinstance(pinned, list) and all(isinstance(key, str) for key in pinned)):
            raise RepositoryInvalid("pinned must be a list of configuration keys.", extra={"key": "pinned"})
        config = repository_config_from_json({k: v for k, v in data.items() if k in ANALYSER_KEYS})
        return cls.of(config, pinned=pinned, default_branch=branch if isinstance(branch, str) else "")


@dataclass(frozen=True)
class CheckPolicy:
    """A repository's change-check policy: what counts as worse, hotspots, new files (Repository.check_policy).

    The one JSON contract of the policy, read and written by the settings page, the API and the gate
    (metrics.services.gate_policy turns it into metrics.core.gate.GateConfig). None where a limit may be left
    out: `max_function_complexity` None uses the repository's `max_complexity`; `complexity_tolerance` None
    leaves a file's total complexity unjudged; `new_file_max_function_complexity` None uses the function limit.
    """

    max_function_complexity: int | None = None
    complexity_tolerance: int | None = None
    violations_tolerance: int = 0
    markers_tolerance: int = 0
    mi_tolerance: float = 1.0
    new_markers_fail: bool = True
    hotspot_must_improve: bool = False  # "always leave code cleaner", strictly
    hotspot_top_n: int = 10
    new_file_max_violations: int = 0
    new_file_max_markers: int = 0
    new_file_max_function_complexity: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON stored on the repository and served by the API."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "CheckPolicy":
        """A validated policy; unknown keys or values out of range raise RepositoryInvalid (check_policy.invalid)."""
        if data is not None and not isinstance(data, dict):
            raise RepositoryInvalid("The change-check policy must be a JSON object.", code="check_policy.invalid")
        data = dict(data or {})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise RepositoryInvalid(f"Unknown policy keys: {', '.join(unknown)}.", code="check_policy.invalid",
                                    extra={"keys": unknown})
        return cls(**{name: _policy_value(name, value, known[name].default) for name, value in data.items()})


_POLICY_INT_LIMIT = 10**6
_POLICY_FLOAT_LIMIT = 1_000.0


def _policy_value(name: str, value: Any, default: Any) -> Any:
    """One policy value checked against its default's type: a bool, a whole number or a finite number ≥ 0."""
    if value is None and name in _OPTIONAL_POLICY_KEYS:
        return None
    if isinstance(default, bool):
        valid, expected = type(value) is bool, "true or false"
    elif isinstance(default, float):
        valid = type(value) in (int, float) and _finite_number(value) and 0 <= value <= _POLICY_FLOAT_LIMIT
        expected = f"a number from 0 to {_POLICY_FLOAT_LIMIT:g}"
        value = float(value) if valid else value
    else:
        valid = type(value) is int and 0 <= value <= _POLICY_INT_LIMIT
        expected = f"a whole number from 0 to {_POLICY_INT_LIMIT}"
    if not valid:
        raise RepositoryInvalid(f"{name} must be {expected}.", code="check_policy.invalid", extra={"key": name})
    return value


_OPTIONAL_POLICY_KEYS = frozenset({"max_function_complexity", "complexity_tolerance",
                                   "new_file_max_function_complexity"})


@dataclass(frozen=True)
class BoyScoutTally:
    """Changes checked and what they did to the code: the figures of the Boy Scout record, for any group."""

    checks: int = 0
    cleaner: int = 0
    same: int = 0
    worse: int = 0
    complexity_removed: int = 0  # net: complexity taken out minus complexity added
    violations_fixed: int = 0
    markers_removed: int = 0

    def share(self, part: int) -> float | None:
        """`part` as a share of the checks (None when there are none)."""
        return round(part / self.checks, 3) if self.checks else None

    @property
    def cleaner_share(self) -> float | None:
        return self.share(self.cleaner)

    @property
    def same_share(self) -> float | None:
        return self.share(self.same)

    @property
    def worse_share(self) -> float | None:
        return self.share(self.worse)


@dataclass(frozen=True)
class BoyScoutAuthor:
    """One author's Boy Scout tally (e-mail and name after .mailmap; `username` when a user has that e-mail)."""

    name: str
    email: str
    username: str
    tally: BoyScoutTally


@dataclass(frozen=True)
class BoyScoutWeek:
    """One ISO week's Boy Scout tally (`week` is its Monday)."""

    week: Any
    tally: BoyScoutTally


@dataclass(frozen=True)
class BoyScoutRecord:
    """Who left the code cleaner over the last `days` days: totals, a leaderboard and a weekly trend."""

    days: int
    repositories: tuple[str, ...]
    total: BoyScoutTally
    authors: tuple[BoyScoutAuthor, ...]  # the leaderboard: most changes left cleaner first
    weeks: tuple[BoyScoutWeek, ...]  # oldest first


@dataclass(frozen=True)
class RescanScheduleState:
    """A repository's rescan schedule as pages and the API show it (times in `time_zone`, the server's)."""

    kind: str
    time: str | None
    weekday: int | None
    description: str
    time_zone: str
    next_due_at: datetime | None
    last_fired_at: datetime | None


@dataclass(frozen=True)
class RescanFired:
    """What one scheduled rescan did: queued a scan, found one live (it serves the slot), or failed to queue."""

    repository: str
    outcome: str  # queued, already_running, failed
    scan_id: int | None
    message: str = ""


@dataclass(frozen=True)
class WebhookOutcome:
    """What a verified push webhook delivery did (queued, already_running, ignored, duplicate, pong)."""

    outcome: str
    detail: str
    scan_id: int | None = None
    delivery_id: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"status": self.outcome, "detail": self.detail, "scan": self.scan_id, "delivery": self.delivery_id}


@dataclass(frozen=True)
class BlameRequest:
    """Lines of one file at a scan to attribute (its blob keys the blame cache)."""

    path: str
    blob_sha: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class BlameReport:
    """What marker attribution found: lines by path, and how: git runs, cache hits, failures, deferrals."""

    lines: dict[str, dict[int, Any]]  # path -> line -> metrics.core.blame.BlameLine
    failed: tuple[str, ...] = ()
    deferred: tuple[str, ...] = ()
    git_runs: int = 0
    cached: int = 0


@dataclass(frozen=True)
class WorkerHeartbeatInfo:
    """A worker's last heartbeat (metrics.selectors.monitoring.worker_heartbeat_list)."""

    worker_id: str
    kind: str
    hostname: str
    pid: int
    seen_at: datetime
    age_seconds: float


@dataclass(frozen=True)
class StageDurations:
    """Every succeeded scan's seconds in one stage, as a histogram: cumulative counts per upper bound."""

    stage: str
    buckets: tuple[tuple[float, int], ...]  # (upper bound, scans at or under it); the last bound is +inf
    total_seconds: float
    count: int


@dataclass(frozen=True)
class ScanQueueFigures:
    """What /metrics reports about scans (metrics.selectors.monitoring.scan_queue_figures)."""

    by_status: dict[str, int]
    queued: int
    oldest_queued_age_seconds: float  # 0 with an empty queue
    stage_durations: tuple[StageDurations, ...]
    blobs_cached: int  # every succeeded scan's analysis stage: blobs found in the analysis cache
    blobs_analysed: int  # and blobs analysed afresh
    recent_cache_hit_ratio: float | None  # cached / (cached + analysed) over the last RECENT scans; None: none
