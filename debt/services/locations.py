"""Linking debt items to code: files, folder prefixes, functions and line ranges at a revision."""
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from debt.data import LocationSpec
from debt.errors import LocationInvalid, LocationNotFound
from debt.models import DebtItem, DebtLocation
from debt.services import validation
from debt.services.activity import record_change
from debt.services.interest import recompute_items
from metrics.selectors.history import commit_authored_at

MAX_LOCATIONS = 50


def _anchor(item: DebtItem, revision: str) -> datetime | None:
    """The moment in the code's history a link refers to: its revision, else the current scan's commit."""
    if revision:
        when = commit_authored_at(repository=item.repository, sha=revision)
        if when is not None:
            return when
    scan = item.repository.current_scan
    return scan.committed_at if scan is not None else None


def clean_location(spec: LocationSpec) -> LocationSpec:
    """Validate one link: a relative path, an optional function or line range, an optional commit id."""
    path = validation.clean_path(spec.path)
    qualname = validation.clean_qualname(spec.qualname)
    line_start, line_end = validation.clean_line_range(spec.line_start, spec.line_end)
    revision = validation.clean_revision(spec.revision)
    if path.endswith("/") and (qualname or line_start is not None):
        raise LocationInvalid(
            f"{path} is a folder: link a file to point at a function or lines.", extra={"field": "path"}
        )
    return LocationSpec(path=path, qualname=qualname, line_start=line_start, line_end=line_end, revision=revision)


def build_locations(
    *, item: DebtItem, specs: Sequence[LocationSpec], at: datetime, save: bool,
    anchored_at: datetime | None | bool = False,
) -> list[DebtLocation]:
    """Validated DebtLocation rows of an item (saved in bulk when `save`); duplicates are dropped."""
    if len(specs) > MAX_LOCATIONS:
        raise LocationInvalid(f"An item takes at most {MAX_LOCATIONS} links.", extra={"field": "locations"})
    rows: list[DebtLocation] = []
    seen: set[tuple] = set()
    for spec in specs:
        clean = clean_location(spec)
        key = (clean.path, clean.qualname, clean.line_start, clean.line_end, clean.revision)
        if key in seen:
            continue
        seen.add(key)
        rows.append(DebtLocation(
            item=item, path=clean.path, original_path=clean.path, qualname=clean.qualname,
            line_start=clean.line_start, line_end=clean.line_end, revision=clean.revision,
            anchored_at=_anchor(item, clean.revision) if anchored_at is False else anchored_at,
            created_at=at,
        ))
    if save and rows:
        DebtLocation.objects.bulk_create(rows)
    return rows


@transaction.atomic
def debt_item_link(
    *,
    item: DebtItem,
    path: str,
    actor=None,
    qualname: str = "",
    line_start: int | None = None,
    line_end: int | None = None,
    revision: str = "",
) -> DebtLocation:
    """Link an item to a file, a folder prefix ending in '/', a function, or a line range at a revision."""
    spec = clean_location(LocationSpec(path, qualname, line_start, line_end, revision))
    existing = item.locations.filter(
        path=spec.path, qualname=spec.qualname, line_start=spec.line_start, line_end=spec.line_end,
        revision=spec.revision,
    ).first()
    if existing is not None:
        return existing
    if item.locations.count() >= MAX_LOCATIONS:
        raise LocationInvalid(f"An item takes at most {MAX_LOCATIONS} links.", extra={"field": "locations"})
    now = timezone.now()
    (location,) = build_locations(item=item, specs=[spec], at=now, save=True)
    record_change(item=item, field="location", old="", new=str(location), actor=actor, at=now)
    DebtItem.objects.filter(pk=item.pk).update(updated_at=now)
    recompute_items(repository=item.repository, items=[item])
    return location


@transaction.atomic
def debt_item_unlink(*, item: DebtItem, location_id: int, actor=None) -> None:
    """Remove one link of an item."""
    location = DebtLocation.objects.filter(item=item, pk=location_id).first()
    if location is None:
        raise LocationNotFound(
            f"Item #{item.pk} has no link {location_id}.", extra={"item": item.pk, "location": location_id}
        )
    now = timezone.now()
    location.delete()
    record_change(item=item, field="location", old=str(location), new="", actor=actor, at=now)
    DebtItem.objects.filter(pk=item.pk).update(updated_at=now)
    recompute_items(repository=item.repository, items=[item])
