"""Recording an item's field-level history: who changed which field from what to what, and when."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from debt.models import DebtChange, DebtItem
from debtboard.text import clean_text


def display_value(value: Any) -> str:
    """A value as the history shows it: users by username, lists joined, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(display_value(part) for part in value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "get_username"):
        return value.get_username()
    return clean_text(str(value))


def change_row(*, item: DebtItem, field: str, old: Any, new: Any, actor: Any, at: datetime) -> DebtChange:
    """An unsaved history row of one field of one item (for bulk_create)."""
    return DebtChange(
        item=item, field=field, old_value=display_value(old), new_value=display_value(new), actor=actor, at=at
    )


def record_change(*, item: DebtItem, field: str, old: Any, new: Any, actor: Any, at: datetime) -> DebtChange:
    """Save one history row."""
    row = change_row(item=item, field=field, old=old, new=new, actor=actor, at=at)
    row.save()
    return row
