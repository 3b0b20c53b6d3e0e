"""Accepting or dismissing discovered proposals, one at a time or in bulk; a dismissal sticks."""
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from debt import lifecycle
from debt.data import BulkResult
from debt.errors import NotAProposal
from debt.models import DebtChange, DebtItem
from debt.services import validation
from debt.services.activity import change_row
from debt.services.interest import recompute_items
from debt.services.lifecycle import apply_transition, bulk_transition


def _require_proposal(item: DebtItem) -> None:
    if item.status != lifecycle.PROPOSED:
        raise NotAProposal(
            f"Item #{item.pk} is {lifecycle.LABELS[item.status]}, not a proposal.",
            extra={"item": item.pk, "status": item.status},
        )


@transaction.atomic
def debt_proposal_accept(
    *, item: DebtItem, actor=None, impact: int | None = None, effort: Decimal | float | str | None = None,
    owner=None,
) -> DebtItem:
    """Accept a proposal into the register (-> accepted), optionally with a real estimate and an owner."""
    _require_proposal(item)
    updates = {}
    if impact is not None:
        updates["impact"] = validation.clean_impact(impact)
    if effort is not None:
        updates["effort"] = validation.clean_effort(effort)
    if owner is not None:
        updates["owner"] = owner
    before = {name: getattr(item, name) for name in updates}
    transition = apply_transition(
        item=item, to_status=lifecycle.ACCEPTED, actor=actor, expected_status=lifecycle.PROPOSED,
        note="proposal accepted", extra_updates=updates,
    )
    DebtChange.objects.bulk_create([
        change_row(item=item, field=name, old=before[name], new=value, actor=actor, at=transition.at)
        for name, value in updates.items() if before[name] != value
    ])
    if "impact" in updates or "effort" in updates:
        recompute_items(repository=item.repository, items=[item])
    return item


@transaction.atomic
def debt_proposal_dismiss(*, item: DebtItem, actor=None, reason: str = "") -> DebtItem:
    """Dismiss a proposal (-> won't fix, dismissed): later scans never propose it again."""
    _require_proposal(item)
    apply_transition(
        item=item, to_status=lifecycle.WONT_FIX, actor=actor, expected_status=lifecycle.PROPOSED,
        note=validation.clean_text(reason, field="reason", max_length=1000) or "proposal dismissed",
        extra_updates={"dismissed": True},
    )
    return item


@transaction.atomic
def debt_proposal_bulk_accept(*, item_ids: Sequence[int], actor=None, repository=None) -> BulkResult:
    """Accept many proposals at once; ids that are no longer proposals are skipped and reported."""
    moved, skipped = bulk_transition(
        item_ids=item_ids, from_status=lifecycle.PROPOSED, to_status=lifecycle.ACCEPTED, actor=actor,
        note="proposal accepted", repository=repository,
    )
    return BulkResult(changed=tuple(moved), skipped=tuple(skipped))


@transaction.atomic
def debt_proposal_bulk_dismiss(
    *, item_ids: Sequence[int], actor=None, reason: str = "", repository=None
) -> BulkResult:
    """Dismiss many proposals at once; ids that are no longer proposals are skipped and reported."""
    moved, skipped = bulk_transition(
        item_ids=item_ids, from_status=lifecycle.PROPOSED, to_status=lifecycle.WONT_FIX, actor=actor,
        note=validation.clean_text(reason, field="reason", max_length=1000) or "proposal dismissed",
        extra_updates={"dismissed": True}, repository=repository,
    )
    return BulkResult(changed=tuple(moved), skipped=tuple(skipped))
