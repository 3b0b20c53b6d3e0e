"""Forms of the HTML interface: they validate input; views then call one selector or service."""
from typing import Any

from django import forms

from metrics.selectors.hotspots import DEFAULT_WINDOW_DAYS

WINDOW_CHOICES = (("90", "90 days"), ("365", "365 days"), ("all", "All history"))
WINDOW_DAYS = {"90": 90, "365": 365, "all": 0}

# Sort keys offered in the query string, mapped to FileScore / FunctionScore fields.
FILE_SORTS = {
    "rank": "hotspot_rank", "path": "path", "revisions": "revisions", "churn": "churn",
    "complexity": "complexity", "health": "health", "lint": "lint_density", "authors": "authors",
    "score": "hotspot_score", "loc": "loc", "changed": "last_changed",
}
FUNCTION_SORTS = {
    "rank": "hotspot_rank", "path": "path", "name": "qualname", "complexity": "complexity",
    "changes": "changes", "score": "hotspot_score", "line": "lineno",
}


def window_key(window_days: int) -> str:
    """Return the query-string value of a window in days."""
    return {days: key for key, days in WINDOW_DAYS.items()}.get(window_days, "365")


def _clean_text(value: str) -> str:
    return value.replace("\x00", "").strip()


def _sort_choices(sorts: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, key) for key in sorts] + [("-" + key, "-" + key) for key in sorts]


class RankingFilterForm(forms.Form):
    """Filters of the hotspot rankings; every value lives in the query string."""

    sorts: dict[str, str] = FILE_SORTS

    path = forms.CharField(
        required=False, max_length=1000, label="Path starts with",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. src/billing/", "autocomplete": "off"}),
    )
    min_score = forms.FloatField(
        required=False, min_value=0, max_value=100, label="Minimum score",
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": "0–100", "inputmode": "decimal"}),
    )
    window = forms.ChoiceField(required=False, choices=WINDOW_CHOICES, label="Window")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, default_window: int = DEFAULT_WINDOW_DAYS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_window = default_window
        self.fields["window"].initial = window_key(default_window)

    def clean_path(self) -> str:
        return _clean_text(self.cleaned_data["path"]).lstrip("/")

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"] or "rank"
        if sort.lstrip("-") not in self.sorts:
            raise forms.ValidationError("Unknown sort column.")
        return sort

    def filters(self) -> dict[str, Any]:
        """Return the valid filters (defaults where a value was invalid or missing)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        sort = data.get("sort") or "rank"
        if "sort" in self.errors:
            sort = "rank"
        field = self.sorts[sort.lstrip("-")]
        return {
            "path": data.get("path") or "",
            "min_score": data.get("min_score"),
            "window_days": WINDOW_DAYS.get(data.get("window") or "", self.default_window),
            "sort": sort,
            "ordering": ("-" if sort.startswith("-") else "") + field,
        }


class FunctionFilterForm(RankingFilterForm):
    """Filters of the function hotspot ranking."""

    sorts = FUNCTION_SORTS
