"""Light reads of register items for planning: plain facts of many items at once, without model instances."""
from collections import defaultdict
from collections.abc import Iterable, Sequence

from debt.data import PlanningItem
from debt.models import DebtItem, DebtLocation


def debt_item_planning_list(*, repository_ids: Iterable[int], statuses: Sequence[str]) -> list[PlanningItem]:
    """The items of the given statuses in the given repositories, best priority first; two queries in all.

    The order is the register's (priority, then impact, then id, highest first); the paths are each item's
    linked paths, sorted and without repeats.
    """
    repository_ids, statuses = list(repository_ids), list(statuses)
    if not repository_ids or not statuses:
        return []
    rows = list(DebtItem.objects.filter(repository_id__in=repository_ids, status__in=statuses)
                .order_by("-priority", "-impact", "id")
                .values_list("pk", "repository_id", "title", "status", "priority", "impact", "effort"))
    paths: dict[int, set[str]] = defaultdict(set)
    for item_id, path in (DebtLocation.objects
                          .filter(item__repository_id__in=repository_ids, item__status__in=statuses)
                          .values_list("item_id", "path")):
        paths[item_id].add(path)
    return [PlanningItem(item_id=pk, repository_id=repository_id, title=title, status=status, priority=priority,
                         impact=impact, effort=effort, paths=tuple(sorted(paths.get(pk, ()))))
            for pk, repository_id, title, status, priority, impact, effort in rows]


def debt_item_titles(*, item_ids: Iterable[int]) -> dict[int, str]:
    """The titles of the given items (missing ids are left out), keyed by item id; one query."""
    return dict(DebtItem.objects.filter(pk__in=list(item_ids)).values_list("pk", "title"))
