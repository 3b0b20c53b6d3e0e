"""Logging and editing debt items by hand: create, update, delete, with field-level history."""
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from debt import lifecycle
from debt.data import LocationSpec
from debt.errors import DebtItemInvalid
from debt.models import DebtChange, DebtItem, Label
from debt.services import validation
from debt.services.activity import change_row
from debt.services.interest import recompute_items
from debt.services.locations import build_locations


class _Unset:
    """Marks an argument the caller left out (None is a real value: clear the field)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
CREATE_STATUSES = (lifecycle.PROPOSED, lifecycle.ACCEPTED)


def labels_for(names: Iterable[str]) -> list[Label]:
    """The Label rows for normalised names, creating the missing ones."""
    names = sorted(set(names))
    if not names:
        return []
    existing = {label.name: label for label in Label.objects.filter(name__in=names)}
    missing = [Label(name=name) for name in names if name not in existing]
    if missing:
        Label.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {label.name: label for label in Label.objects.filter(name__in=names)}
    return [existing[name] for name in names]


def _check_external_id(repository, external_id: str, exclude_pk: int | None = None) -> None:
    if not external_id:
        return
    clash = DebtItem.objects.filter(repository=repository, external_id=external_id)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DebtItemInvalid(
            f"Another item of {repository.name} already has external id {external_id!r}.",
            extra={"field": "external_id"},
        )


@transaction.atomic
def debt_item_create(
    *,
    repository,
    title: str,
    actor=None,
    description: str = "",
    kind: str = DebtItem.Kind.CODE,
    impact: int = 3,
    effort: Decimal | float | int | str = 1,
    due_date: date | str | None = None,
    owner=None,
    labels: Sequence[str] = (),
    external_url: str = "",
    external_id: str = "",
    source: str = DebtItem.Source.MANUAL,
    status: str = lifecycle.ACCEPTED,
    locations: Sequence[LocationSpec] = (),
) -> DebtItem:
    """Log a debt item (accepted, or proposed), link it to code and measure its priority."""
    if status not in CREATE_STATUSES:
        raise DebtItemInvalid(
            f"A new item starts as proposed or accepted, not {status!r}; move it on afterwards.",
            extra={"field": "status"},
        )
    external_id = validation.clean_external_id(external_id)
    _check_external_id(repository, external_id)
    now = timezone.now()
    item = DebtItem.objects.create(
        repository=repository,
        title=validation.clean_title(title),
        description=validation.clean_description(description),
        kind=validation.clean_kind(kind),
        status=status,
        impact=validation.clean_impact(impact),
        effort=validation.clean_effort(effort),
        due_date=validation.clean_due_date(due_date),
        reporter=actor,
        owner=owner,
        external_url=validation.clean_external_url(external_url),
        external_id=external_id,
        source=validation.clean_source(source),
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    names = validation.clean_label_names(list(labels))
    if names:
        item.labels.set(labels_for(names))
    build_locations(item=item, specs=locations, at=now, save=True)
    DebtChange.objects.create(item=item, field="created", new_value=item.title, actor=actor, at=now)
    recompute_items(repository=repository, items=[item])
    return item


def _cleaned_changes(item: DebtItem, fields: dict[str, Any]) -> dict[str, Any]:
    cleaners = {**validation.ITEM_FIELD_CLEANERS, "owner": lambda value: value}
    cleaned = {}
    for name, value in fields.items():
        if value is UNSET:
            continue
        new = cleaners[name](value)
        if getattr(item, name) != new:
            cleaned[name] = new
    return cleaned


@transaction.atomic
def debt_item_update(
    *,
    item: DebtItem,
    actor=None,
    title: str = UNSET,
    description: str = UNSET,
    kind: str = UNSET,
    impact: int = UNSET,
    effort: Decimal | float | int | str = UNSET,
    due_date: date | str | None = UNSET,
    owner=UNSET,
    labels: Sequence[str] = UNSET,
    external_url: str = UNSET,
    external_id: str = UNSET,
) -> DebtItem:
    """Change an item's fields; each change is recorded with who made it. Status moves use transitions."""
    locked = DebtItem.objects.select_for_update(of=("self",)).select_related("owner", "repository").get(pk=item.pk)
    changes = _cleaned_changes(locked, {
        "title": title, "description": description, "kind": kind, "impact": impact, "effort": effort,
        "due_date": due_date, "external_url": external_url, "external_id": external_id, "owner": owner,
    })
    if "external_id" in changes:
        _check_external_id(locked.repository, changes["external_id"], exclude_pk=locked.pk)
    now = timezone.now()
    rows = [
        change_row(item=locked, field=name, old=getattr(locked, name), new=value, actor=actor, at=now)
        for name, value in changes.items()
    ]
    for name, value in changes.items():
        setattr(locked, name, value)
    if labels is not UNSET:
        names = validation.clean_label_names(labels)
        old_names = sorted(label.name for label in locked.labels.all())
        if names != old_names:
            locked.labels.set(labels_for(names))
            rows.append(change_row(item=locked, field="labels", old=old_names, new=names, actor=actor, at=now))
    if rows:
        locked.updated_at = now
        locked.save(update_fields=[*changes, "updated_at"])
        DebtChange.objects.bulk_create(rows)
    if {"impact", "effort"} & set(changes):
        recompute_items(repository=locked.repository, items=[locked])
    return locked


@transaction.atomic
def debt_item_delete(*, item: DebtItem) -> None:
    """Delete an item with its links and activity (use "won't fix" to keep the record instead)."""
    DebtItem.objects.filter(pk=item.pk).delete()
