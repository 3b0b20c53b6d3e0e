"""Interest and priority (WSJF) of a debt item from measured figures; pure functions, see docs/debt.md."""
import math
from dataclasses import dataclass

# Saturation points of the interest terms: beyond these the term counts as fully expensive.
REVISIONS_SATURATION = 12  # changes in 90 days: about one a week
AUTHORS_SATURATION = 4  # distinct authors in 90 days
WEIGHT_CHANGES = 4.0
WEIGHT_AUTHORS = 1.5
WEIGHT_HEALTH = 2.5
WEIGHT_HOTSPOT = 2.0
IMPACT_WEIGHT = 2.0
MIN_JOB_SIZE = 1.0  # a job smaller than one effort unit counts as one unit


@dataclass(frozen=True)
class InterestFigures:
    """What the linked code costs: measured at one scan."""

    revisions: int = 0  # changes in the last 90 days, summed over the linked files
    authors: int = 0  # distinct authors in the last 90 days over the linked files
    health: float = 10.0  # code health 1 (worst) to 10 (best), LOC-weighted over the linked files
    hotspot_score: float = 0.0  # 0-100, the hottest linked file


@dataclass(frozen=True)
class PriorityBreakdown:
    """Each term of the formula, so a page can show why an item ranks where it does."""

    changes_term: float
    authors_term: float
    health_term: float
    hotspot_term: float
    interest: float
    cost_of_delay: float
    job_size: float
    priority: float


def _finite(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return value


def interest_of(figures: InterestFigures) -> tuple[float, float, float, float, float]:
    """Return the interest (0-10) and its four terms from measured figures."""
    revisions = max(_finite(figures.revisions, "revisions"), 0.0)
    authors = max(_finite(figures.authors, "authors"), 0.0)
    health = min(max(_finite(figures.health, "health"), 1.0), 10.0)
    hotspot = min(max(_finite(figures.hotspot_score, "hotspot_score"), 0.0), 100.0)
    changes_term = WEIGHT_CHANGES * min(revisions / REVISIONS_SATURATION, 1.0)
    authors_term = WEIGHT_AUTHORS * min(authors / AUTHORS_SATURATION, 1.0)
    health_term = WEIGHT_HEALTH * (10.0 - health) / 9.0
    hotspot_term = WEIGHT_HOTSPOT * hotspot / 100.0
    interest = changes_term + authors_term + health_term + hotspot_term
    return interest, changes_term, authors_term, health_term, hotspot_term


def priority_of(*, impact: int, effort: float, figures: InterestFigures) -> PriorityBreakdown:
    """Return WSJF: cost of delay (2 x impact + interest) divided by the job size (effort, at least 1)."""
    if isinstance(impact, bool) or not 1 <= int(impact) <= 5:
        raise ValueError(f"impact must be 1 to 5, not {impact!r}")
    effort = _finite(effort, "effort")
    if effort <= 0:
        raise ValueError(f"effort must be positive, not {effort!r}")
    interest, changes_term, authors_term, health_term, hotspot_term = interest_of(figures)
    cost_of_delay = IMPACT_WEIGHT * int(impact) + interest
    job_size = max(effort, MIN_JOB_SIZE)
    return PriorityBreakdown(
        changes_term=round(changes_term, 4),
        authors_term=round(authors_term, 4),
        health_term=round(health_term, 4),
        hotspot_term=round(hotspot_term, 4),
        interest=round(interest, 4),
        cost_of_delay=round(cost_of_delay, 4),
        job_size=round(job_size, 4),
        priority=round(cost_of_delay / job_size, 4),
    )
