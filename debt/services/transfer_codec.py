"""The register's exchange format: export records to CSV or JSON text and back, without the database."""
import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from debt.errors import DebtItemInvalid, ImportInvalid, ImportTooLarge
from debtboard.jsontext import JsonTooDeep, json_loads_bounded
from debtboard.spreadsheets import defuse_formula, restore_formula
from debtboard.text import clean_text

FORMATS = ("csv", "json")
JSON_FORMAT_NAME = "debtboard.debt/1"
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
COLUMNS = (
    "id", "external_id", "fingerprint", "title", "description", "kind", "status", "dismissed", "impact", "effort",
    "effort_unit", "due_date", "reporter", "owner", "labels", "external_url", "source", "signal",
    "marker_tag", "marker_text", "marker_line", "marker_author", "marker_email", "marker_commit", "marker_added_at",
    "locations", "created_at", "updated_at", "interest", "priority",
)
# Derived or owned by this instance: exported for reading, ignored on import.
READ_ONLY = frozenset({"id", "effort_unit", "updated_at", "interest", "priority"})
# A CSV must have one of these columns to say which items its rows are.
_KEY_COLUMNS = frozenset({"title", "external_id", "fingerprint"})


@dataclass(frozen=True)
class DecodedRows:
    """The rows of an import file (numbered as a person finds them) and the columns debtboard does not know."""

    rows: tuple[tuple[int, Any], ...]
    ignored_columns: tuple[str, ...] = ()


def check_format(format: str, *, verb: str) -> None:
    """Refuse a format other than csv or json."""
    if format not in FORMATS:
        raise ImportInvalid(f"{verb} format must be csv or json, not {format!r}.", extra={"field": "format"})


# ---------------------------------------------------------------- records to text

def csv_cell(value: Any) -> str:
    """One record value as a CSV cell: lists joined (links as JSON), booleans as true/false, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False) if value and isinstance(value[0], dict) else ", ".join(value)
    # Import strips the quote again (restore_formula).
    return defuse_formula(str(value))


def encode(records: Sequence[Mapping[str, Any]], *, format: str, header: Mapping[str, Any]) -> str:
    """Export records as CSV (one row each, every column) or JSON (the header's fields, then the items)."""
    if format == "json":
        return json.dumps({"format": JSON_FORMAT_NAME, **header, "items": list(records)}, ensure_ascii=False,
                          indent=2)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: csv_cell(value) for key, value in record.items()})
    return buffer.getvalue()


# ---------------------------------------------------------------- text to records

def _too_large(size: int | None = None) -> ImportTooLarge:
    extra = {"limit_bytes": MAX_IMPORT_BYTES} | ({"size_bytes": size} if size is not None else {})
    return ImportTooLarge(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB, the import limit.",
                          extra=extra)


def check_upload_size(size: int | None) -> None:
    """Refuse an upload whose announced size is over MAX_IMPORT_BYTES (before anything reads it)."""
    if size is not None and size > MAX_IMPORT_BYTES:
        raise _too_large(size)


def read_upload(chunks: Iterable[bytes], *, size: int | None = None) -> bytes:
    """An upload's bytes, read chunk by chunk and refused (ImportTooLarge) once past MAX_IMPORT_BYTES."""
    check_upload_size(size)
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        if len(buffer) > MAX_IMPORT_BYTES:
            raise _too_large()
    return bytes(buffer)


def _text(content: str | bytes) -> str:
    if isinstance(content, bytes):
        check_upload_size(len(content))
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportInvalid("The file is not UTF-8 text; save it as UTF-8 and try again.") from None
    return clean_text(content.lstrip("\ufeff"))


