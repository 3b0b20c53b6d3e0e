"""Scans at a date: the default branch's last commit at or before a moment, scanned once and kept.

A dated scan is stored like a backfill scan (`is_backfill=True`): it never becomes the repository's current
scan, and retention (`retention.py`) never prunes its detail rows, so reports comparing two moments (a
refactorathon's before and after) can read them for as long as they exist.
"""
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from metrics.conf import git_timeout
from metrics.core.backfill import backfill_pick, first_parent_chain
from metrics.core.errors import CoreError
from metrics.models import Repository, Scan
from metrics.services.repositories import core_error_translate, repository_revision_resolve, repository_sync
from metrics.services.scans.runs import scan_run


def commit_at_date(*, repository: Repository, at: datetime) -> tuple[str, datetime] | None:
    """The default branch's last first-parent commit dated at or before `at`, or None when none is that old."""
    repo_path = repository_sync(repository=repository)
    tip = repository_revision_resolve(repository=repository, revision=repository.default_revision,
                                      repo_path=repo_path)
    try:
        chain = first_parent_chain(repo_path, tip.sha, timeout=git_timeout())
    except CoreError as exc:
        raise core_error_translate(exc) from exc
    picks = backfill_pick(chain, [at])
    return picks[0] if picks else None


def scan_at_date(*, repository: Repository, at: datetime, requested_by: Any = None, run: bool = True) -> Scan | None:
    """The succeeded scan of the commit at `at` (see commit_at_date), creating and running one if none exists.

    Returns None when the repository has no commit that old. With `run=False` a new scan is only queued
    (the caller runs it); an existing succeeded scan of that commit (live or dated) is reused as it is.
    """
    picked = commit_at_date(repository=repository, at=at)
    if picked is None:
        return None
    sha, committed_at = picked
    existing = (Scan.objects.filter(repository=repository, commit_sha=sha, status=Scan.Status.SUCCEEDED,
                                    files__isnull=False)
                .order_by("-is_backfill", "-id").first())
    if existing is not None:
        return existing
    with transaction.atomic():
        scan = Scan.objects.create(
            repository=repository, revision=sha, commit_sha=sha, committed_at=committed_at, is_backfill=True,
            requested_by=requested_by, status=Scan.Status.QUEUED, stage=Scan.Stage.QUEUED,
            heartbeat_at=timezone.now(),
        )
    return scan_run(scan_id=scan.pk) if run else scan
