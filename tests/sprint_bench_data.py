"""Data shaping for bench/bench_sprints.py that no service offers: moving an item's transitions back in time."""
from datetime import datetime

from debt.models import DebtTransition


def bench_backdate_transitions(*, item_id: int, at: datetime) -> int:
    """Stamp every transition of an item with `at` (the lifecycle service stamps the current time)."""
    return DebtTransition.objects.filter(item_id=item_id).update(at=at)
