"""A scan's progress as people read it: stage, done/total, elapsed, and an estimate from the previous scan."""
from dataclasses import dataclass

from django.utils import timezone

from metrics.choices import ScanStage, ScanStatus
from metrics.data import ScanCounts
from metrics.models import Scan

# The timed stages, in order (ScanCounts.seconds keys).
TIMED_STAGES: tuple[str, ...] = (ScanStage.FETCHING, ScanStage.MINING, ScanStage.ANALYSIS, ScanStage.SCORING)


@dataclass(frozen=True)
class ScanProgressReport:
    """Where a scan is: stage, items done of total, seconds since it started, seconds it likely still needs."""

    stage: str
    done: int
    total: int
    elapsed_seconds: float | None
    estimate_seconds: float | None

    def as_json(self) -> dict[str, object]:
        """The API's `progress` object."""
        return {"stage": self.stage, "done": self.done, "total": self.total,
                "elapsed_seconds": self.elapsed_seconds, "estimate_seconds": self.estimate_seconds}


def scan_progress_report(*, scan: Scan) -> ScanProgressReport:
    """Report a scan's progress; a live scan's estimate comes from the previous scan's stage times."""
    started, ended = scan.started_at, scan.finished_at
    elapsed = None
    if started is not None:
        elapsed = round(((ended or timezone.now()) - started).total_seconds(), 1)
    estimate = _remaining_seconds(scan) if scan.status in (ScanStatus.QUEUED, ScanStatus.RUNNING) else None
    return ScanProgressReport(stage=scan.stage, done=scan.progress_done, total=scan.progress_total,
                              elapsed_seconds=elapsed, estimate_seconds=estimate)


def _previous_seconds(scan: Scan) -> dict[str, float]:
    """Stage times of the repository's newest succeeded scan before this one (one query)."""
    counts = (
        Scan.objects.filter(repository_id=scan.repository_id, status=ScanStatus.SUCCEEDED, pk__lt=scan.pk)
        .order_by("-pk").values_list("counts", flat=True).first()
    )
    return dict(ScanCounts.from_json(counts).seconds) if counts else {}


def _remaining_seconds(scan: Scan) -> float | None:
    """The previous scan's time for the rest of this stage (by done/total) and for the stages after it."""
    seconds = _previous_seconds(scan)
    if not seconds:
        return None
    if scan.stage not in TIMED_STAGES:  # queued: the whole previous scan
        return round(sum(seconds.get(stage, 0.0) for stage in TIMED_STAGES), 1)
    index = TIMED_STAGES.index(scan.stage)
    left = 1.0 - (min(scan.progress_done, scan.progress_total) / scan.progress_total if scan.progress_total else 0.0)
    remaining = seconds.get(scan.stage, 0.0) * left + sum(seconds.get(s, 0.0) for s in TIMED_STAGES[index + 1:])
    return round(remaining, 1)
