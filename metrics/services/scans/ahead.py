"""A live scan's analysis, started before its mining so that both cores work while `git log` streams.

Mining keeps one core busy with `git log` working out each commit's changes, and this process part of
another (parsing and storing them); the snapshot's analysis does not depend on the history. Within
`analysis_ahead`, the scan's files that the cache lacks are listed and started on a shared pool
(metrics.core.shared_pool, whose workers run at a lower priority than this process) before mining begins;
the analysis stage then takes their results (`take_prefetched`) and analyses only what is left. The
block ends after the analysis stage: scoring has no use for the pool.

A backfill scan runs inside its backfill's block, which started its files already; a process that may
not start processes (a Celery prefork child) analyses in the analysis stage, as before. docs/scanning.md,
"Analysis beside mining".
"""
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from debtboard.errors import DebtboardError
from metrics.conf import analysis_workers
from metrics.core.block_memo import memo_block
from metrics.core.pool import can_start_processes
from metrics.core.shared_pool import shared_pool
from metrics.models import Scan
from metrics.services.analysis import analysis_config_for
from metrics.services.analysis_ahead import revisions_prepare

logger = logging.getLogger(__name__)


@contextmanager
def analysis_ahead(*, scan: Scan, repo_path: str) -> Iterator[None]:
    """The block to mine and analyse a live scan in: its uncached files start on the pool at once.

    Nothing starts for a backfill scan, or where processes cannot be started. Only a head start: when
    listing or reading the files fails, the analysis stage meets the same failure and records it.
    """
    if scan.is_backfill or not can_start_processes():
        yield
        return
    with shared_pool(), memo_block():
        _start(scan, repo_path)
        yield


def _start(scan: Scan, repo_path: str) -> None:
    try:
        revisions_prepare(repo_path=repo_path, commit_shas=[scan.commit_sha],
                          config=analysis_config_for(repository=scan.repository),
                          workers=analysis_workers() or None, warm=False)
    except DebtboardError as exc:
        logger.warning("Scan %s: starting its analysis before mining failed (%s); the analysis stage runs it",
                       scan.pk, exc)
