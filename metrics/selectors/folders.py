"""Reads of one folder at a scan: its figures, sub-folders and files, owners, authors, and its trend over scans."""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, BooleanField, Case, Count, F, Max, Sum, Value, When
from django.db.models.functions import StrIndex, Substr

from metrics.models import CodeOwner, FileAuthor, FileScore, Repository, Scan, SnapshotFile
from metrics.selectors.repositories import scan_trend

HOTTEST_FILES = 10
MAX_OWNERS = 10


@dataclass(frozen=True)
class FolderFigures:
    """Figures of the scored files at or below a folder (or of one of its direct entries)."""

    name: str  # the entry's own name ("cart.py", "payments"), "" for the folder itself
    path: str  # "src/shop/" for a folder, "src/shop/cart.py" for a file, "" for the repository root
    is_folder: bool
    files: int = 0
    loc: int = 0
    mean_health: float | None = None  # plain mean over files (a small file counts as much as a big one)
    hotspot_score_sum: float = 0.0
    max_hotspot_score: float = 0.0
    markers: int = 0
    violations: int = 0


@dataclass(frozen=True)
class FolderOwner:
    """A CODEOWNERS owner or a git author of the folder's files, with how much of the folder is theirs."""

    name: str
    files: int  # files CODEOWNERS gives them, or files they are the main author of
    added_lines: int = 0  # authors: lines added to the folder's files


@dataclass(frozen=True)
class FolderDetail:
    """A folder at a scan: its own figures, its direct entries (hottest first), its hottest files and owners."""

    figures: FolderFigures
    entries: tuple[FolderFigures, ...]
    hottest_files: tuple[FolderFigures, ...]
    code_owners: tuple[FolderOwner, ...]
    authors: tuple[FolderOwner, ...]
    unowned_files: int  # files no CODEOWNERS rule covers


@dataclass(frozen=True)
class FolderTrendPoint:
    """A folder's figures at one finished scan (None where that scan scored none of its files)."""

    scan_id: int
    committed_at: datetime
    commit_sha: str
    is_backfill: bool
    files: int
    loc: int
    markers: int
    mean_health: float | None
    hotspot_score_sum: float | None


def folder_prefix(path: str) -> str:
    """The prefix of a folder path as stored paths start with it: "src/shop" -> "src/shop/", "" or "/" -> ""."""
    path = path.strip("/")
    return f"{path}/" if path else ""


_ROW = ("path", "loc", "health", "hotspot_score", "markers", "violations")


class _Tally:
    """Sums over scored files, turned into FolderFigures at the end."""

    __slots__ = ("files", "loc", "health", "score", "max_score", "markers", "violations")

    def __init__(self) -> None:
        self.files = self.loc = self.markers = self.violations = 0
        self.health = self.score = self.max_score = 0.0

    def merge(self, other: "_Tally") -> None:
        self.files += other.files
        self.loc += other.loc
        self.health += other.health
        self.score += other.score
        self.max_score = max(self.max_score, other.max_score)
        self.markers += other.markers
        self.violations += other.violations

    def figures(self, name: str, path: str, is_folder: bool) -> FolderFigures:
        return FolderFigures(
            name=name, path=path, is_folder=is_folder, files=self.files, loc=self.loc,
            mean_health=round(self.health / self.files, 2) if self.files else None,
            hotspot_score_sum=round(self.score, 4), max_hotspot_score=round(self.max_score, 4),
            markers=self.markers, violations=self.violations,
        )


def _scored(scan: Scan, prefix: str, window_days: int):
    queryset = FileScore.objects.filter(scan=scan, window_days=window_days)
    return queryset.filter(path__startswith=prefix) if prefix else queryset


def _entries(scored, prefix: str) -> tuple[FolderFigures, tuple[FolderFigures, ...]]:
    """The folder's own figures, and its direct sub-folders and files, hottest (largest summed score) first.

    Grouped in the database by the first path segment below the folder: one row per entry, not per file.
    """
    rest = Substr("path", len(prefix) + 1)
    rows = (
        scored.annotate(slash=StrIndex(rest, Value("/")))
        .annotate(head=Case(When(slash__gt=0, then=Substr(rest, 1, F("slash") - 1)), default=rest),
                  is_folder=Case(When(slash__gt=0, then=Value(True)), default=Value(False),
                                 output_field=BooleanField()))
        .values("head", "is_folder")
        .annotate(files=Count("id"), loc=Sum("loc"), health=Sum("health"), score=Sum("hotspot_score"),
                  max_score=Max("hotspot_score"), markers=Sum("markers"), violations=Sum("violations"))
        .order_by()
    )
    total = _Tally()
    entries = []
    for row in rows:
        tally = _Tally()
        tally.files, tally.loc, tally.markers, tally.violations = row["files"], row["loc"], row["markers"], \
            row["violations"]
        tally.health, tally.score, tally.max_score = row["health"], row["score"], row["max_score"]
        total.merge(tally)
        name, is_folder = row["head"], bool(row["is_folder"])
        entries.append(tally.figures(name, f"{prefix}{name}/" if is_folder else f"{prefix}{name}", is_folder))
    entries.sort(key=lambda entry: (-entry.hotspot_score_sum, entry.path))
    return total.figures("", prefix, True), tuple(entries)


