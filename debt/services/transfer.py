"""Import and export of the register as CSV or JSON, with every field, its links and labels."""
import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from debt import lifecycle
from debt.data import ImportReport, ImportRowError, LocationSpec
from debt.errors import DebtItemInvalid, ImportInvalid
from debt.fingerprints import import_fingerprint
from debt.models import DebtChange, DebtItem, DebtLocation, DebtTransition
from debt.services import validation
from debt.services.activity import change_row, display_value
from debt.services.interest import debt_item_recompute_priorities
from debt.services.items import labels_for
from debt.services.locations import clean_location
from debtboard.errors import InvalidInput
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
# Plain fields copied as they are (after cleaning) on create and update.
PLAIN_FIELDS = (
    "title", "description", "kind", "status", "dismissed", "impact", "effort", "due_date", "external_url",
    "source", "signal", "marker_tag", "marker_text", "marker_line", "marker_author", "marker_email",
    "marker_commit", "marker_added_at",
)
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}


# ---------------------------------------------------------------- export

def _location_dict(location: DebtLocation) -> dict[str, Any]:
    return {
        "path": location.path,
        "original_path": location.original_path,
        "qualname": location.qualname,
        "line_start": location.line_start,
        "line_end": location.line_end,
        "revision": location.revision,
        "anchored_at": location.anchored_at.isoformat() if location.anchored_at else None,
        "renamed_in": location.renamed_in,
    }


def item_record(item: DebtItem) -> dict[str, Any]:
    """One item as an export record (JSON types; CSV flattens it)."""
    return {
        "id": item.pk,
        "external_id": item.external_id,
        "fingerprint": item.fingerprint,
        "title": item.title,
        "description": item.description,
        "kind": item.kind,
        "status": item.status,
        "dismissed": item.dismissed,
        "impact": item.impact,
        "effort": format(item.effort, "f"),
        "effort_unit": item.repository.effort_unit,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "reporter": item.reporter.get_username() if item.reporter else "",
        "owner": item.owner.get_username() if item.owner else "",
        "labels": sorted(label.name for label in item.labels.all()),
        "external_url": item.external_url,
        "source": item.source,
        "signal": item.signal,
        "marker_tag": item.marker_tag,
        "marker_text": item.marker_text,
        "marker_line": item.marker_line,
        "marker_author": item.marker_author,
        "marker_email": item.marker_email,
        "marker_commit": item.marker_commit,
        "marker_added_at": item.marker_added_at.isoformat() if item.marker_added_at else None,
        "locations": [_location_dict(location) for location in sorted(item.locations.all(), key=lambda x: x.pk)],
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "interest": item.interest,
        "priority": item.priority,
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False) if value and isinstance(value[0], dict) else ", ".join(value)
    # Import strips the quote again (restore_formula).
    return defuse_formula(str(value))


def debt_item_export(*, repository, format: str, items: Iterable[DebtItem] | None = None) -> str:
    """Export a repository's items (or the given ones) as CSV or JSON text with every field."""
    if format not in FORMATS:
        raise ImportInvalid(f"Export format must be csv or json, not {format!r}.", extra={"field": "format"})
    if items is None:
        items = (
            DebtItem.objects.filter(repository=repository)
            .select_related("repository", "owner", "reporter")
            .prefetch_related("labels", Prefetch("locations", queryset=DebtLocation.objects.order_by("id")))
            .order_by("id")
        )
    records = [item_record(item) for item in items]
    if format == "json":
        return json.dumps({
            "format": JSON_FORMAT_NAME,
            "repository": repository.name,
            "effort_unit": repository.effort_unit,
            "exported_at": timezone.now().isoformat(),
            "items": records,
        }, ensure_ascii=False, indent=2)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: _csv_cell(value) for key, value in record.items()})
    return buffer.getvalue()


# ---------------------------------------------------------------- import

@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    labels: list[str] | None = None
    locations: list[dict[str, Any]] | None = None
    owner: str | None = None
    reporter: str | None = None
    key: tuple[str, str] = ("", "")
    errors: list[ImportRowError] = field(default_factory=list)
    # Columns an update applies: those the row has, less blank cells of fields that have a default.
    given: set[str] = field(default_factory=set)


