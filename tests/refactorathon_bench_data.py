"""Data shaping for bench/bench_refactorathons.py that no service offers: a finished event's frozen snapshot."""
from datetime import datetime, timezone

from sprints.data import FileFigures, RefactorathonSnapshot, ScanFigures
from sprints.models import Refactorathon

AT = datetime(2024, 3, 9, tzinfo=timezone.utc)


def _figures(index: int, *, after: bool) -> FileFigures:
    cleaned = after and index % 3 == 0  # every third file was cleaned at the event
    fixed = 1 if cleaned and index % 5 else 0
    return FileFigures(path=f"app/mod{index:04d}.py", complexity=10 + index % 17 - (5 if cleaned else 0),
                       max_function_complexity=4 + index % 9, violations=index % 5 - fixed,
                       markers=index % 2, cleanup_markers=0 if cleaned else index % 2,
                       health=round(60 + index % 40 + (3 if cleaned else 0), 2),
                       hotspot_score=round(index % 50 / 50, 3))


def bench_freeze_snapshot(*, slug: str, repository_id: int, files: int) -> None:
    """Freeze a before/after snapshot of `files` files into the event and mark it finished (as finishing would)."""
    scans = [ScanFigures(repository_id=repository_id, scan_id=scan_id, commit_sha=f"{scan_id:040d}", committed_at=AT,
                         files=tuple(_figures(i, after=scan_id == 2) for i in range(files)),
                         top_function_complexities=tuple(range(20, 10, -1)))
             for scan_id in (1, 2)]
    snapshot = RefactorathonSnapshot(taken_at=AT, before=(scans[0],), after=(scans[1],))
    Refactorathon.objects.filter(slug=slug).update(snapshot=snapshot.as_json(), status="finished")
