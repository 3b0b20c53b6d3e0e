"""The debt board: one column of items per status, best priority first."""
from collections.abc import Sequence

from django.db.models import QuerySet

from debt.choices import BOARD_STATUSES
from debt.data import BoardColumn
from debt.models import DebtItem
from debt.selectors.items import debt_item_list, debt_status_label


def debt_board_columns(
    *, repository=None, kind: str | None = None, label: str | None = None, owner=None,
    statuses: Sequence[str] = BOARD_STATUSES, limit: int | None = None,
) -> list[BoardColumn]:
    """The board: one column per status (proposals and won't fix left out by default), best priority first.

    With a `limit`, each column holds at most that many items (one query per column, plus a count when
    the column is full), so a long "done" column stays cheap; without, one query loads every card.
    """
    filters = {"repository": repository, "kind": kind, "label": label, "owner": owner}
    if limit is None:
        items = list(debt_item_list(status=list(statuses), **filters))
        return [_column(status, [item for item in items if item.status == status]) for status in statuses]
    return [_limited_column(status, debt_item_list(status=status, **filters), limit) for status in statuses]


def _column(status: str, items: Sequence[DebtItem], total: int | None = None) -> BoardColumn:
    return BoardColumn(status=status, label=debt_status_label(status), items=tuple(items),
                       total=len(items) if total is None else total)


def _limited_column(status: str, queryset: QuerySet[DebtItem], limit: int) -> BoardColumn:
    items = list(queryset[:limit])
    return _column(status, items, len(items) if len(items) < limit else queryset.count())
