"""Checks of user input to the debt register; each raises DebtItemInvalid naming the field and the fix."""
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_date, parse_datetime

from debt import lifecycle
from debt.choices import Signal
from debt.errors import DebtItemInvalid, LocationInvalid
from debt.models import DebtItem
from debtboard import text as text_cleaning

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_COMMENT = 10_000
MAX_EFFORT = Decimal("9999999.99")
MAX_LABELS = 20
_LABEL = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
_REVISION = re.compile(r"^[0-9a-f]{7,64}$")
_URL = URLValidator(schemes=["http", "https"])
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n", ""})


def _invalid(field: str, message: str, error: type[DebtItemInvalid] = DebtItemInvalid) -> DebtItemInvalid:
    return error(message, extra={"field": field})


def clean_text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    """Strip NUL bytes and surrounding whitespace; enforce a length."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(field, f"{field} must be text.")
    value = text_cleaning.clean_text(value).strip()
    if required and not value:
        raise _invalid(field, f"{field} is required.")
    if len(value) > max_length:
        raise _invalid(field, f"{field} is {len(value)} characters long; the limit is {max_length}.")
    return value


def clean_title(value: Any) -> str:
    """A one-line title (whitespace collapsed), required, at most 200 characters."""
    title = " ".join(clean_text(value, field="title", max_length=MAX_TITLE * 4, required=True).split())
    if len(title) > MAX_TITLE:
        raise _invalid("title", f"title is {len(title)} characters long; the limit is {MAX_TITLE}.")
    return title


def clean_description(value: Any) -> str:
    """Markdown source, at most 20,000 characters."""
    return clean_text(value, field="description", max_length=MAX_DESCRIPTION)


def clean_choice(value: Any, *, field: str, choices: Iterable[str]) -> str:
    """One of the allowed values."""
    allowed = list(choices)
    if value not in allowed:
        raise _invalid(field, f"{field} must be one of {', '.join(allowed)}; got {value!r}.")
    return value


def clean_kind(value: Any) -> str:
    """One of the debt kinds."""
    return clean_choice(value, field="kind", choices=DebtItem.Kind.values)


def clean_source(value: Any) -> str:
    """One of the sources (manual, hotspot, marker, ci)."""
    return clean_choice(value, field="source", choices=DebtItem.Source.values)


def clean_status(value: Any) -> str:
    """One of the lifecycle statuses."""
    return clean_choice(value, field="status", choices=lifecycle.STATUS_ORDER)


def clean_impact(value: Any) -> int:
    """A whole number from 1 (minor) to 5 (severe)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise _invalid("impact", f"impact must be a whole number from 1 to 5; got {value!r}.")
    return value


def clean_effort(value: Any) -> Decimal:
    """A positive, finite decimal with at most two decimal places (the principal)."""
    if isinstance(value, bool):
        raise _invalid("effort", "effort must be a positive number.")
    if isinstance(value, float) and not math.isfinite(value):
        raise _invalid("effort", f"effort must be a finite number; got {value!r}.")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise _invalid("effort", f"effort must be a positive number such as 4 or 2.5; got {value!r}.") from None
    if not number.is_finite() or number <= 0:
        raise _invalid("effort", f"effort must be a positive, finite number; got {value!r}.")
    if number > MAX_EFFORT:
        raise _invalid("effort", f"effort must be at most {MAX_EFFORT}.")
    rounded = number.quantize(Decimal("0.01"))
    if rounded <= 0:
        raise _invalid("effort", "effort must be at least 0.01.")
    return rounded


