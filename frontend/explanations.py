"""Plain-language explanations of a file's scores: one sentence, two percentile bars and the main health penalty."""
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The health factors of metrics.core.scoring.code_health, as a reader would name them.
PENALTY_LABELS: dict[str, str] = {
    "maintainability": "low maintainability index",
    "function_complexity": "a complex function",
    "lint_density": "lint violations",
    "size": "file size",
    "coupling": "coupling to files it changes with",
}
# Both figures this high up the repository's files read as "in the top N % of both".
BOTH_TOP_PERCENT = 10


@dataclass(frozen=True)
class Distribution:
    """The repository's files' revisions and complexities over one window, sorted, for percentiles."""

    revisions: tuple[int, ...]
    complexity: tuple[int, ...]

    @classmethod
    def of(cls, figures: Iterable[tuple[int, int]]) -> "Distribution":
        """Build from (revisions, complexity) pairs, one per scored file."""
        pairs = list(figures)
        return cls(revisions=tuple(sorted(p[0] for p in pairs)), complexity=tuple(sorted(p[1] for p in pairs)))


@dataclass(frozen=True)
class Explanation:
    """Why a file scores what it does, for people."""

    sentence: str
    change_percentile: int | None  # share of files changed at most as often, 0..100
    complexity_percentile: int | None  # share of files at most as complex, 0..100
    health_penalty: str  # "" when health has no penalty or no breakdown


def top_percent(values: Sequence[float], value: float) -> int | None:
    """The share of `values` (sorted) at or above `value`, as a whole percentage of at least 1; None if empty."""
    if not values:
        return None
    at_least = len(values) - bisect_left(values, value)
    return max(1, math.ceil(100 * at_least / len(values)))


def percentile(values: Sequence[float], value: float) -> int | None:
    """The share of `values` (sorted) at or below `value`, as a whole percentage; None if empty."""
    if not values:
        return None
    return round(100 * bisect_right(values, value) / len(values))


def _times(count: int) -> str:
    return {0: "not changed", 1: "changed once", 2: "changed twice"}.get(count, f"changed {count} times")


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _standing(change_top: int | None, complexity_top: int | None) -> str:
    if change_top is None or complexity_top is None:
        return ""
    if change_top == complexity_top or max(change_top, complexity_top) <= BOTH_TOP_PERCENT:
        return f" — in the top {max(change_top, complexity_top)} % of both"
    return f" — top {change_top} % for changes, top {complexity_top} % for complexity"


def score_sentence(*, revisions: int, authors: int, window: str, complexity: int,
                   change_top: int | None, complexity_top: int | None) -> str:
    """Say a file's hotspot figures in one sentence ("changed 9 times by 1 person in 365 days, complexity 161 …")."""
    who = f" by {_people(authors)}" if revisions and authors else ""
    return f"{_times(revisions)}{who} in {window}, complexity {complexity}{_standing(change_top, complexity_top)}"


def _penalty_detail(name: str, inputs: Mapping[str, Any]) -> str:
    value = {
        "maintainability": ("maintainability index {}", inputs.get("mi")),
        "function_complexity": ("worst function complexity {}", inputs.get("worst_function_complexity")),
        "lint_density": ("{} per 100 lines", inputs.get("lint_density")),
        "size": ("{} lines", inputs.get("loc")),
        "coupling": ("coupling sum {}", inputs.get("coupling_sum")),
    }.get(name)
    if value is None or value[1] is None:
        return ""
    number = value[1]
    shown = f"{number:.3g}" if isinstance(number, float) else str(number)
    return f" ({value[0].format(shown)})"


def health_penalty(health_breakdown: Mapping[str, Any] | None) -> str:
    """Name the factor that costs a file the most health ("a complex function (worst function complexity 34)")."""
    if not isinstance(health_breakdown, Mapping):
        return ""
    weighted = health_breakdown.get("weighted")
    if not isinstance(weighted, Mapping) or not weighted:
        return ""
    name, cost = max(weighted.items(), key=lambda pair: (pair[1] or 0, pair[0]))
    if not cost or name not in PENALTY_LABELS:
        return ""
    inputs = health_breakdown.get("inputs")
    return PENALTY_LABELS[name] + _penalty_detail(name, inputs if isinstance(inputs, Mapping) else {})


def file_explanation(*, revisions: int, authors: int, complexity: int, window: str,
                     breakdown: Mapping[str, Any] | None, distribution: Distribution) -> Explanation:
    """Explain one scored file against the repository's distribution of changes and complexity."""
    change_top = top_percent(distribution.revisions, revisions)
    complexity_top = top_percent(distribution.complexity, complexity)
    health = breakdown.get("health") if isinstance(breakdown, Mapping) else None
    return Explanation(
        sentence=score_sentence(revisions=revisions, authors=authors, window=window, complexity=complexity,
                                change_top=change_top, complexity_top=complexity_top),
        change_percentile=percentile(distribution.revisions, revisions),
        complexity_percentile=percentile(distribution.complexity, complexity),
        health_penalty=health_penalty(health),
    )
