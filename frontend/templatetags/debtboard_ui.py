"""Badges, sparklines, sortable headers and small formatters used by debtboard's templates."""
from collections.abc import Callable, Sequence
from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.html import format_html
from django.utils.safestring import SafeString

from debt.selectors.items import debt_status_label
from frontend import palette
from frontend.forms import WINDOW_CHOICES
from frontend.sparklines import sparkline_svg
from metrics import choices

register = template.Library()


def _badge(classes: str, title: str, text: str) -> SafeString:
    return format_html('<span class="score {}" title="{}">{}</span>', classes, title, text)


def _no_score(title: str) -> SafeString:
    return _badge("score-none", title, "–")


def _score_badge(value: float | None, *, missing: str, text: Callable[[float], str], css: Callable[[float], str],
                 title: Callable[[str, float], str]) -> SafeString:
    """A score's badge: its text on the CSS step of its scale, a tooltip saying what it is ("–" when absent)."""
    if value is None:
        return _no_score(missing)
    shown = text(value)
    return _badge(css(value), title(shown, value), shown)


@register.simple_tag
def health_badge(health: float | None) -> SafeString:
    """Render a code-health badge: the number on a viridis step (low health is dark)."""
    return _score_badge(health, missing="Not analysed", text=lambda v: f"{v:.1f}",
                        css=lambda v: f"s{palette.health_step(v)}",
                        title=lambda t, _: f"Code health {t} of 10 (absolute)")


@register.simple_tag
def hotspot_badge(score: float | None) -> SafeString:
    """Render a hotspot-score badge (0-100): the number on a viridis step, hot is dark."""
    return _score_badge(score, missing="Not scored", text=lambda v: f"{v:.1f}",
                        css=lambda v: f"s{palette.hotspot_step(v)}",
                        title=lambda t, _: f"Hotspot score {t} of 100, relative to this repository")


@register.simple_tag
def function_badge(score: float | None) -> SafeString:
    """Render a function hotspot score (complexity x changes, unbounded) on its own stepped scale."""
    return _score_badge(score, missing="Not scored", text=lambda v: f"{v:g}",
                        css=lambda v: f"fn s{palette.function_step(v)}",
                        title=lambda t, v: f"Function score {t} = complexity × changes ({palette.function_band(v)})")


@register.simple_tag
def path_text(path: str) -> SafeString:
    """Render a path cut from the left when it does not fit (the file name stays), the full path as tooltip."""
    return format_html('<span class="trunc" title="{}"><bdi>{}</bdi></span>', path, path)


# Fixed scales of the sparklines, by the figure they draw.
SPARKLINE_SCALES: dict[str, tuple[float, float]] = {"health": (0.0, palette.HEALTH_MAX),
                                                    "hotspot": (0.0, palette.HOTSPOT_MAX)}


@register.simple_tag
def sparkline(values: Sequence[float | None], label: str, scale: str = "") -> SafeString:
    """Render an inline SVG sparkline, on a fixed scale ("health": 0-10) or its own range of at least 1."""
    return sparkline_svg(values, label=label, bounds=SPARKLINE_SCALES.get(scale))


@register.filter
def window_label(window_days: int) -> str:
    """Name a scoring window on its own ("last 90 days", "all history")."""
    return choices.window_label(window_days).removeprefix("the ")


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """Format a 0..1 share as a percentage."""
    if value is None:
        return "–"
    return f"{value * 100:.{int(digits)}f}%"


# Columns whose natural first order is ascending: names, and ranks (rank 1 is the hottest).
ASCENDING_FIRST = frozenset({"rank", "path", "name", "line"})


def next_sort(current: str, field: str) -> str:
    """The sort a header link for `field` asks for: the active column flips, another starts descending
    (numbers: biggest first) unless it is in ASCENDING_FIRST."""
    if current.lstrip("-") == field:
        return field if current.startswith("-") else "-" + field
    return field if field in ASCENDING_FIRST else "-" + field


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, field: str, label: str, css: str = "") -> SafeString:
    """Render a sortable <th>: a link to the same filters sorted by `field`, with aria-sort on the active column.

    The link carries every filter of the page (the query string it was rendered for, one copy of each key).
    """
    request = context["request"]
    current = context.get("sort", "")
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    query["sort"] = next_sort(current, field)
    active = current.lstrip("-") == field
    descending = current.startswith("-")
    aria = ("descending" if descending else "ascending") if active else "none"
    arrow = ("▼" if descending else "▲") if active else ""
    url = f"{request.path}?{query.urlencode()}"
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a href="{}" hx-get="{}" hx-target="#results" '
        'hx-push-url="true">{}<span aria-hidden="true"> {}</span></a></th>',
        css, aria, url, url, label, arrow,
    )


@register.filter
def scan_is_live(scan: Any) -> bool:
    """Whether a scan is queued or running (its status fragment then polls)."""
    return scan is not None and scan.is_live


@register.simple_tag(takes_context=True)
def window_links(context: template.Context) -> list[dict[str, Any]]:
    """Return links to the current page over each scoring window, keeping the other query parameters."""
    request = context["request"]
    current = context.get("window", "")
    links = []
    for key, label in WINDOW_CHOICES:
        query: QueryDict = request.GET.copy()
        query.pop("page", None)
        query["window"] = key
        links.append({"query": query.urlencode(), "label": label, "active": key == current})
    return links


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        items: list[tuple[str, str]] = []
        for key, value in data.items():
            label = f"{prefix}{key}".replace("_", " ")
            items.extend(_flatten(value, label + " · ") if isinstance(value, dict) else [(label, _format(value))])
        return items
    return [(prefix.rstrip(" ·") or "value", _format(data))]


def _format(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "–"}[value]
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_format(item) for item in value)
    return str(value)


@register.filter
def breakdown_items(breakdown: Any) -> list[tuple[str, str]]:
    """Flatten a score breakdown (nested JSON) into (label, formatted value) pairs."""
    return _flatten(breakdown or {})


@register.simple_tag
def log_debt_url(repository: str, path: str = "", function: str = "", line_start: Any = "", line_end: Any = "") -> str:
    """Return the "Log debt item" form's URL pre-filled with a repository, a path and optionally a function."""
    params = {"repository": repository, "path": path, "function": function, "line_start": line_start,
              "line_end": line_end}
    return reverse("frontend:debt-new") + "?" + urlencode({key: value for key, value in params.items() if value})


@register.filter
def status_label(status: str) -> str:
    """Name a debt status for people ("in_progress" -> "in progress")."""
    return debt_status_label(status)


@register.filter
def get_item(mapping: dict | None, key: Any) -> Any:
    """Look a key up in a dict (None when missing)."""
    return (mapping or {}).get(key)


@register.filter
def window_phrase(window_days: int) -> str:
    """Say a scoring window inside a sentence: "the last 90 days" or "all history"."""
    return choices.window_label(window_days)
