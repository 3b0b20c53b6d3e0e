"""Read a scan's stored summary (metrics.data.ScanSummary) into the figures the pages show."""
from dataclasses import dataclass, field
from typing import Any

from metrics.choices import HealthBand
from metrics.data import ScanSummary as StoredSummary

# The palette step each health band is drawn in (frontend.palette), best first.
BAND_STEPS: dict[str, int] = {HealthBand.HEALTHY: 5, HealthBand.WARNING: 3, HealthBand.ALERT: 0}
# Health bands as (key, label, palette step), best first.
BANDS: tuple[tuple[str, str, int], ...] = tuple(
    (str(band.value), str(band.label), BAND_STEPS[band.value]) for band in HealthBand
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


def summary_of(summary: dict[str, Any] | None) -> ScanSummary:
    """Return the figures of a scan summary; figures the scan did not record are None."""
    stored = StoredSummary.from_json(summary)
    counts = [(key, label, step, stored.health_bands.get(key, 0)) for key, label, step in BANDS]
    total = sum(count for *_, count in counts)
    bands = tuple(
        Band(key=key, label=label, step=step, count=count, share=count / total)
        for key, label, step, count in counts
    ) if total else ()
    return ScanSummary(
        files=stored.files,
        loc=stored.loc,
        mean_health=stored.mean_health,
        complexity=stored.total_complexity,
        violations=stored.violations,
        markers=stored.markers,
        hotspots=stored.hotspots,
        bands=bands,
    )
