"""Backfill: queue scans of the default branch's past, one per period, for the trend charts."""
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from debtboard.errors import InvalidInput
from metrics.choices import LIVE_SCAN_STATUSES
from metrics.conf import git_timeout
from metrics.core.backfill import (
    InvalidBackfillSpec,
    backfill_dates,
    backfill_pick,
    first_parent_chain,
    parse_backfill_spec,
)
from metrics.core.errors import CoreError
from metrics.models import Repository, Scan
from metrics.services.repositories import (
    core_error_translate,
    repository_revision_resolve,
    repository_sync,
)
from metrics.services.scans.dispatch import scan_backfill_enqueue


def scan_backfill(
    *, repository: Repository, spec: str = "weekly:52", requested_by: Any = None, enqueue: bool = True
) -> list[Scan]:
    """Create (and queue) backfill scans at the last default-branch commit before each past period."""
    unit, count = backfill_spec_parse(spec=spec)
    repo_path = repository_sync(repository=repository)
    tip = repository_revision_resolve(repository=repository, revision=repository.default_revision,
                                      repo_path=repo_path)
    dates = backfill_dates(unit, count, until=tip.committed_at)
    try:
        chain = first_parent_chain(repo_path, tip.sha, timeout=git_timeout())
    except CoreError as exc:
        raise core_error_translate(exc) from exc
    picks = backfill_pick(chain, dates)
    covered = set(
        Scan.objects.filter(repository=repository, commit_sha__in=[sha for sha, _ in picks])
        .filter(Q(status=Scan.Status.SUCCEEDED) | Q(status__in=LIVE_SCAN_STATUSES, is_backfill=True))
        .values_list("commit_sha", flat=True)
    )
    now = timezone.now()
    with transaction.atomic():
        scans = [
            Scan.objects.create(
                repository=repository, revision=sha, commit_sha=sha, committed_at=committed_at, is_backfill=True,
                requested_by=requested_by, status=Scan.Status.QUEUED, stage=Scan.Stage.QUEUED, heartbeat_at=now,
            )
            for sha, committed_at in picks
            if sha not in covered
        ]
    if enqueue and scans:
        scan_ids = [scan.pk for scan in scans]
        transaction.on_commit(lambda: scan_backfill_enqueue(scan_ids=scan_ids))
    return scans


def backfill_spec_parse(*, spec: str) -> tuple[str, int]:
    """Parse "weekly:N", "monthly:N" or "daily:N" into (unit, N); raise InvalidInput otherwise."""
    try:
        return parse_backfill_spec(spec)
    except InvalidBackfillSpec as exc:
        raise InvalidInput(str(exc), code="scan.invalid_backfill", extra={"spec": exc.spec}) from None
