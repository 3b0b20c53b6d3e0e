"""Read a scan's stored summary (metrics.data.ScanSummary) into the figures the pages show."""
from dataclasses import dataclass, field
from typing import Any

from metrics.choices import HealthBand
from metrics.data import ScanSummary as StoredSummary

# The colour each health band is drawn in (app.css .band-*): healthy green, warning amber, alert red.
BAND_CSS: dict[str, str] = {HealthBand.HEALTHY: "band-healthy", HealthBand.WARNING: "band-warning",
                            HealthBand.ALERT: "band-alert"}
# Health bands as (key, label, css class), best first.
BANDS: tuple[tuple[str, str, str], ...] = tuple(
    (str(band.value), str(band.label), BAND_CSS[band.value]) for band in HealthBand
)


@dataclass(frozen=True)
class Band:
    """One health band of a scan: how many files fall in it."""

    key: str
    label: str
    css: str
    count: int
    share: float


@dataclass(frozen=True)
class ScanSummary:
    """The headline figures of one scan."""

    files: int | None = None
    loc: int | None = None  # physical lines
    sloc: int | None = None  # source lines (None for scans stored before issue 17)
    window_days: int | None = None  # the window of the window-dependent figures (hotspots, mean health)
    lint_engine: str = ""
    mean_health: float | None = None
    complexity: int | None = None
    violations: int | None = None
    markers: int | None = None
    hotspots: int | None = None
    bands: tuple[Band, ...] = field(default_factory=tuple)

    @property
    def markers_per_kloc(self) -> float | None:
        """Debt markers per 1,000 physical lines: absolute, so repositories compare by it."""
        if self.markers is None or not self.loc:
            return None
        return self.markers * 1000 / self.loc


def summary_of(summary: dict[str, Any] | None) -> ScanSummary:
    """Return the figures of a scan summary; figures the scan did not record are None."""
    stored = StoredSummary.from_json(summary)
    counts = [(key, label, css, stored.health_bands.get(key, 0)) for key, label, css in BANDS]
    total = sum(count for *_, count in counts)
    bands = tuple(
        Band(key=key, label=label, css=css, count=count, share=count / total)
        for key, label, css, count in counts
    ) if total else ()
    return ScanSummary(
        files=stored.files,
        loc=stored.loc,
        sloc=stored.sloc,
        window_days=stored.window_days,
        lint_engine=stored.lint_engine,
        mean_health=stored.mean_health,
        complexity=stored.total_complexity,
        violations=stored.violations,
        markers=stored.markers,
        hotspots=stored.hotspots,
        bands=bands,
    )
