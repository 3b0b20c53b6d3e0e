"""Scores from measures: hotspot score and rank, code health 1-10, function hotspots, the scan summary.

The formulas and the reasons for their constants are written down in docs/scoring.md.
"""
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

HOTSPOT_THRESHOLD = 50.0  # a file scoring at least this is counted as a hotspot in the summary
HEALTHY_FROM = 8.0  # health >= 8: healthy
ALERT_BELOW = 4.0  # health < 4: alert; in between: warning
HEALTH_WEIGHTS: dict[str, float] = {
    "maintainability": 0.30,
    "function_complexity": 0.25,
    "lint_density": 0.15,
    "size": 0.15,
    "coupling": 0.15,
}


def clamp01(value: float) -> float:
    """Clamp to [0, 1]; NaN becomes 0."""
    if not value > 0:
        return 0.0
    return min(1.0, value)


def log_normalise(value: float, maximum: float) -> float:
    """Map 0..maximum onto 0..1 on a log scale: log(1 + value) / log(1 + maximum)."""
    if maximum <= 0 or value <= 0:
        return 0.0
    return clamp01(math.log1p(value) / math.log1p(maximum))


# A file's standing in a ranking over one window (FileScore.rank_status; docs/scoring.md "Minimums").
RANKED = "ranked"  # meets every minimum: a hotspot candidate
SIMPLE = "simple"  # changing but simple: changed enough, but below the complexity or size minimum
RARE = "rare"  # complex enough, but changed fewer times than the minimum in the window
UNCHANGED = "unchanged"  # no change in the window: listed apart, never ranked as a 0.0 hotspot
RANK_STATUSES = (RANKED, SIMPLE, RARE, UNCHANGED)


@dataclass(frozen=True, slots=True)
class Minimums:
    """What a file needs before it counts as a hotspot: total complexity, source lines, revisions in the window."""

    complexity: int = 10
    sloc: int = 50
    revisions: int = 3


def rank_status(*, revisions: int, complexity: int, sloc: int, minimums: Minimums) -> str:
    """RANKED when the file meets every minimum, else why not (UNCHANGED, SIMPLE, RARE)."""
    if revisions <= 0:
        return UNCHANGED
    if complexity < minimums.complexity or sloc < minimums.sloc:
        return SIMPLE
    if revisions < minimums.revisions:
        return RARE
    return RANKED


@dataclass(frozen=True, slots=True)
class HotspotInput:
    """What makes a file a hotspot: how often it changes, how complex and how big it is (source lines)."""

    path: str
    change_frequency: float
    complexity: int
    sloc: int
    ranked: bool = True  # meets the minimums; files that do not rank after every file that does


@dataclass(frozen=True, slots=True)
class HotspotScore:
    """A file's hotspot score (0-100), its rank in the repository (1 = hottest) and why."""

    path: str
    score: float
    rank: int
    breakdown: dict[str, Any]


HOTSPOT_FACTORS = ("change_frequency", "complexity", "sloc")
HOTSPOT_FORMULA = ("100 * cbrt(norm(change_frequency) * norm(complexity) * norm(sloc)), "
                   "norm(x) = log(1+x) / log(1+max)")


def score_hotspots(items: Sequence[HotspotInput]) -> dict[str, HotspotScore]:
    """Score and rank files: 100 * cbrt(f * c * s), each factor log-normalised against the repository's maxima.

    The geometric mean of change frequency, complexity and size keeps Tornhill's product (a hotspot
    needs frequent change and a big, complicated file; any factor at zero gives zero) on a 0-100 scale.
    Files meeting the minimums (`ranked`) come first; ties by frequency, then complexity, then path.
    """
    maxima = {name: max((getattr(item, name) for item in items), default=0) for name in HOTSPOT_FACTORS}
    scored = []
    for item in items:
        normalised = {name: log_normalise(getattr(item, name), maxima[name]) for name in HOTSPOT_FACTORS}
        product = math.prod(normalised.values())
        score = round(100.0 * product ** (1.0 / len(HOTSPOT_FACTORS)), 2)
        scored.append((item, score, _hotspot_breakdown(item, maxima, normalised)))
    scored.sort(key=lambda entry: (not entry[0].ranked, -entry[1], -entry[0].change_frequency,
                                   -entry[0].complexity, entry[0].path))
    return {
        item.path: HotspotScore(path=item.path, score=score, rank=rank, breakdown=breakdown)
        for rank, (item, score, breakdown) in enumerate(scored, start=1)
    }


def _hotspot_breakdown(item: HotspotInput, maxima: dict[str, float], normalised: dict[str, float]) -> dict[str, Any]:
    """Inputs, maxima and normalised factors; `dominant` is the largest ("balanced" when all three are equal).

    Ties for the largest go to the first of change frequency, complexity, size.
    """
    top = max(HOTSPOT_FACTORS, key=lambda name: normalised[name])
    return {
        "inputs": {name: round(getattr(item, name), 4) for name in HOTSPOT_FACTORS},
        "maxima": {name: round(maxima[name], 4) for name in HOTSPOT_FACTORS},
        "normalised": {name: round(value, 4) for name, value in normalised.items()},
        "formula": HOTSPOT_FORMULA,
        "dominant": "balanced" if len(set(normalised.values())) == 1 else top,
    }