def _csv_rows(content: str) -> DecodedRows:
    reader = csv.DictReader(io.StringIO(content))
    header = tuple(name.strip() for name in (reader.fieldnames or ()))
    if not _KEY_COLUMNS & set(header):
        raise ImportInvalid(
            "The CSV needs a header row with a 'title' column (or 'external_id' to update existing items).",
            extra={"columns": header},
        )
    reader.fieldnames = list(header)
    try:
        rows = tuple((number, _restored(row)) for number, row in enumerate(reader, start=2))
    except csv.Error as exc:
        # A cell over csv's field limit (131,072 characters), a NUL or a broken quote: the whole file is unreadable.
        raise ImportInvalid(f"The CSV cannot be read near line {reader.line_num}: {exc}.",
                            extra={"line": reader.line_num}) from None
    return DecodedRows(rows, tuple(name for name in header if name not in COLUMNS))


def _json_rows(content: str) -> DecodedRows:
    try:
        data = json_loads_bounded(content)  # nesting bounded, lone surrogates (\ud800 escapes) dropped
    except json.JSONDecodeError as exc:
        raise ImportInvalid(f"The JSON cannot be read: {exc.msg} at line {exc.lineno}.") from None
    except JsonTooDeep as exc:
        raise ImportInvalid(f"The JSON cannot be read: {exc}", extra={"limit_depth": exc.limit}) from None
    except ValueError as exc:
        raise ImportInvalid(f"The JSON cannot be read: {exc}") from None
    records = data.get("items") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise ImportInvalid('The JSON must be a list of items, or an object with an "items" list.')
    unknown: set[str] = set()
    for record in records:
        if isinstance(record, dict):
            unknown |= set(record) - set(COLUMNS)
    rows = tuple((number, _restored(record)) for number, record in enumerate(records, start=1))
    return DecodedRows(rows, tuple(sorted(unknown)))


def _restored(record: Any) -> Any:
    """A record with formula quotes removed and the keys of surplus CSV cells dropped (others pass as they are)."""
    if not isinstance(record, dict):
        return record
    return {key: restore_formula(value) for key, value in record.items() if key is not None}


def decode(content: str | bytes, *, format: str) -> DecodedRows:
    """Read an import file's records (UTF-8, at most MAX_IMPORT_BYTES and MAX_IMPORT_ROWS), or ImportInvalid."""
    text = _text(content)
    decoded = _json_rows(text) if format == "json" else _csv_rows(text)
    if len(decoded.rows) > MAX_IMPORT_ROWS:
        raise ImportInvalid(f"The file has {len(decoded.rows)} rows; the limit is {MAX_IMPORT_ROWS}.")
    return decoded


# ---------------------------------------------------------------- the locations cell

def parse_location_text(text: str) -> dict[str, Any]:
    """'path', 'path::qualname', 'path#L10-20', 'path#L10-20@commit' -> a location dict."""
    spec: dict[str, Any] = {}
    if "@" in text:
        text, spec["revision"] = text.rsplit("@", 1)
    if "#L" in text:
        text, lines = text.rsplit("#L", 1)
        start, _, end = lines.partition("-")
        spec["line_start"], spec["line_end"] = start.strip(), (end.strip() or start.strip())
    if "::" in text:
        text, spec["qualname"] = text.split("::", 1)
    spec["path"] = text.strip()
    return spec


def _location_list(text: str) -> Any:
    stripped = text.strip()
    if not stripped.startswith("["):
        return [parse_location_text(line) for line in stripped.splitlines() if line.strip()]
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise DebtItemInvalid(f"locations is not valid JSON: {exc.msg}.", extra={"field": "locations"}) from None


def location_entries(value: Any) -> list[dict[str, Any]]:
    """The links of a locations cell (a JSON list, or one 'path::qualname#L1-2@commit' per line), not yet checked."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = _location_list(value)
    if not isinstance(value, list) or not all(isinstance(entry, (dict, str)) for entry in value):
        raise DebtItemInvalid("locations must be a list of paths or link objects.", extra={"field": "locations"})
    return [parse_location_text(entry) if isinstance(entry, str) else entry for entry in value]
