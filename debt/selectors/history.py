"""Reads of items' lifecycle history for planning: item facts, done events (with reopens) and status changes."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q

from debt.choices import ACTIVE_STATUSES, Status
from debt.models import DebtItem, DebtLocation, DebtTransition


@dataclass(frozen=True)
class ItemFacts:
    """What planning needs of one item: status, effort (in its repository's unit), owner and linked paths."""

    item_id: int
    repository_id: int
    title: str
    status: str
    effort: Decimal
    owner_id: int | None
    owner_name: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class DoneEvent:
    """An item moved to done at `done_at`; `reopened_at` is when it next left done (None: still done)."""

    item_id: int
    repository_id: int
    effort: Decimal
    paths: tuple[str, ...]
    done_at: datetime
    reopened_at: datetime | None


@dataclass(frozen=True)
class StatusChange:
    """One recorded status move of an item."""

    item_id: int
    from_status: str
    to_status: str
    at: datetime


def _paths_by_item(item_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    paths: dict[int, list[str]] = defaultdict(list)
    for item_id, path in DebtLocation.objects.filter(item_id__in=list(item_ids)).values_list("item_id", "path"):
        paths[item_id].append(path)
    return {item_id: tuple(sorted(set(found))) for item_id, found in paths.items()}


def _facts(queryset) -> list[ItemFacts]:
    rows = list(queryset.values_list("pk", "repository_id", "title", "status", "effort", "owner_id",
                                     "owner__username"))
    paths = _paths_by_item(row[0] for row in rows)
    return [
        ItemFacts(item_id=pk, repository_id=repository_id, title=title, status=status, effort=effort,
                  owner_id=owner_id, owner_name=owner_name or "", paths=paths.get(pk, ()))
        for pk, repository_id, title, status, effort, owner_id, owner_name in rows
    ]


def debt_item_facts(*, item_ids: Iterable[int]) -> dict[int, ItemFacts]:
    """The facts of the given items (missing ids are left out), keyed by item id; two queries."""
    return {fact.item_id: fact for fact in _facts(DebtItem.objects.filter(pk__in=list(item_ids)))}


def debt_item_active_facts(*, repository_ids: Iterable[int]) -> list[ItemFacts]:
    """The facts of the active items (accepted, planned, in progress) of the given repositories."""
    return _facts(DebtItem.objects.filter(repository_id__in=list(repository_ids), status__in=ACTIVE_STATUSES)
                  .order_by("pk"))


def debt_item_done_events(*, repository_ids: Iterable[int] = (), item_ids: Iterable[int] = (),
                          since: datetime, until: datetime) -> list[DoneEvent]:
    """Moves to done at `since` <= at < `until` of items in the repositories or among the items, oldest first.

    Each event carries the item's current effort and paths, and `reopened_at`: the first later move out of
    done (a reopen, at any time up to now), so a reader can give the spend of a reopened item back.
    """
    scope = Q(item__repository_id__in=list(repository_ids)) | Q(item_id__in=list(item_ids))
    dones = list(DebtTransition.objects.filter(scope, to_status=Status.DONE, at__gte=since, at__lt=until)
                 .order_by("at", "id").values_list("item_id", "at"))
    if not dones:
        return []
    item_ids_done = {item_id for item_id, _ in dones}
    leaves: dict[int, list[datetime]] = defaultdict(list)
    for item_id, at in (DebtTransition.objects.filter(item_id__in=item_ids_done, from_status=Status.DONE)
                        .order_by("at", "id").values_list("item_id", "at")):
        leaves[item_id].append(at)
    facts = debt_item_facts(item_ids=item_ids_done)
    events = []
    for item_id, done_at in dones:
        fact = facts[item_id]
        reopened = next((at for at in leaves.get(item_id, ()) if at >= done_at), None)
        events.append(DoneEvent(item_id=item_id, repository_id=fact.repository_id, effort=fact.effort,
                                paths=fact.paths, done_at=done_at, reopened_at=reopened))
    return events


def debt_item_status_changes(*, item_ids: Iterable[int], until: datetime | None = None) -> list[StatusChange]:
    """The recorded status moves of the given items (up to `until`), oldest first."""
    queryset = DebtTransition.objects.filter(item_id__in=list(item_ids))
    if until is not None:
        queryset = queryset.filter(at__lt=until)
    return [StatusChange(item_id=item_id, from_status=old, to_status=new, at=at)
            for item_id, old, new, at in queryset.order_by("at", "id")
            .values_list("item_id", "from_status", "to_status", "at")]
