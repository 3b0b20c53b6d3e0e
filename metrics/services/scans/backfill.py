"""Backfill: queue scans of the default branch's past, one per period, for the trend charts."""
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from debtboard.errors import DebtboardError, InvalidInput
from metrics.choices import LIVE_SCAN_STATUSES
from metrics.conf import analysis_workers, git_timeout
from metrics.core.backfill import (
    InvalidBackfillSpec,
    backfill_dates,
    backfill_pick,
    first_parent_chain,
    parse_backfill_spec,
)
from metrics.core.block_memo import memo_block
from metrics.core.errors import CoreError
from metrics.core.shared_pool import shared_pool
from metrics.models import Repository, Scan
from metrics.services.analysis import analysis_config_for
from metrics.services.analysis_ahead import revisions_prepare
from metrics.services.repositories import (
    core_error_translate,
    repository_path,
    repository_revision_resolve,
    repository_sync,
)
from metrics.services.scans.dispatch import scan_backfill_enqueue
from metrics.services.scoring_history import history_preload

logger = logging.getLogger(__name__)


def scan_backfill(
    *, repository: Repository, spec: str = "weekly:52", requested_by: Any = None, enqueue: bool = True
) -> list[Scan]:
    """Create (and queue) backfill scans at the last default-branch commit before each past period.

    They are created, and run, oldest first: each past revision's scoring builds on the history of the
    one before (metrics.services.scoring_history.history_load), as a live scan builds on the last one.
    """
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
            for sha, committed_at in reversed(picks)
            if sha not in covered
        ]
    if enqueue and scans:
        scan_ids = [scan.pk for scan in scans]
        transaction.on_commit(lambda: scan_backfill_enqueue(scan_ids=scan_ids))
    return scans


def scan_backfill_prepare(*, scans: Sequence[Scan]) -> int:
    """Start (or run) the analysis of the backfill scans' files the cache lacks; return how many files that is.

    Run before the scans themselves, in order (metrics.services.analysis_ahead.revisions_prepare): within a
    `shared_pool` block the workers analyse the past revisions' changed files while the scans of the
    revisions before are scored, and each scan takes its own results; outside one, they are analysed
    at once on every core. Only a head start: when it fails, each scan analyses what is missing and
    records its own error.
    """
    if not scans:
        return 0
    repository = scans[0].repository
    try:
        started = revisions_prepare(repo_path=repository_path(repository=repository),
                                    commit_shas=[scan.commit_sha for scan in scans],
                                    config=analysis_config_for(repository=repository),
                                    workers=analysis_workers() or None)
        history_preload(scan=scans[0])  # while the workers analyse what the first scan waits for
        return started
    except DebtboardError as exc:
        logger.warning("Backfill of %s: analysing its revisions ahead failed (%s); each scan analyses its own files",
                       repository.name, exc)
        return 0


@contextmanager
def scan_backfill_running(*, scans: Sequence[Scan]) -> Iterator[int]:
    """The block to run backfill scans in: one analysis pool for all of them, on which their changed files
    are started first (`scan_backfill_prepare`); yields how many file versions that is. What the scans
    kept for each other in memory (metrics.core.block_memo) is let go when it ends: git's answers that
    cannot change meanwhile (a commit's files, whether the clone is shallow) and the scoring memos
    (metrics.services.scoring_memo)."""
    with shared_pool(), memo_block():
        yield scan_backfill_prepare(scans=scans)


def backfill_spec_parse(*, spec: str) -> tuple[str, int]:
    """Parse "weekly:N", "monthly:N" or "daily:N" into (unit, N); raise InvalidInput otherwise."""
    try:
        return parse_backfill_spec(spec)
    except InvalidBackfillSpec as exc:
        raise InvalidInput(str(exc), code="scan.invalid_backfill", extra={"spec": exc.spec}) from None
