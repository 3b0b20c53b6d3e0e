"""Scan retention: which scans keep their detail rows, and deleting the detail rows of the others."""
import logging

from django.db.models import Exists, OuterRef, Q

from metrics.choices import ENDED_WITHOUT_RESULTS
from metrics.models import CodeOwner, Coupling, FileAuthor, FileScore, FunctionScore, Repository, Scan, SnapshotFile

logger = logging.getLogger(__name__)

# Detail rows (scores, couplings, authors, owners, snapshot files) are kept for the current scan and the
# newest successful live scans up to this many; older live scans keep their summary only.
KEEP_DETAILED_SCANS = 3
DETAIL_MODELS = (FileScore, FunctionScore, Coupling, FileAuthor, CodeOwner, SnapshotFile)


def scan_details_delete(*, scan_ids: list[int]) -> None:
    """Delete the detail rows (scores, couplings, authors, owners, snapshot files) of the given scans."""
    for model in DETAIL_MODELS:
        model.objects.filter(scan_id__in=scan_ids).delete()


def scan_retention_apply(*, repository: Repository) -> list[int]:
    """Drop detail rows of superseded live scans beyond the newest KEEP_DETAILED_SCANS and of failed scans."""
    current_id = Repository.objects.filter(pk=repository.pk).values_list("current_scan_id", flat=True).first()
    keep = list(
        Scan.objects.filter(repository=repository, is_backfill=False, status=Scan.Status.SUCCEEDED)
        .order_by("-finished_at", "-id").values_list("id", flat=True)[:KEEP_DETAILED_SCANS]
    )
    superseded = Scan.objects.filter(repository=repository).filter(
        Q(is_backfill=False, status=Scan.Status.SUCCEEDED) | Q(status__in=ENDED_WITHOUT_RESULTS)
    ).exclude(id__in=[*keep, current_id or 0])
    has_details = Exists(FileScore.objects.filter(scan=OuterRef("pk"))) | Exists(
        SnapshotFile.objects.filter(scan=OuterRef("pk"))
    )
    ids = list(superseded.filter(has_details).values_list("id", flat=True))
    if ids:
        scan_details_delete(scan_ids=ids)
        logger.info("Pruned detail rows of %d superseded scan(s) of %s", len(ids), repository.name)
    return ids
