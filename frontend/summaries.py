"""Read a scan's stored summary (Scan.summary JSON) into the figures the pages show."""
import math
from dataclasses import dataclass, field
from typing import Any

# Health bands as the scorer names them, best first, with the palette step each is drawn in.
BANDS: tuple[tuple[str, str, int], ...] = (
    ("healthy", "Healthy", 5),
    ("warning", "Warning", 3),
    ("alert", "Alert", 0),
)


@dataclass(frozen=True)
class Band:
    """One health band of a scan: how many files fall in it."""

    key: str
    label: str
    step: int
    count: int
    share: float


@dataclass(frozen=True)
class ScanSummary:
    """The headline figures of one scan."""

    files: int | None = None
    loc: int | None = None
    mean_health: float | None = None
    complexity: int | None = None
    violations: int | None = None
    markers: int | None = None
    hotspots: int | None = None
    bands: tuple[Band, ...] = field(default_factory=tuple)


def _number(data: dict[str, Any], *keys: str) -> float | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return value
    return None


def _int(data: dict[str, Any], *keys: str) -> int | None:
    value = _number(data, *keys)
    return None if value is None else int(value)


def summary_of(summary: dict[str, Any] | None) -> ScanSummary:
    """Return the figures of a scan summary; figures the scan did not record are None."""
    data = summary if isinstance(summary, dict) else {}
    raw_bands = data.get("health_bands") if isinstance(data.get("health_bands"), dict) else {}
    counts = [(key, label, step, _int(raw_bands, key) or 0) for key, label, step in BANDS]
    total = sum(count for *_, count in counts)
    bands = tuple(
        Band(key=key, label=label, step=step, count=count, share=(count / total if total else 0.0))
        for key, label, step, count in counts
    ) if total else ()
    return ScanSummary(
        files=_int(data, "files"),
        loc=_int(data, "loc"),
        mean_health=_number(data, "mean_health", "average_health"),
        complexity=_int(data, "total_complexity", "complexity"),
        violations=_int(data, "violations"),
        markers=_int(data, "markers"),
        hotspots=_int(data, "hotspots"),
        bands=bands,
    )
