"""Labels and definitions of figures (metrics.choices.FIGURES) for templates: one name per figure, with its window."""
from django import template

from metrics import choices

register = template.Library()


@register.simple_tag
def figure_label(key: str, window_days: int | None = None) -> str:
    """A figure's label; a window-dependent one names its window when given: "Revisions (365 d)"."""
    return choices.figure_label(key, window_days)


@register.simple_tag
def figure_help(key: str) -> str:
    """A figure's definition (a heading's tooltip)."""
    return choices.FIGURES[key].definition


@register.filter
def window_short(window_days: int) -> str:
    """A window in a column heading: "90 d", "365 d", "all history"."""
    return choices.window_short(window_days)
