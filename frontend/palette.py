"""The colour-blind-safe score palette: six viridis steps, darker meaning "needs attention"."""
import math

# Viridis sampled at 0, .2, .4, .6, .8, 1 with a text colour of at least 4.5:1 contrast on each.
STEPS: tuple[tuple[str, str], ...] = (
    ("#440154", "#ffffff"),
    ("#414487", "#ffffff"),
    ("#2a788e", "#ffffff"),
    ("#22a884", "#000000"),
    ("#7ad151", "#000000"),
    ("#fde725", "#000000"),
)
HEALTH_MAX = 10.0
HOTSPOT_MAX = 100.0  # hotspot scores are 0-100 (docs/scoring.md)


def step_for_fraction(fraction: float) -> int:
    """Return the palette step (0 darkest .. 5 brightest) of a value in [0, 1]."""
    if not math.isfinite(fraction):
        return 0
    fraction = min(max(fraction, 0.0), 1.0)
    return min(int(fraction * len(STEPS)), len(STEPS) - 1)


def health_step(health: float | None) -> int:
    """Return the palette step of a code health (0 worst .. 10 best): low health is dark."""
    if health is None:
        return 0
    return step_for_fraction(health / HEALTH_MAX)


def hotspot_step(score: float | None) -> int:
    """Return the palette step of a hotspot score (0 cold .. 100 hottest): hot is dark."""
    if not score:
        return len(STEPS) - 1
    return len(STEPS) - 1 - step_for_fraction(score / HOTSPOT_MAX)


# Function scores are complexity times changes: unbounded, so their own steps (upper bounds), coldest last.
FUNCTION_BOUNDS: tuple[tuple[float, str], ...] = (
    (10.0, "low"), (30.0, "moderate"), (60.0, "elevated"), (120.0, "high"), (250.0, "very high"),
)


def function_step(score: float | None) -> int:
    """Return the palette step of a function score: below 10 is the brightest, 250 and more the darkest."""
    if score is None or not math.isfinite(score):
        return len(STEPS) - 1
    below = sum(1 for bound, _ in FUNCTION_BOUNDS if score >= bound)
    return len(STEPS) - 1 - below


def function_band(score: float) -> str:
    """Name a function score's step ("low" .. "extreme")."""
    for bound, name in FUNCTION_BOUNDS:
        if score < bound:
            return name
    return "extreme"
