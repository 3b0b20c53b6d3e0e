"""Figures for /metrics and /healthz: scans by status, the queue, stage durations, the analysis cache, workers."""
import math

from django.db.models import Count, Min
from django.utils import timezone

from metrics.choices import ScanStatus
from metrics.data import ScanQueueFigures, StageDurations, WorkerHeartbeatInfo
from metrics.models import Scan, WorkerHeartbeat

# Upper bounds (seconds) of the stage-duration histogram: from a cached rescan to a large first scan.
STAGE_BUCKETS: tuple[float, ...] = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, math.inf)
STAGES: tuple[str, ...] = ("fetching", "mining", "analysis", "scoring", "total")
# The analysis cache's recent hit ratio is taken over this many newest succeeded scans.
RECENT = 100


def worker_heartbeat_list() -> list[WorkerHeartbeatInfo]:
    """Every worker that reported, freshest first, with the age of its last heartbeat."""
    now = timezone.now()
    return [
        WorkerHeartbeatInfo(worker_id=row.worker_id, kind=row.kind, hostname=row.hostname, pid=row.pid,
                            seen_at=row.seen_at, age_seconds=max(0.0, (now - row.seen_at).total_seconds()))
        for row in WorkerHeartbeat.objects.order_by("-seen_at")
    ]


def scan_queue_figures() -> ScanQueueFigures:
    """Scans by status, the queue's depth and oldest entry, stage durations and the analysis cache's figures."""
    by_status = {status: 0 for status in ScanStatus.values}
    for row in Scan.objects.order_by().values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    oldest = Scan.objects.filter(status=ScanStatus.QUEUED).aggregate(oldest=Min("created_at"))["oldest"]
    rows = list(Scan.objects.filter(status=ScanStatus.SUCCEEDED).order_by("-finished_at", "-id")
                .values_list("counts__seconds", "counts__analysis"))
    cached = [_int(analysis, "cached") for _, analysis in rows]
    analysed = [_int(analysis, "analysed") for _, analysis in rows]
    recent = sum(cached[:RECENT]) + sum(analysed[:RECENT])
    return ScanQueueFigures(
        by_status=by_status, queued=by_status[ScanStatus.QUEUED],
        oldest_queued_age_seconds=max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0,
        stage_durations=tuple(_durations(stage, [seconds for seconds, _ in rows]) for stage in STAGES),
        blobs_cached=sum(cached), blobs_analysed=sum(analysed),
        recent_cache_hit_ratio=sum(cached[:RECENT]) / recent if recent else None,
    )


def _durations(stage: str, seconds_rows: list) -> StageDurations:
    values = [float(row[stage]) for row in seconds_rows if isinstance(row, dict) and _number(row.get(stage))]
    buckets = tuple((bound, sum(1 for value in values if value <= bound)) for bound in STAGE_BUCKETS)
    return StageDurations(stage=stage, buckets=buckets, total_seconds=sum(values), count=len(values))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _int(analysis: object, key: str) -> int:
    value = analysis.get(key) if isinstance(analysis, dict) else None
    return int(value) if _number(value) else 0
