"""Import and export of the register as CSV or JSON, with every field, its links and labels.

The file format is transfer_codec's, a row's checks transfer_rows', which item a row means transfer_matching's;
this module saves: new items, changed fields with their history, statuses through the lifecycle.
"""
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from debtboard.db_locks import lock_handover, write_retrying
from debt.data import ImportReport
from debt.models import DebtChange, DebtItem, DebtLocation
from debt.services.activity import change_row, display_value
from debt.services.interest import debt_item_recompute_priorities
from debt.services.items import labels_for
from debt.services.lifecycle import record_restored_status
from debt.services.transfer_codec import check_format, decode, encode
from debt.services.transfer_matching import Existing, match_rows
from debt.services.transfer_rows import PLAIN_FIELDS, ImportRow, import_row

IMPORT_NOTE = "imported"
IMPORT_CHUNK = 250  # rows written per transaction: a few hundred milliseconds of write lock


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


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


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
        "due_date": _iso(item.due_date),
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
        "marker_added_at": _iso(item.marker_added_at),
        "locations": [_location_dict(location) for location in sorted(item.locations.all(), key=lambda x: x.pk)],
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "interest": item.interest,
        "priority": item.priority,
    }


def debt_item_export(*, repository, format: str, items: Iterable[DebtItem] | None = None) -> str:
    """Export a repository's items (or the given ones) as CSV or JSON text with every field."""
    check_format(format, verb="Export")
    if items is None:
        items = (
            DebtItem.objects.filter(repository=repository)
            .select_related("repository", "owner", "reporter")
            .prefetch_related("labels", Prefetch("locations", queryset=DebtLocation.objects.order_by("id")))
            .order_by("id")
        )
    header = {"repository": repository.name, "effort_unit": repository.effort_unit,
              "exported_at": timezone.now().isoformat()}
    return encode([item_record(item) for item in items], format=format, header=header)


# ---------------------------------------------------------------- import

def debt_item_import(*, repository, content: str | bytes, format: str, actor=None) -> ImportReport:
    """Import items from CSV or JSON: valid rows are saved in short transactions, refused rows are reported.

    Every row is checked and matched before the first write, so a file refused as a whole writes
    nothing and the refused rows are the same whatever happens later. The valid rows are then written
    IMPORT_CHUNK at a time, each chunk in a transaction of its own: a large file never holds the
    database's write lock for long (SQLite has one writer). A row with an external id (else a
    fingerprint) that matches an item updates it, so importing the same file twice changes nothing;
    rows without either match an item with neither by title, kind and paths. If the process dies
    between chunks, the chunks written stay and importing the same file again completes it.
    """
    check_format(format, verb="Import")
    decoded = decode(content, format=format)
    rows = [import_row(number, raw) for number, raw in decoded.rows]
    existing = match_rows(repository, rows)
    created, updated, unchanged = _save_in_chunks(repository, [row for row in rows if not row.errors], existing, actor)
    if created or updated:
        write_retrying(partial(debt_item_recompute_priorities, repository=repository))
    return ImportReport(
        format=format, created=created, updated=updated, unchanged=unchanged,
        refused=tuple(error for row in rows for error in row.errors), ignored_columns=decoded.ignored_columns,
    )


def _save_in_chunks(repository, rows: Sequence[ImportRow], matched: Existing, actor) -> tuple[int, int, int]:
    """Save the valid rows IMPORT_CHUNK at a time, a transaction each; return (created, updated, unchanged)."""
    counts = (0, 0, 0)
    for start in range(0, len(rows), IMPORT_CHUNK):
        if start:
            lock_handover()
        saved = write_retrying(partial(_save_chunk, repository, rows[start:start + IMPORT_CHUNK], matched, actor))
        counts = tuple(total + more for total, more in zip(counts, saved))
    return counts


def _save_chunk(repository, rows: Sequence[ImportRow], matched: Existing, actor) -> tuple[int, int, int]:
    """Save one chunk of rows (inside its transaction); return (created, updated, unchanged)."""
    return _save_rows(repository, rows, _reloaded(matched, rows), actor)


def _reloaded(matched: Existing, rows: Sequence[ImportRow]) -> Existing:
    """The items the rows matched, read again: a chunk tried again after a rollback starts from the database."""
    keys_by_pk: dict[int, list[tuple[str, str]]] = {}
    for row in rows:
        if row.key in matched:
            keys_by_pk.setdefault(matched[row.key].pk, []).append(row.key)
    items = DebtItem.objects.filter(pk__in=keys_by_pk).select_related("owner", "reporter").prefetch_related(
        "labels", Prefetch("locations", queryset=DebtLocation.objects.order_by("id"))
    )
    return {key: item for item in items for key in keys_by_pk[item.pk]}