def _code_owners(scan: Scan, prefix: str, files: int) -> tuple[tuple[FolderOwner, ...], int]:
    queryset = CodeOwner.objects.filter(scan=scan)
    if prefix:
        queryset = queryset.filter(path__startswith=prefix)
    counts: Counter[str] = Counter()
    covered = 0
    for owners in queryset.values_list("owners", flat=True):
        if isinstance(owners, list) and owners:
            covered += 1
            counts.update({str(owner) for owner in owners})
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:MAX_OWNERS]
    return tuple(FolderOwner(name=name, files=count) for name, count in ranked), max(0, files - covered)


def _authors(scan: Scan, prefix: str, window_days: int) -> tuple[FolderOwner, ...]:
    queryset = FileAuthor.objects.filter(scan=scan)
    scores = FileScore.objects.filter(scan=scan, window_days=window_days).exclude(main_author="")
    if prefix:
        queryset = queryset.filter(path__startswith=prefix)
        scores = scores.filter(path__startswith=prefix)
    lines = queryset.values("author").annotate(lines=Sum("added_lines")).order_by("-lines", "author")
    main_of = dict(scores.values_list("main_author").annotate(files=Count("id")).order_by())
    return tuple(FolderOwner(name=row["author"], files=main_of.get(row["author"], 0), added_lines=row["lines"] or 0)
                 for row in lines[:MAX_OWNERS])


def folder_detail_get(*, scan: Scan, path: str, window_days: int) -> FolderDetail | None:
    """A folder's figures at a scan over a window, or None when no scored file lies under it.

    Five queries whatever the folder's size; files are summed per entry in the database.
    """
    prefix = folder_prefix(path)
    scored = _scored(scan, prefix, window_days)
    figures, entries = _entries(scored, prefix)
    if not figures.files:
        return None
    hottest = scored.order_by("-hotspot_score", "path").values_list(*_ROW)[:HOTTEST_FILES]
    owners, unowned = _code_owners(scan, prefix, figures.files)
    return FolderDetail(
        figures=figures,
        entries=entries,
        hottest_files=tuple(
            FolderFigures(name=row[0].rsplit("/", 1)[-1], path=row[0], is_folder=False, files=1, loc=row[1],
                          mean_health=row[2], hotspot_score_sum=row[3], max_hotspot_score=row[3], markers=row[4],
                          violations=row[5])
            for row in hottest
        ),
        code_owners=owners,
        unowned_files=unowned,
        authors=_authors(scan, prefix, window_days),
    )


def _per_scan(queryset, **aggregates) -> dict[int, dict]:
    """One aggregate row per scan of `queryset`, keyed by scan id."""
    return {row["scan_id"]: row for row in queryset.values("scan_id").annotate(**aggregates).order_by()}


def _rounded(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def folder_trend_list(*, repository: Repository, path: str, window_days: int) -> list[FolderTrendPoint]:
    """A folder across the repository's finished scans that hold per-file data, in commit-date order.

    Three queries whatever the scan count: files, lines (physical, as the folder's figures) and markers
    from each scan's snapshot; mean health and summed hotspot score from the scan's file scores over
    `window_days`; the scans.
    """
    prefix = folder_prefix(path)
    trend = scan_trend(repository=repository)
    snapshots = SnapshotFile.objects.filter(scan__in=trend, path__startswith=prefix)
    scores = FileScore.objects.filter(scan__in=trend, window_days=window_days, path__startswith=prefix)
    scored = _per_scan(scores, health=Avg("health"), score=Sum("hotspot_score"))
    analysed = _per_scan(snapshots, files=Count("id"), loc=Sum("analysis__loc"), markers=Sum("analysis__marker_count"))
    points = []
    for scan_id, committed_at, sha, is_backfill in trend.values_list("id", "committed_at", "commit_sha", "is_backfill"):
        if scan_id not in analysed and scan_id not in scored:
            continue
        files = analysed.get(scan_id, {})
        score = scored.get(scan_id, {})
        points.append(FolderTrendPoint(
            scan_id=scan_id, committed_at=committed_at, commit_sha=sha or "", is_backfill=is_backfill,
            files=files.get("files") or 0, loc=files.get("loc") or 0, markers=files.get("markers") or 0,
            mean_health=_rounded(score.get("health"), 2), hotspot_score_sum=_rounded(score.get("score"), 4),
        ))
    return points
