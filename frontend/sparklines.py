"""Inline SVG sparklines rendered on the server: no script, readable by screen readers through <title>."""
import math
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString


def sparkline_range(values: Sequence[float], *, bounds: tuple[float, float] | None = None,
                    min_span: float = 1.0) -> tuple[float, float]:
    """The y-range a sparkline draws `values` on: `bounds` when given (a fixed scale such as health's 0-10),
    else the values' own range widened around its middle to at least `min_span`, so 9.13 -> 9.07 stays flat."""
    if bounds is not None:
        return bounds
    low, high = min(values), max(values)
    if high - low < min_span:
        middle = (low + high) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    return low, high


def sparkline_svg(values: Sequence[float | None], *, label: str, width: int = 120, height: int = 28,
                  bounds: tuple[float, float] | None = None, min_span: float = 1.0) -> SafeString:
    """Return an inline SVG line of `values` (None and non-finite points are skipped), titled `label`."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    if not points:
        return format_html('<span class="muted">{}</span>', "no trend yet")
    pad = 3
    low, high = sparkline_range([v for _, v in points], bounds=bounds, min_span=min_span)
    points = [(i, min(max(v, low), high)) for i, v in points]
    span = (high - low) or 1.0
    last_index = max(len(values) - 1, 1)
    coords = [
        (pad + (width - 2 * pad) * i / last_index, height - pad - (height - 2 * pad) * (v - low) / span)
        for i, v in points
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    end_x, end_y = coords[-1]
    return format_html(
        '<svg class="sparkline" role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        "<title>{label}</title>"
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{path}"/>'
        '<circle cx="{x}" cy="{y}" r="2.5" fill="currentColor"/></svg>',
        w=width, h=height, label=label, path=path, x=f"{end_x:.1f}", y=f"{end_y:.1f}",
    )
