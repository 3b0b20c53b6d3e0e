"""One import record checked field by field through validation's cleaners, its errors kept per row."""
from dataclasses import dataclass, field
from typing import Any

from debt.choices import Kind, Source, Status
from debt.data import ImportRowError, LocationSpec
from debt.services import validation
from debt.services.locations import clean_location
from debt.services.transfer_codec import COLUMNS, READ_ONLY, location_entries
from debtboard import text as text_cleaning
from debtboard.errors import InvalidInput

# Plain fields copied as they are (after cleaning) on create and update.
PLAIN_FIELDS = (
    "title", "description", "kind", "status", "dismissed", "impact", "effort", "due_date", "external_url",
    "source", "signal", "marker_tag", "marker_text", "marker_line", "marker_author", "marker_email",
    "marker_commit", "marker_added_at",
)
# A blank cell of these fields means the default; those with a non-blank default leave an update's value alone.
_DEFAULTS: dict[str, Any] = {
    "description": "", "kind": Kind.CODE, "status": Status.ACCEPTED, "dismissed": False, "impact": 3,
    "effort": 1, "source": Source.MANUAL,
}
_PEOPLE = ("owner", "reporter")


@dataclass
class ImportRow:
    """A record's cleaned values, labels, links and people (by username), identity and errors."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    labels: list[str] | None = None
    locations: list[dict[str, Any]] | None = None
    owner: str | None = None
    reporter: str | None = None
    # A reporter username with no account here: the importer becomes the reporter, this name is kept in history.
    reporter_unmatched: str = ""
    key: tuple[str, str] = ("", "")
    errors: list[ImportRowError] = field(default_factory=list)
    # Columns an update applies: those the row has, less blank cells of fields that have a default.
    given: set[str] = field(default_factory=set)

    def refuse(self, field_name: str, message: str) -> None:
        """Record why this row cannot be saved."""
        self.errors.append(ImportRowError(self.number, field_name, message))


def _clean_location(entry: dict[str, Any]) -> dict[str, Any]:
    clean = clean_location(LocationSpec(
        path=entry.get("path", ""), qualname=entry.get("qualname") or "", line_start=entry.get("line_start"),
        line_end=entry.get("line_end"), revision=entry.get("revision") or "",
    ))
    original = validation.clean_path(entry["original_path"]) if entry.get("original_path") else clean.path
    return {
        "path": clean.path, "original_path": original, "qualname": clean.qualname,
        "line_start": clean.line_start, "line_end": clean.line_end, "revision": clean.revision,
        "anchored_at": validation.clean_datetime(entry.get("anchored_at"), field="locations"),
        "renamed_in": validation.clean_revision(entry.get("renamed_in") or ""),
    }


def clean_locations(value: Any) -> list[dict[str, Any]]:
    """The checked links of a locations cell, as DebtLocation field values."""
    return [_clean_location(entry) for entry in location_entries(value)]


def _clean_description(value: Any) -> str:
    """The description as exported: validation's checks, but its whitespace kept (a trailing newline too)."""
    validation.clean_description(value)  # type and length
    return text_cleaning.clean_text(value) if isinstance(value, str) else ""


# The field cleaners of an import: the forms' (validation.ITEM_FIELD_CLEANERS), but a description is kept
# exactly as the file has it, so that export -> import -> export is the identical round trip.
_FIELD_CLEANERS = {**validation.ITEM_FIELD_CLEANERS, "description": _clean_description}


def _cell(row: ImportRow, raw: dict[str, Any], name: str) -> Any:
    value = raw.get(name)
    if value in (None, "") and name in _DEFAULTS:
        if _DEFAULTS[name] != "":
            row.given.discard(name)
        return _DEFAULTS[name]
    return value


def _clean_fields(row: ImportRow, raw: dict[str, Any]) -> None:
    row.given = {name for name in raw if name in COLUMNS and name not in READ_ONLY}
    for name, clean in _FIELD_CLEANERS.items():
        if name == "title" and name not in raw:
            row.values[name] = ""  # fine for an update; a new item without a title is refused later
            continue
        try:
            row.values[name] = clean(_cell(row, raw, name))
        except InvalidInput as exc:
            row.refuse(exc.extra.get("field", name), exc.message)


def _clean_relations(row: ImportRow, raw: dict[str, Any]) -> None:
    for name, parse in (("labels", validation.clean_label_names), ("locations", clean_locations)):
        try:
            setattr(row, name, parse(raw.get(name) or []))
        except InvalidInput as exc:
            row.refuse(name, exc.message)
    for name in _PEOPLE:
        value = raw.get(name)
        setattr(row, name, value.strip() if isinstance(value, str) else ("" if value is None else str(value)))


def import_row(number: int, raw: Any) -> ImportRow:
    """Check one decoded record; what is wrong is kept in the row's errors, never raised."""
    row = ImportRow(number=number)
    if not isinstance(raw, dict):
        row.refuse("", "Each row must be an object with named fields.")
        return row
    _clean_fields(row, raw)
    _clean_relations(row, raw)
    if row.values.get("dismissed") and row.values.get("status") != Status.WONT_FIX:
        row.refuse("dismissed", "Only a won't fix item can be a dismissed proposal.")
    return row
