"""Reads of the proposals inbox: discovered debt waiting for a person to accept or dismiss it."""
from django.db.models import QuerySet

from debt.choices import Status
from debt.models import DebtItem
from debt.selectors.items import debt_item_list


def debt_proposal_list(
    *, repository=None, repositories=None, source: str | None = None, ordering: str = "-priority"
) -> QuerySet[DebtItem]:
    """Discovered proposals waiting for a person to accept or dismiss them (of `repositories` only, if given)."""
    return debt_item_list(repository=repository, repositories=repositories, status=Status.PROPOSED, source=source,
                          ordering=ordering)
