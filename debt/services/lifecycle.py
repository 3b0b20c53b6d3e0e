"""Moving items through their lifecycle; every transition is recorded and none is lost to a race."""
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from debt import lifecycle
from debt.errors import DebtItemChanged, DebtItemNotFound, InvalidTransition
from debt.models import DebtItem, DebtTransition
from debt.services import validation


def invalid_transition(item_id: int, current: str, target: str) -> InvalidTransition:
    """The error for an illegal move, listing the moves that are allowed."""
    allowed = lifecycle.allowed_next(current)
    names = ", ".join(lifecycle.LABELS[s] for s in allowed) or "nothing"
    return InvalidTransition(
        f"Item #{item_id} is {lifecycle.LABELS.get(current, current)}; it cannot move to "
        f"{lifecycle.LABELS.get(target, target)}. Allowed next: {names}.",
        extra={"item": item_id, "status": current, "target": target, "allowed": list(allowed)},
    )


def move_updates(*, to_status: str, at: datetime, extra_updates: dict | None = None) -> dict[str, Any]:
    """The fields a move to `to_status` sets; back to proposed or accepted clears `dismissed` unless given."""
    updates = {"status": to_status, "status_changed_at": at, "updated_at": at, **(extra_updates or {})}
    if to_status in (lifecycle.PROPOSED, lifecycle.ACCEPTED):
        updates.setdefault("dismissed", False)
    return updates


def transition_row(
    *, item_id: int, from_status: str, to_status: str, actor, note: str, at: datetime
) -> DebtTransition:
    """An unsaved transition row: every status move of the register is recorded through here."""
    return DebtTransition(item_id=item_id, from_status=from_status, to_status=to_status, actor=actor, note=note,
                          at=at)


def record_restored_status(*, item: DebtItem, to_status: str, actor, note: str, at: datetime,
                           extra_updates: dict) -> dict[str, Any]:
    """Record a status an import restores and return the fields to save with it (call inside atomic).

    An import states where items are rather than moves a person makes, so the lifecycle's legal moves are
    not checked; the transition is recorded like any other.
    """
    transition_row(item_id=item.pk, from_status=item.status, to_status=to_status, actor=actor, note=note,
                   at=at).save()
    return move_updates(to_status=to_status, at=at, extra_updates=extra_updates)


def apply_transition(
    *, item: DebtItem, to_status: str, actor, expected_status: str, note: str = "",
    extra_updates: dict | None = None,
) -> DebtTransition:
    """Move one locked-or-not item with a conditional update on its expected status (call inside atomic)."""
    locked = DebtItem.objects.select_for_update().filter(pk=item.pk).values_list("status", flat=True).first()
    if locked is None:
        raise DebtItemNotFound(f"No debt item #{item.pk}.", extra={"item": item.pk})
    if locked != expected_status:
        raise DebtItemChanged(
            f"Item #{item.pk} was moved to {lifecycle.LABELS.get(locked, locked)} by someone else meanwhile; "
            "reload it and try again.",
            extra={"item": item.pk, "status": locked, "expected": expected_status},
        )
    if not lifecycle.is_allowed(locked, to_status):
        raise invalid_transition(item.pk, locked, to_status)
    now = timezone.now()
    updates = move_updates(to_status=to_status, at=now, extra_updates=extra_updates)
    if not DebtItem.objects.filter(pk=item.pk, status=expected_status).update(**updates):
        raise DebtItemChanged(
            f"Item #{item.pk} changed meanwhile; reload it and try again.", extra={"item": item.pk}
        )
    for name, value in updates.items():
        setattr(item, name, value)
    transition = transition_row(item_id=item.pk, from_status=expected_status, to_status=to_status, actor=actor,
                                note=note, at=now)
    transition.save()
    return transition


@transaction.atomic
def debt_item_transition(
    *, item: DebtItem, to_status: str, actor=None, note: str = "", expected_status: str | None = None
) -> DebtItem:
    """Move an item to another status if the lifecycle allows it and nobody moved it meanwhile.

    `expected_status` defaults to the status of the `item` the caller holds: if another person moved
    it since it was loaded, DebtItemChanged ("debt_item.changed") is raised instead of losing a move.
    """
    to_status = validation.clean_status(to_status)
    note = validation.clean_text(note, field="note", max_length=1000)
    apply_transition(
        item=item, to_status=to_status, actor=actor, note=note,
        expected_status=expected_status if expected_status is not None else item.status,
    )
    return item


def bulk_transition(
    *, item_ids: Sequence[int], from_status: str, to_status: str, actor, note: str = "",
    extra_updates: dict | None = None, repository=None,
) -> tuple[list[int], list[int]]:
    """Move every item of `item_ids` that is still in `from_status`; return (moved, skipped) ids."""
    if not lifecycle.is_allowed(from_status, to_status):
        raise invalid_transition(0, from_status, to_status)
    ids = sorted({int(pk) for pk in item_ids})
    queryset = DebtItem.objects.select_for_update().filter(pk__in=ids, status=from_status)
    if repository is not None:
        queryset = queryset.filter(repository=repository)
    movable = list(queryset.values_list("pk", flat=True))
    now = timezone.now()
    updates = {"status": to_status, "status_changed_at": now, "updated_at": now, **(extra_updates or {})}
    DebtItem.objects.filter(pk__in=movable, status=from_status).update(**updates)
    DebtTransition.objects.bulk_create([
        transition_row(item_id=pk, from_status=from_status, to_status=to_status, actor=actor, note=note, at=now)
        for pk in movable
    ])
    return movable, [pk for pk in ids if pk not in set(movable)]
