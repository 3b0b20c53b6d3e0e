"""Per-repository figures of the debt register: open count and effort, proposals, "looks resolved" flags."""
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q, Sum

from debt.choices import ACTIVE_STATUSES, OPEN_STATUSES, Status
from debt.data import DebtTotals
from debt.models import DebtItem


def debt_totals_by_repository(*, repository_ids: Iterable[int] | None = None) -> dict[int, DebtTotals]:
    """Open count, open effort, proposals and "looks resolved" flags per repository, in one query."""
    queryset = DebtItem.objects.all()
    if repository_ids is not None:
        queryset = queryset.filter(repository_id__in=list(repository_ids))
    open_q = Q(status__in=ACTIVE_STATUSES)
    rows = queryset.values("repository_id").annotate(
        open_count=Count("id", filter=open_q),
        open_effort=Sum("effort", filter=open_q),
        proposed_count=Count("id", filter=Q(status=Status.PROPOSED)),
        looks_resolved_count=Count("id", filter=Q(looks_resolved=True, status__in=OPEN_STATUSES)),
    ).order_by()
    return {
        row["repository_id"]: DebtTotals(
            repository_id=row["repository_id"], open_count=row["open_count"],
            open_effort=row["open_effort"] or Decimal("0"), proposed_count=row["proposed_count"],
            looks_resolved_count=row["looks_resolved_count"],
        )
        for row in rows
    }