@dataclass(frozen=True, slots=True)
class HealthInput:
    """The static and change facts code health is computed from; `mi` is None when unknown."""

    mi: float | None
    worst_function_complexity: int
    violations: int
    loc: int
    coupling_sum: float


def lint_density(violations: int, loc: int) -> float:
    """Violations per 100 lines of code."""
    return 100.0 * violations / max(loc, 1) if violations else 0.0


def health_penalties(facts: HealthInput) -> dict[str, float]:
    """Each factor's penalty in [0, 1]: 0 is fine, 1 is as bad as it gets."""
    return {
        # Maintainability index: 70 and above is fine, 10 and below is the worst.
        "maintainability": 0.0 if facts.mi is None else clamp01((70.0 - facts.mi) / 60.0),
        # The worst function: McCabe's 10 is fine, 40 (radon's rank F starts at 41) is the worst.
        "function_complexity": clamp01((facts.worst_function_complexity - 10) / 30.0),
        # Lint density: 10 violations per 100 lines is the worst.
        "lint_density": clamp01(lint_density(facts.violations, facts.loc) / 10.0),
        # Size: 300 lines is fine, 1,500 lines is the worst.
        "size": clamp01((facts.loc - 300) / 1200.0),
        # Change coupling: a sum of degrees of 3 (three files always changed with it) is the worst.
        "coupling": clamp01(facts.coupling_sum / 3.0),
    }


def code_health(facts: HealthInput) -> tuple[float, dict[str, Any]]:
    """Return code health 1-10 (10 - 9 * weighted sum of penalties) and its breakdown."""
    penalties = health_penalties(facts)
    weighted = {name: HEALTH_WEIGHTS[name] * penalty for name, penalty in penalties.items()}
    health = round(10.0 - 9.0 * sum(weighted.values()), 2)
    worst = max(weighted, key=lambda name: (weighted[name], name))
    breakdown = {
        "inputs": {
            "mi": None if facts.mi is None else round(facts.mi, 2),
            "worst_function_complexity": facts.worst_function_complexity,
            "lint_density": round(lint_density(facts.violations, facts.loc), 4),
            "loc": facts.loc,
            "coupling_sum": round(facts.coupling_sum, 4),
        },
        "penalties": {name: round(value, 4) for name, value in penalties.items()},
        "weights": dict(HEALTH_WEIGHTS),
        "weighted": {name: round(value, 4) for name, value in weighted.items()},
        "formula": "10 - 9 * sum(weight_i * penalty_i)",
        "dominant": worst if weighted[worst] > 0 else None,
        "missing": ["mi"] if facts.mi is None else [],
    }
    return health, breakdown


def health_band(health: float) -> str:
    """Name the band of a health value: healthy (>= 8), warning (4 to < 8) or alert (< 4)."""
    if health >= HEALTHY_FROM:
        return "healthy"
    if health < ALERT_BELOW:
        return "alert"
    return "warning"


def function_hotspot_score(complexity: int, changes: int) -> float:
    """A function hotspot's score: its cyclomatic complexity times the commits that changed it."""
    return float(complexity * changes)


@dataclass(frozen=True, slots=True)
class FileFacts:
    """One scored file as the scan summary sees it (`analysed` is False after an analysis error)."""

    loc: int
    complexity: int
    violations: int
    markers: int
    health: float
    hotspot_score: float
    analysed: bool = True
    ranked: bool = True  # meets the hotspot minimums (only those count as hotspots)
    sloc: int = 0  # source lines (loc is physical lines)


def summarise(files: Iterable[FileFacts], *, window_days: int) -> dict[str, Any]:
    """Summarise a scan: files per health band, totals, hotspot count and mean health.

    Bands and mean health cover the files that were analysed; `unanalysed` counts the others.
    """
    files = list(files)
    analysed = [item for item in files if item.analysed]
    return {
        "window_days": window_days,
        "files": len(files),
        "unanalysed": len(files) - len(analysed),
        **_totals(files),
        "hotspots": sum(1 for item in files if item.ranked and item.hotspot_score >= HOTSPOT_THRESHOLD),
        "hotspot_threshold": HOTSPOT_THRESHOLD,
        "health_bands": _health_bands(analysed),
        "mean_health": _mean_health(analysed),
    }


def _totals(files: Sequence[FileFacts]) -> dict[str, int]:
    """Summed size and findings: physical lines (loc), source lines (sloc), complexity, violations, markers."""
    totals = dict.fromkeys(("loc", "sloc", "total_complexity", "violations", "markers"), 0)
    for item in files:
        totals["loc"] += item.loc
        totals["sloc"] += item.sloc
        totals["total_complexity"] += item.complexity
        totals["violations"] += item.violations
        totals["markers"] += item.markers
    return totals


def _health_bands(files: Sequence[FileFacts]) -> dict[str, int]:
    """Count the files in each health band (every band present, even when empty)."""
    bands = {"healthy": 0, "warning": 0, "alert": 0}
    for item in files:
        bands[health_band(item.health)] += 1
    return bands


def _mean_health(files: Sequence[FileFacts]) -> float | None:
    """The files' mean health to two decimals; None when there are none."""
    return round(sum(item.health for item in files) / len(files), 2) if files else None
