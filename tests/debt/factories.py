"""Rows of the metrics app built directly for debt tests: repositories, scans, scores, markers, history."""
import hashlib
import itertools
from datetime import datetime, timedelta, timezone

from django.contrib.auth import get_user_model

from metrics.models import (
    BlobAnalysis,
    Commit,
    FileChange,
    FileScore,
    FunctionAnalysis,
    Marker,
    Repository,
    Scan,
    SnapshotFile,
)

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
_counter = itertools.count(1)


def sha(seed: object) -> str:
    """A stable 40-hex commit or blob id from any seed."""
    return hashlib.sha1(str(seed).encode()).hexdigest()


def make_user(username: str = "ada"):
    return get_user_model().objects.create_user(username=username, password=None)  # no hashing: fast


def make_repository(name: str = "demo", *, path: str = "/nonexistent/demo", effort_unit: str = "hours",
                    config: dict | None = None) -> Repository:
    return Repository.objects.create(name=name, path=path, effort_unit=effort_unit, config=config or {})


def make_scan(repository: Repository, *, commit_sha: str | None = None, committed_at: datetime = T0,
              current: bool = True, backfill: bool = False) -> Scan:
    """A succeeded scan, made the repository's current one unless told otherwise."""
    scan = Scan.objects.create(
        repository=repository, revision="HEAD", commit_sha=commit_sha or sha(f"scan{next(_counter)}"),
        committed_at=committed_at, status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE, is_backfill=backfill,
        finished_at=committed_at,
    )
    if current:
        Repository.objects.filter(pk=repository.pk).update(current_scan=scan)
        repository.current_scan = scan
        repository.current_scan_id = scan.pk
    return scan


def make_file(scan: Scan, path: str, *, markers: list[tuple[str, int, str]] = (),
              functions: list[tuple[str, int]] = (), loc: int = 100) -> SnapshotFile:
    """A snapshot file with its blob analysis, debt markers (tag, line, text) and functions (qualname, complexity)."""
    blob = BlobAnalysis.objects.create(
        blob_sha=sha(f"blob{next(_counter)}"), fingerprint="test", loc=loc, sloc=loc,
        marker_count=len(markers), function_count=len(functions),
        max_complexity=max((c for _, c in functions), default=0),
    )
    Marker.objects.bulk_create([
        Marker(blob=blob, kind=Marker.Kind.DEBT, tag=tag, line=line, text=text) for tag, line, text in markers
    ])
    FunctionAnalysis.objects.bulk_create([
        FunctionAnalysis(blob=blob, kind="function", name=qualname.rsplit(".", 1)[-1], qualname=qualname,
                         lineno=10 * (index + 1), endline=10 * (index + 1) + 8, complexity=complexity,
                         rank="A" if complexity <= 5 else "C")
        for index, (qualname, complexity) in enumerate(functions)
    ])
    return SnapshotFile.objects.create(scan=scan, path=path, blob_sha=blob.blob_sha, analysis=blob)


def make_score(scan: Scan, path: str, *, window_days: int = 365, revisions: int = 0, authors: int = 0,
               health: float = 10.0, hotspot_score: float = 0.0, hotspot_rank: int = 0, loc: int = 100,
               is_knowledge_island: bool = False, main_author: str = "", ownership_share: float = 0.0) -> FileScore:
    return FileScore.objects.create(
        scan=scan, window_days=window_days, path=path, revisions=revisions, authors=authors, health=health,
        hotspot_score=hotspot_score, hotspot_rank=hotspot_rank, loc=loc, is_knowledge_island=is_knowledge_island,
        main_author=main_author, ownership_share=ownership_share,
    )


def make_scores(scan: Scan, path: str, **figures) -> None:
    """The same figures stored for every window the pipeline computes (90, 365 and all history)."""
    for window in (90, 365, 0):
        make_score(scan, path, window_days=window, **figures)


def make_commit(repository: Repository, *, when: datetime, author: str = "Ada Lovelace",
                email: str = "ada@example.com", subject: str = "change", changes: list[tuple] = (),
                excluded: bool = False, commit_sha: str | None = None) -> Commit:
    """A mined commit with file changes: ("M", path), ("A", path), ("D", path) or ("R", old_path, path)."""
    commit = Commit.objects.create(
        repository=repository, sha=commit_sha or sha(f"commit{next(_counter)}"), author_name=author,
        author_email=email, authored_at=when, subject=subject, files_changed=len(changes), is_excluded=excluded,
    )
    rows = []
    for change in changes:
        kind, *paths = change
        old_path, path = (paths[0], paths[1]) if kind == "R" else ("", paths[0])
        rows.append(FileChange(
            repository=repository, commit=commit, path=path, old_path=old_path, change_type=kind,
            added=3, deleted=1, authored_at=when,
        ))
    FileChange.objects.bulk_create(rows)
    return commit


def days(n: float) -> timedelta:
    return timedelta(days=n)
