"""Reads for running a backfill."""
from collections.abc import Sequence

from metrics.models import Scan


def backfill_scans(*, scan_ids: Sequence[int]) -> list[Scan]:
    """The scans of these ids that exist, in the order of the ids (the order a backfill runs them in)."""
    by_id = Scan.objects.select_related("repository").in_bulk(scan_ids)
    return [by_id[pk] for pk in scan_ids if pk in by_id]
