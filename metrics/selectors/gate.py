"""Reads of CI change checks: the verdicts CI asked for, newest first."""
from django.db.models import QuerySet

from metrics.models import ChangeCheck, Repository


def change_check_list(*, repository: Repository, status: str = "") -> QuerySet[ChangeCheck]:
    """A repository's change checks, newest first, optionally of one status (pass, cleaner, fail)."""
    queryset = ChangeCheck.objects.filter(repository=repository).select_related(
        "repository", "submitted_by", "baseline_scan"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")