def _save_rows(repository, rows: Sequence[ImportRow], existing: Existing, actor) -> tuple[int, int, int]:
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


def _location_rows(item: DebtItem, locations: Sequence[dict], now: datetime) -> list[DebtLocation]:
    return [DebtLocation(item=item, created_at=now, **location) for location in locations]


def _create(repository, row: ImportRow, actor, now: datetime) -> DebtItem:
    values = {name: row.values[name] for name in PLAIN_FIELDS}
    # A reporter column keeps its value (blank: nobody); no column, or a name without an account: the importer.
    reporter = actor if row.reporter_unmatched or "reporter" not in row.given else row.values["reporter"]
    item = DebtItem.objects.create(
        repository=repository, **values, owner=row.values["owner"], reporter=reporter,
        external_id=row.values.get("external_id", ""), fingerprint=row.values.get("fingerprint", ""),
        created_at=row.values.get("created_at") or now, updated_at=now, status_changed_at=now,
    )
    if row.labels:
        item.labels.set(labels_for(row.labels))
    DebtLocation.objects.bulk_create(_location_rows(item, row.locations or [], now))
    origin = f"imported; reported by {row.reporter_unmatched}, who has no account here" if row.reporter_unmatched \
        else "imported"
    DebtChange.objects.create(item=item, field="created", new_value=f"{item.title} ({origin})", actor=actor, at=now)
    return item


def _location_key(location: dict | DebtLocation) -> tuple:
    get = location.get if isinstance(location, dict) else (lambda name: getattr(location, name))
    return (get("path"), get("original_path"), get("qualname"), get("line_start"), get("line_end"),
            get("revision"), get("renamed_in"))


def _replace_labels(item: DebtItem, row: ImportRow, actor, now: datetime) -> list[DebtChange]:
    old_labels = sorted(label.name for label in item.labels.all())
    if "labels" not in row.given or row.labels == old_labels:
        return []
    item.labels.set(labels_for(row.labels or []))
    return [change_row(item=item, field="labels", old=old_labels, new=row.labels, actor=actor, at=now)]


def _replace_locations(item: DebtItem, row: ImportRow, actor, now: datetime) -> list[DebtChange]:
    old_locations = sorted((_location_key(loc) for loc in item.locations.all()), key=repr)
    new_locations = sorted((_location_key(loc) for loc in row.locations or []), key=repr)
    if "locations" not in row.given or old_locations == new_locations:
        return []
    item.locations.all().delete()
    DebtLocation.objects.bulk_create(_location_rows(item, row.locations or [], now))
    return [change_row(
        item=item, field="location", old="; ".join(display_value(k[0]) for k in old_locations),
        new="; ".join(display_value(k[0]) for k in new_locations), actor=actor, at=now,
    )]


def _wanted(row: ImportRow) -> dict[str, Any]:
    """The field values a row sets: the columns it has (reporter, fingerprint, created_at only when filled)."""
    given = row.given
    wanted = {name: row.values[name] for name in PLAIN_FIELDS if name in given}
    if "owner" in given:
        wanted["owner"] = row.values["owner"]
    for name in ("fingerprint", "created_at", "reporter"):
        if name in given and row.values.get(name):
            wanted[name] = row.values[name]
    return wanted


def _update(item: DebtItem, row: ImportRow, actor, now: datetime) -> bool:
    """Apply the columns the row has: a partial sheet (external_id, impact) changes only those fields."""
    changes = {name: value for name, value in _wanted(row).items() if getattr(item, name) != value}
    history = [
        change_row(item=item, field=name, old=getattr(item, name), new=value, actor=actor, at=now)
        for name, value in changes.items() if name != "status"
    ]
    if "status" in changes:
        changes = record_restored_status(item=item, to_status=changes.pop("status"), actor=actor, note=IMPORT_NOTE,
                                         at=now, extra_updates=changes)
    history += _replace_labels(item, row, actor, now) + _replace_locations(item, row, actor, now)
    if not changes and not history:
        return False
    for name, value in changes.items():
        setattr(item, name, value)
    item.updated_at = now
    item.save()
    DebtChange.objects.bulk_create(history)
    return True