def clean_due_date(value: Any) -> date | None:
    """A calendar date (ISO 8601 text accepted) or nothing."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        raise _invalid("due_date", "due_date must be a date, not a date and time.")
    if isinstance(value, date):
        return value
    parsed = parse_date(value.strip()) if isinstance(value, str) else None
    if parsed is None:
        raise _invalid("due_date", f"due_date must be a date like 2025-03-31; got {value!r}.")
    return parsed


def clean_datetime(value: Any, *, field: str) -> datetime | None:
    """A timezone-aware date and time (ISO 8601 with an offset) or nothing."""
    if value in (None, ""):
        return None
    parsed = value if isinstance(value, datetime) else None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise _invalid(field, f"{field} must be a date and time like 2025-03-31T12:00:00+00:00; got {value!r}.")
    if parsed.tzinfo is None:
        raise _invalid(field, f"{field} needs a timezone offset (for example +00:00).")
    return parsed


def clean_external_url(value: Any) -> str:
    """An http or https URL (an issue in a tracker), or blank."""
    text = clean_text(value, field="external_url", max_length=1000)
    if not text:
        return ""
    try:
        _URL(text)
    except ValidationError:
        raise _invalid("external_url", f"external_url must be an http or https URL; got {text!r}.") from None
    return text


def clean_label_names(values: Any) -> list[str]:
    """Normalise labels: lowercase, spaces to dashes, deduplicated, at most 20 of 50 characters each."""
    if isinstance(values, str):
        values = [part for part in re.split(r"[,;\n]", values)]
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise _invalid("labels", "labels must be a list of names.")
    names: list[str] = []
    for raw in values:
        if not isinstance(raw, str):
            raise _invalid("labels", f"a label must be text; got {raw!r}.")
        name = re.sub(r"\s+", "-", text_cleaning.clean_text(raw).strip().lower())
        if not name:
            continue
        if not _LABEL.match(name):
            raise _invalid(
                "labels", f"label {raw!r} may hold only letters, digits, '-' and '_' (at most 50 characters)."
            )
        if name not in names:
            names.append(name)
    if len(names) > MAX_LABELS:
        raise _invalid("labels", f"an item takes at most {MAX_LABELS} labels.")
    return sorted(names)


def clean_path(value: Any) -> str:
    """A repository-relative path to a file, or to a folder when it ends in '/'."""
    if not isinstance(value, str):
        raise _invalid("path", "path must be text.", LocationInvalid)
    path = value.replace("\\", "/").strip()
    while path.startswith("./"):
        path = path[2:]
    if not path or "\x00" in path or len(path) > 1000:
        raise _invalid("path", "path is required (at most 1000 characters).", LocationInvalid)
    if path.startswith("/") or any(part in ("..", ".") for part in path.rstrip("/").split("/")) or "//" in path:
        raise _invalid(
            "path", f"path must be relative to the repository root, without '..' or '//'; got {value!r}.",
            LocationInvalid,
        )
    return path


def clean_line_range(line_start: Any, line_end: Any) -> tuple[int | None, int | None]:
    """An optional 1-based inclusive line range; a lone start means one line."""
    def as_line(value: Any, field: str) -> int | None:
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 10_000_000:
            raise _invalid(field, f"{field} must be a line number from 1; got {value!r}.", LocationInvalid)
        return value

    start, end = as_line(line_start, "line_start"), as_line(line_end, "line_end")
    if end is not None and start is None:
        raise _invalid("line_start", "a line range needs line_start.", LocationInvalid)
    if start is not None and end is None:
        end = start
    if start is not None and end is not None and end < start:
        raise _invalid("line_end", f"line_end ({end}) is before line_start ({start}).", LocationInvalid)
    return start, end


def clean_revision(value: Any) -> str:
    """A commit id (7 to 64 hex digits) or blank."""
    text = clean_text(value, field="revision", max_length=64).lower()
    if text and not _REVISION.match(text):
        raise _invalid("revision", f"revision must be a commit id (hex digits); got {value!r}.", LocationInvalid)
    return text


def clean_qualname(value: Any) -> str:
    """A function's qualified name such as Parser.parse, or blank."""
    text = clean_text(value, field="qualname", max_length=1000)
    if text and not re.match(r"^[\w.<>]+$", text):
        raise _invalid("qualname", f"qualname must look like module-level Name.method; got {value!r}.",
                       LocationInvalid)
    return text


def clean_bool(value: Any, *, field: str) -> bool:
    """True or false; text such as yes/no, 1/0 and a blank (false) accepted."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _invalid(field, f"{field} must be true or false; got {value!r}.")


def clean_line(value: Any) -> int | None:
    """One line number from 1, or nothing (checked as a line range's start)."""
    start, _ = clean_line_range(value, None)
    return start


def clean_signal(value: Any) -> str:
    """What discovery saw (marker, hotspot, knowledge_island), or blank for items people logged."""
    return clean_choice(value or "", field="signal", choices=["", *Signal.values])


def _text_cleaner(name: str) -> Callable[[Any], str]:
    """A cleaner of a plain text field, bounded by the model field's own max_length."""
    limit = DebtItem._meta.get_field(name).max_length

    def clean(value: Any) -> str:
        return clean_text(value, field=name, max_length=limit)

    clean.__doc__ = f"{name}: text of at most {limit} characters."
    return clean


clean_external_id = _text_cleaner("external_id")
clean_fingerprint = _text_cleaner("fingerprint")

# Each field of an item a person or a file may set, with its cleaner: the one table the forms' services
# and the import share.
ITEM_FIELD_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "title": clean_title,
    "description": clean_description,
    "kind": clean_kind,
    "status": clean_status,
    "dismissed": lambda value: clean_bool(value, field="dismissed"),
    "impact": clean_impact,
    "effort": clean_effort,
    "due_date": clean_due_date,
    "external_url": clean_external_url,
    "external_id": clean_external_id,
    "fingerprint": clean_fingerprint,
    "source": clean_source,
    "signal": clean_signal,
    "marker_tag": _text_cleaner("marker_tag"),
    "marker_text": _text_cleaner("marker_text"),
    "marker_line": clean_line,
    "marker_author": _text_cleaner("marker_author"),
    "marker_email": _text_cleaner("marker_email"),
    "marker_commit": clean_revision,
    "marker_added_at": lambda value: clean_datetime(value, field="marker_added_at"),
    "created_at": lambda value: clean_datetime(value, field="created_at"),
}
