"""Reads over a scope (path prefixes) at one scan: per-file figures, top functions, authors, couplings, commits.

These serve planning and before/after reports: every read takes a scan id and prefixes and returns finished
values (frozen dataclasses, tuples), one or two queries whatever the scope's size.
"""
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from metrics.models import Commit, Coupling, FileAuthor, FileChange, FileScore, FunctionAnalysis, Marker, Scan
from metrics.models import SnapshotFile
from metrics.selectors.areas import path_in_prefixes
from metrics.selectors.repositories import repository_window_days

# Markers that count as "left to clean" for a refactorathon goal (TODO is a note, not debt to remove).
CLEANUP_MARKER_TAGS = ("FIXME", "HACK", "XXX")


@dataclass(frozen=True)
class ScanBrief:
    """A scan's identity: repository, commit and date, status, and whether it still has its detail rows."""

    scan_id: int
    repository_id: int
    commit_sha: str
    committed_at: datetime | None
    status: str
    is_backfill: bool
    has_details: bool


@dataclass(frozen=True)
class ScopeFileFigures:
    """One Python file at a scan: complexity, lint, markers (all debt markers and FIXME/HACK ones), scores."""

    path: str
    complexity: int
    max_function_complexity: int
    violations: int
    markers: int
    cleanup_markers: int
    health: float | None
    hotspot_score: float | None


@dataclass(frozen=True)
class AuthorShare:
    """One author's share of a file's added lines at a scan."""

    author: str
    email: str
    share: float


@dataclass(frozen=True)
class ScopeCommit:
    """A counted commit touching files in a scope, with the touched paths."""

    sha: str
    author: str
    author_email: str
    authored_at: datetime
    paths: tuple[str, ...]


def _prefix_condition(prefixes: Sequence[str], field: str = "path") -> Q:
    condition = Q()
    for prefix in prefixes:
        if not prefix:
            return Q()
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def scan_brief(*, scan_id: int) -> ScanBrief | None:
    """A scan's identity and whether its detail rows (snapshot files) still exist; None when no such scan."""
    row = Scan.objects.filter(pk=scan_id).values_list(
        "pk", "repository_id", "commit_sha", "committed_at", "status", "is_backfill").first()
    if row is None:
        return None
    has_details = SnapshotFile.objects.filter(scan_id=scan_id).exists()
    return ScanBrief(*row, has_details=has_details)


def _cleanup_counts(scan_id: int, prefixes: Sequence[str], tags: Sequence[str]) -> dict[str, int]:
    rows = (SnapshotFile.objects.filter(_prefix_condition(prefixes), scan_id=scan_id,
                                        analysis__markers__kind=Marker.Kind.DEBT,
                                        analysis__markers__tag__in=[tag.upper() for tag in tags])
            .values_list("path", flat=True))
    counts: dict[str, int] = defaultdict(int)
    for path in rows:
        counts[path] += 1
    return counts


def scope_file_figures(*, scan_id: int, prefixes: Sequence[str],
                       marker_tags: Sequence[str] = CLEANUP_MARKER_TAGS) -> list[ScopeFileFigures]:
    """The Python files of a scan under any prefix ("" is everything), by path; three queries.

    Complexity, violations and markers come from the snapshot's analysis; health and hotspot score from the
    scan's scores in the repository's default window (None when the file is not scored there).
    """
    scan = Scan.objects.select_related("repository").filter(pk=scan_id).first()
    if scan is None:
        return []
    window = repository_window_days(repository=scan.repository)
    scores = dict((path, (health, score)) for path, health, score in FileScore.objects.filter(
        _prefix_condition(prefixes), scan_id=scan_id, window_days=window).values_list("path", "health",
                                                                                      "hotspot_score"))
    cleanup = _cleanup_counts(scan_id, prefixes, marker_tags)
    rows = (SnapshotFile.objects.filter(_prefix_condition(prefixes), scan_id=scan_id)
            .order_by("path").values_list("path", "analysis__total_complexity", "analysis__max_complexity",
                                          "analysis__violation_count", "analysis__marker_count"))
    return [
        ScopeFileFigures(path=path, complexity=complexity or 0, max_function_complexity=top or 0,
                         violations=violations or 0, markers=markers or 0, cleanup_markers=cleanup.get(path, 0),
                         health=scores.get(path, (None, None))[0], hotspot_score=scores.get(path, (None, None))[1])
        for path, complexity, top, violations, markers in rows
    ]


