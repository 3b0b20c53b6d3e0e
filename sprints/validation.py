"""Checks of team and sprint input: names, slugs, hours and percentages, area prefixes and handles."""
import math
from datetime import date, datetime
import re
from typing import Any

from django.utils.text import slugify

from debtboard.errors import InvalidInput
from debtboard.text import clean_text
from sprints.choices import MAX_CAPACITY_HOURS
from sprints.errors import AreaInvalid, CapacityInvalid, TeamInvalid

HANDLE = re.compile(r"^@[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$|^[^@\s]+@[^@\s]+$")


def clean_name(value: Any, *, field: str = "name", max_length: int = 100, required: bool = True) -> str:
    """A one-line name, cleaned; TeamInvalid when required and blank."""
    text = clean_text(value if isinstance(value, str) else "", max_length=max_length).strip()
    if required and not text:
        raise TeamInvalid(f"The {field} must not be blank.", extra={"field": field})
    return text


def clean_slug(value: Any, *, name: str) -> str:
    """A slug from `value`, or from the name when blank."""
    slug = slugify(value if isinstance(value, str) and value.strip() else name)[:60]
    if not slug:
        raise TeamInvalid("The team needs a slug of letters, digits or dashes.", extra={"field": "slug"})
    return slug


def number_in(value: Any, *, field: str, low: float, high: float, error: type[InvalidInput] = TeamInvalid,
              unit: str = "") -> float:
    """A finite number with low <= value <= high, or `error` naming the field and the range."""
    number: float | None = None
    if not isinstance(value, bool):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
    if number is None or not math.isfinite(number) or not low <= number <= high:
        raise error(f"{field.replace('_', ' ').capitalize()} must be a number from {low:g} to {high:g}{unit}.",
                    extra={"field": field, "value": str(value)[:50], "min": low, "max": high})
    return number


def whole_number_in(value: Any, *, field: str, low: int, high: int, error: type[InvalidInput] = TeamInvalid) -> int:
    """A whole number with low <= value <= high."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise error(f"{field.replace('_', ' ').capitalize()} must be a whole number from {low} to {high}.",
                    extra={"field": field, "value": str(value)[:50], "min": low, "max": high})
    return value


def clean_capacity(value: Any) -> float:
    """Hours per person per sprint: 0 to 200 (more is not a person's sprint)."""
    return number_in(value, field="capacity_hours", low=0, high=MAX_CAPACITY_HOURS, error=CapacityInvalid,
                     unit=" hours per person per sprint")


def clean_prefix(value: Any) -> str:
    """A repository-relative path prefix: no leading "/" or "./", no "..", no backslashes ("" is everything)."""
    text = clean_text(value if isinstance(value, str) else "", max_length=1000).strip()
    while text.startswith(("./", "/")):
        text = text[2:] if text.startswith("./") else text[1:]
    if "\\" in text or ".." in text.split("/"):
        raise AreaInvalid("A path prefix is a repository-relative path such as app/payments/.",
                          extra={"field": "path_prefix", "value": text[:100]})
    return text


def clean_handle(value: Any) -> str:
    """A CODEOWNERS owner: @user, @org/team or an e-mail address ("" for none)."""
    text = clean_text(value if isinstance(value, str) else "", max_length=200).strip()
    if text and not HANDLE.match(text):
        raise AreaInvalid("A CODEOWNERS handle looks like @user, @org/team or an e-mail address.",
                          extra={"field": "codeowners_handle", "value": text[:100]})
    return text


def clean_day(value: Any, field: str) -> date:
    """A date, or an ISO date string (YYYY-MM-DD); TeamInvalid otherwise."""
    if isinstance(value, datetime) or not isinstance(value, date):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise TeamInvalid(f"The {field.replace('_', ' ')} must be a date (YYYY-MM-DD).",
                              extra={"field": field}) from None
    return value