def _rows(content: str | bytes, format: str) -> tuple[list[tuple[int, dict]], tuple[str, ...]]:
    if isinstance(content, bytes):
        if len(content) > MAX_IMPORT_BYTES:
            raise ImportInvalid(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportInvalid("The file is not UTF-8 text; save it as UTF-8 and try again.") from None
    content = clean_text(content.lstrip("\ufeff"))
    if format == "json":
        return _json_rows(content)
    reader = csv.DictReader(io.StringIO(content))
    header = tuple(name.strip() for name in (reader.fieldnames or ()))
    if not {"title", "external_id", "fingerprint"} & set(header):
        raise ImportInvalid(
            "The CSV needs a header row with a 'title' column (or 'external_id' to update existing items).",
            extra={"columns": header},
        )
    reader.fieldnames = list(header)
    rows = [(number, row) for number, row in enumerate(reader, start=2)]
    return rows, tuple(name for name in header if name not in COLUMNS)


def _json_rows(content: str) -> tuple[list[tuple[int, dict]], tuple[str, ...]]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ImportInvalid(f"The JSON cannot be read: {exc.msg} at line {exc.lineno}.") from None
    records = data.get("items") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise ImportInvalid('The JSON must be a list of items, or an object with an "items" list.')
    unknown: set[str] = set()
    rows = []
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            unknown |= set(record) - set(COLUMNS)
        rows.append((number, record))
    return rows, tuple(sorted(unknown))


def _as_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DebtItemInvalid(f"{name} must be true or false; got {value!r}.", extra={"field": name})


def _as_line(value: Any, name: str) -> int | None:
    start, _ = validation.clean_line_range(value, None)
    return start


def _parse_location_text(text: str) -> dict[str, Any]:
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


def _locations(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise DebtItemInvalid(f"locations is not valid JSON: {exc.msg}.", extra={"field": "locations"}) \
                    from None
        else:
            value = [_parse_location_text(line) for line in stripped.splitlines() if line.strip()]
    if not isinstance(value, list) or not all(isinstance(entry, (dict, str)) for entry in value):
        raise DebtItemInvalid("locations must be a list of paths or link objects.", extra={"field": "locations"})
    result = []
    for entry in value:
        entry = _parse_location_text(entry) if isinstance(entry, str) else entry
        clean = clean_location(LocationSpec(
            path=entry.get("path", ""), qualname=entry.get("qualname") or "", line_start=entry.get("line_start"),
            line_end=entry.get("line_end"), revision=entry.get("revision") or "",
        ))
        original = validation.clean_path(entry["original_path"]) if entry.get("original_path") else clean.path
        result.append({
            "path": clean.path, "original_path": original, "qualname": clean.qualname,
            "line_start": clean.line_start, "line_end": clean.line_end, "revision": clean.revision,
            "anchored_at": validation.clean_datetime(entry.get("anchored_at"), field="locations"),
            "renamed_in": validation.clean_revision(entry.get("renamed_in") or ""),
        })
    return result


def _cleaners() -> dict[str, Any]:
    def text(name: str, limit: int):
        return lambda v: validation.clean_text(v, field=name, max_length=limit)

    return {
        "title": validation.clean_title,
        "description": validation.clean_description,
        "kind": validation.clean_kind,
        "status": validation.clean_status,
        "dismissed": lambda v: _as_bool(v, "dismissed"),
        "impact": validation.clean_impact,
        "effort": validation.clean_effort,
        "due_date": validation.clean_due_date,
        "external_url": validation.clean_external_url,
        "external_id": text("external_id", 200),
        "fingerprint": text("fingerprint", 64),
        "source": validation.clean_source,
        "signal": lambda v: validation.clean_choice(v or "", field="signal",
                                                    choices=["", "marker", "hotspot", "knowledge_island"]),
        "marker_tag": text("marker_tag", 32),
        "marker_text": text("marker_text", 1000),
        "marker_line": lambda v: _as_line(v, "marker_line"),
        "marker_author": text("marker_author", 255),
        "marker_email": text("marker_email", 255),
        "marker_commit": validation.clean_revision,
        "marker_added_at": lambda v: validation.clean_datetime(v, field="marker_added_at"),
        "created_at": lambda v: validation.clean_datetime(v, field="created_at"),
    }


_DEFAULTS: dict[str, Any] = {
    "description": "", "kind": DebtItem.Kind.CODE, "status": lifecycle.ACCEPTED, "dismissed": False, "impact": 3,
    "effort": 1, "source": DebtItem.Source.MANUAL,
}


def _parse_fields(row: _Row, raw: dict[str, Any]) -> None:
    row.given = {name for name in raw if name in COLUMNS and name not in READ_ONLY}
    for name, clean in _cleaners().items():
        value = raw.get(name)
        if name == "title" and name not in raw:
            row.values[name] = ""  # fine for an update; a new item without a title is refused later
            continue
        if value in (None, "") and name in _DEFAULTS:
            value = _DEFAULTS[name]
            if _DEFAULTS[name] != "":
                row.given.discard(name)
        try:
            row.values[name] = clean(value)
        except InvalidInput as exc:
            row.errors.append(ImportRowError(row.number, exc.extra.get("field", name), exc.message))


def _parse_row(number: int, raw: Any) -> _Row:
    row = _Row(number=number)
    if not isinstance(raw, dict):
        row.errors.append(ImportRowError(number, "", "Each row must be an object with named fields."))
        return row
    raw = {key: restore_formula(value) for key, value in raw.items() if key is not None}
    _parse_fields(row, raw)
    for name, parse in (("labels", validation.clean_label_names), ("locations", _locations)):
        try:
            setattr(row, name, parse(raw.get(name) or []))
        except InvalidInput as exc:
            row.errors.append(ImportRowError(number, name, exc.message))
    for name in ("owner", "reporter"):
        value = raw.get(name)
        setattr(row, name, value.strip() if isinstance(value, str) else ("" if value is None else str(value)))
    if row.values.get("dismissed") and row.values.get("status") != lifecycle.WONT_FIX:
        row.errors.append(ImportRowError(number, "dismissed", "Only a won't fix item can be a dismissed proposal."))
    return row


def _resolve_users(rows: Sequence[_Row]) -> None:
    names = {getattr(row, attr) for row in rows for attr in ("owner", "reporter") if getattr(row, attr)}
    User = get_user_model()
    users = {user.get_username(): user for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": names})}
    for row in rows:
        for attr in ("owner", "reporter"):
            name = getattr(row, attr)
            if name and name not in users:
                row.errors.append(ImportRowError(row.number, attr, f"No user {name!r}; create the account first."))
            row.values[attr] = users.get(name) if name else None


def _assign_keys(repository, rows: Sequence[_Row]) -> None:
    """Each row's identity (external id, else fingerprint, else one computed from title, kind, paths)."""
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        values = row.values
        if values.get("external_id"):
            row.key = ("external_id", values["external_id"])
        elif values.get("fingerprint"):
            row.key = ("fingerprint", values["fingerprint"])
        else:
            row.key = ("computed", import_fingerprint(
                title=values.get("title", ""), kind=values.get("kind", ""),
                paths=[location["path"] for location in row.locations or []],
            ))
        if row.key in seen:
            field_name = "title" if row.key[0] == "computed" else row.key[0]
            what = "title, kind and locations" if row.key[0] == "computed" else row.key[0]
            row.errors.append(ImportRowError(row.number, field_name, f"Same {what} as row {seen[row.key]}."))
        else:
            seen[row.key] = row.number


def _existing(repository, rows: Sequence[_Row]) -> dict[tuple[str, str], DebtItem]:
    external_ids = [row.key[1] for row in rows if row.key[0] == "external_id"]
    fingerprints = [row.values.get("fingerprint") for row in rows if row.values.get("fingerprint")]
    queryset = DebtItem.objects.filter(repository=repository).select_related("owner", "reporter").prefetch_related(
        "labels", Prefetch("locations", queryset=DebtLocation.objects.order_by("id"))
    )
    found: dict[tuple[str, str], DebtItem] = {}
    for item in queryset.filter(external_id__in=external_ids):
        found[("external_id", item.external_id)] = item
    for item in queryset.filter(fingerprint__in=fingerprints):
        found[("fingerprint", item.fingerprint)] = item
    if any(row.key[0] == "computed" for row in rows):
        # Items without an external id or fingerprint are recognised by title, kind and linked paths.
        for item in queryset.filter(external_id="", fingerprint=""):
            key = import_fingerprint(title=item.title, kind=item.kind,
                                     paths=[location.path for location in item.locations.all()])
            found.setdefault(("computed", key), item)
    return found


def _check_fingerprint_clash(rows: Sequence[_Row], existing: dict[tuple[str, str], DebtItem]) -> None:
    for row in rows:
        if row.errors or row.key[0] != "external_id" or not row.values.get("fingerprint"):
            continue
        other = existing.get(("fingerprint", row.values["fingerprint"]))
        target = existing.get(row.key)
        if other is not None and other != target:
            row.errors.append(ImportRowError(
                row.number, "fingerprint", f"This fingerprint belongs to item #{other.pk} with another external id."
            ))


@transaction.atomic
def debt_item_import(*, repository, content: str | bytes, format: str, actor=None) -> ImportReport:
    """Import items from CSV or JSON: valid rows are saved in one transaction, refused rows are reported.

    A row with an external id (else a fingerprint) that matches an item updates it, so importing the
    same file twice changes nothing. Rows without either match an item with neither by title, kind and paths.
    """
    if format not in FORMATS:
        raise ImportInvalid(f"Import format must be csv or json, not {format!r}.", extra={"field": "format"})
    raw_rows, ignored = _rows(content, format)
    if len(raw_rows) > MAX_IMPORT_ROWS:
        raise ImportInvalid(f"The file has {len(raw_rows)} rows; the limit is {MAX_IMPORT_ROWS}.")
    rows = [_parse_row(number, raw) for number, raw in raw_rows]
    _resolve_users([row for row in rows if not row.errors])
    _assign_keys(repository, [row for row in rows if not row.errors])
    valid = [row for row in rows if not row.errors]
    existing = _existing(repository, valid)
    _check_fingerprint_clash(valid, existing)
    for row in valid:
        if row.key not in existing and not row.values.get("title"):
            row.errors.append(ImportRowError(row.number, "title", "title is required to create an item."))
    valid = [row for row in valid if not row.errors]
    created, updated, unchanged = _save_rows(repository, valid, existing, actor)
    if created or updated:
        debt_item_recompute_priorities(repository=repository)
    return ImportReport(
        format=format, created=created, updated=updated, unchanged=unchanged,
        refused=tuple(error for row in rows for error in row.errors), ignored_columns=ignored,
    )


def _save_rows(repository, rows: Sequence[_Row], existing, actor) -> tuple[int, int, int]:
    now = timezone.now()
    created = updated = unchanged = 0
    for row in rows:
        item = existing.get(row.key)
        if item is None:
            _create(repository, row, actor, now)
            created += 1
        elif _update(item, row, actor, now):
            updated += 1
        else:
            unchanged += 1
    return created, updated, unchanged


def _location_rows(item: DebtItem, locations: Sequence[dict], now) -> list[DebtLocation]:
    return [DebtLocation(item=item, created_at=now, **{k: v for k, v in loc.items()}) for loc in locations]


def _create(repository, row: _Row, actor, now) -> DebtItem:
    values = {name: row.values[name] for name in PLAIN_FIELDS}
    item = DebtItem.objects.create(
        repository=repository, **values, owner=row.values["owner"], reporter=row.values["reporter"] or actor,
        external_id=row.values.get("external_id", ""), fingerprint=row.values.get("fingerprint", ""),
        created_at=row.values.get("created_at") or now, updated_at=now, status_changed_at=now,
    )
    if row.labels:
        item.labels.set(labels_for(row.labels))
    DebtLocation.objects.bulk_create(_location_rows(item, row.locations or [], now))
    DebtChange.objects.create(item=item, field="created", new_value=f"{item.title} (imported)", actor=actor, at=now)
    return item


def _location_key(location: dict | DebtLocation) -> tuple:
    get = location.get if isinstance(location, dict) else (lambda name: getattr(location, name))
    return (get("path"), get("original_path"), get("qualname"), get("line_start"), get("line_end"),
            get("revision"), get("renamed_in"))


def _replace_relations(item: DebtItem, row: _Row, actor, now) -> list[DebtChange]:
    """Replace labels and links when the row has those columns and they differ; return the history rows."""
    history = []
    old_labels = sorted(label.name for label in item.labels.all())
    if "labels" in row.given and row.labels != old_labels:
        item.labels.set(labels_for(row.labels or []))
        history.append(change_row(item=item, field="labels", old=old_labels, new=row.labels, actor=actor, at=now))
    old_locations = sorted((_location_key(loc) for loc in item.locations.all()), key=repr)
    new_locations = sorted((_location_key(loc) for loc in row.locations or []), key=repr)
    if "locations" in row.given and old_locations != new_locations:
        item.locations.all().delete()
        DebtLocation.objects.bulk_create(_location_rows(item, row.locations or [], now))
        history.append(change_row(
            item=item, field="location", old="; ".join(display_value(k[0]) for k in old_locations),
            new="; ".join(display_value(k[0]) for k in new_locations), actor=actor, at=now,
        ))
    return history


def _update(item: DebtItem, row: _Row, actor, now) -> bool:
    """Apply the columns the row has: a partial sheet (external_id, impact) changes only those fields."""
    given = row.given
    wanted = {name: row.values[name] for name in PLAIN_FIELDS if name in given}
    if "owner" in given:
        wanted["owner"] = row.values["owner"]
    for name in ("fingerprint", "created_at", "reporter"):
        if name in given and row.values.get(name):
            wanted[name] = row.values[name]
    changes = {name: value for name, value in wanted.items() if getattr(item, name) != value}
    history = [
        change_row(item=item, field=name, old=getattr(item, name), new=value, actor=actor, at=now)
        for name, value in changes.items() if name != "status"
    ]
    if "status" in changes:
        DebtTransition.objects.create(item=item, from_status=item.status, to_status=changes["status"], actor=actor,
                                      note="imported", at=now)
        changes["status_changed_at"] = now
        if changes["status"] in (lifecycle.PROPOSED, lifecycle.ACCEPTED) and "dismissed" not in given:
            changes["dismissed"] = False
    history += _replace_relations(item, row, actor, now)
    if not changes and not history:
        return False
    for name, value in changes.items():
        setattr(item, name, value)
    item.updated_at = now
    item.save()
    DebtChange.objects.bulk_create(history)
    return True