def scope_top_function_complexities(*, scan_id: int, prefixes: Sequence[str], limit: int = 10) -> list[int]:
    """The complexities of the `limit` most complex functions and methods in scope at a scan, highest first."""
    return list(FunctionAnalysis.objects.filter(
        _prefix_condition(prefixes, "blob__snapshotfile_set__path"), blob__snapshotfile_set__scan_id=scan_id,
    ).exclude(kind="class").order_by("-complexity").values_list("complexity", flat=True)[:limit])


def file_author_shares(*, scan_id: int, paths: Iterable[str]) -> dict[str, tuple[AuthorShare, ...]]:
    """Each file's authors with their share of its added lines at a scan, largest first (one query)."""
    wanted = sorted(set(paths))
    shares: dict[str, list[AuthorShare]] = defaultdict(list)
    rows = (FileAuthor.objects.filter(scan_id=scan_id, path__in=wanted)
            .order_by("path", "-share", "author").values_list("path", "author", "email", "share"))
    for path, author, email, share in rows:
        shares[path].append(AuthorShare(author=author, email=email, share=share))
    return {path: tuple(found) for path, found in shares.items()}


def coupled_pairs(*, scan_id: int, paths: Iterable[str], min_degree: float) -> list[tuple[str, str, float]]:
    """Pairs of the given files change-coupled at or above `min_degree` at a scan (default window)."""
    wanted = sorted(set(paths))
    scan = Scan.objects.select_related("repository").filter(pk=scan_id).first()
    if scan is None or not wanted:
        return []
    window = repository_window_days(repository=scan.repository)
    return list(Coupling.objects.filter(scan_id=scan_id, window_days=window, degree__gte=min_degree,
                                        path_a__in=wanted, path_b__in=wanted)
                .order_by("-degree", "path_a", "path_b").values_list("path_a", "path_b", "degree"))


def scope_commit_list(*, repository_id: int, since: datetime, until: datetime,
                      prefixes: Sequence[str]) -> list[ScopeCommit]:
    """Counted commits authored at since <= at < until touching a file under the prefixes, oldest first."""
    rows = (FileChange.objects.filter(repository_id=repository_id, authored_at__gte=since, authored_at__lt=until,
                                      commit__is_excluded=False)
            .order_by("authored_at", "commit_id", "path")
            .values_list("commit_id", "path"))
    touched: dict[int, list[str]] = defaultdict(list)
    for commit_id, path in rows:
        if path_in_prefixes(path, prefixes):
            touched[commit_id].append(path)
    commits = Commit.objects.filter(pk__in=list(touched)).order_by("authored_at", "pk").values_list(
        "pk", "sha", "author_name", "author_email", "authored_at")
    return [ScopeCommit(sha=sha, author=name, author_email=email, authored_at=at, paths=tuple(touched[pk]))
            for pk, sha, name, email, at in commits]


def scan_latest_between(*, repository_id: int, after: datetime, until: datetime) -> ScanBrief | None:
    """The succeeded scan (with detail rows) of the newest commit dated after < at <= until, or None."""
    row = (Scan.objects.filter(repository_id=repository_id, status="succeeded", committed_at__gt=after,
                               committed_at__lte=until, files__isnull=False)
           .order_by("-committed_at", "-id").values_list("pk", flat=True).first())
    return scan_brief(scan_id=row) if row is not None else None
