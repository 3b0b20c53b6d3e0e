"""Does the hotspot score predict fixes? Rank files at a cut, count the fix commits after it, compare rankings.

Pure: metrics.services.evaluation runs git and the analyser, then hands the ranking only the history up
to the cut and the tree at the cut commit (`CutHistory` refuses an event dated after its cut), and hands
the fix counting only the commits after it. The ranking reuses the scan's own measures and scoring
(`measure_files`, `rank_status`, `score_hotspots`). docs/scoring.md "Does the score predict fixes?".
"""
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from metrics.core.errors import CoreError
from metrics.core.measures import measure_files
from metrics.core.records import ChangeEvent
from metrics.core.scoring import RANKED, HotspotInput, Minimums, rank_status, score_hotspots

# A commit is a fix when its subject line matches (case-insensitive): fix, fixes, fixed, fixing, bug(s),
# bugfix(es), hotfix(es), patch(es/ed) as whole words ("prefix", "debugger", "monkeypatch" do not match).
DEFAULT_FIX_PATTERN = r"\b(fix(e[sd]|ing)?|bugs?|bugfix(es)?|hotfix(es)?|patch(es|ed)?)\b"
TOP_FRACTION = 0.10
PRECISION_AT = (10, 20)
HOTSPOT = "hotspot"


class InvalidFixPattern(CoreError):
    """The fix pattern is not a valid regular expression."""


class HistoryLeak(CoreError):
    """An event dated after the cut reached the ranking: the evaluation would be looking at the future."""


def compile_fix_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a fix pattern (searched in commit subjects, case-insensitive); InvalidFixPattern if it is not one."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise InvalidFixPattern(f"The fix pattern {pattern[:200]!r} is not a regular expression: {exc}.") from None


@dataclass(frozen=True)
class CutHistory:
    """The change events the ranking may see: every one dated no later than `cut_at` (checked on creation).

    `events` come commit by commit, newest first, under each file's name at the cut commit, bot and
    mechanical commits already left out: what a scan of the cut commit measures.
    """

    cut_at: datetime
    events: tuple[ChangeEvent, ...]

    def __post_init__(self) -> None:
        late = next((event for event in self.events if event.authored_at > self.cut_at), None)
        if late is not None:
            raise HistoryLeak(f"commit {late.sha} is dated {late.authored_at.isoformat()}, after the cut "
                              f"{self.cut_at.isoformat()}")


@dataclass(frozen=True, slots=True)
class TreeFile:
    """A file of the tree at the cut commit with its static facts (zeros when its analysis failed)."""

    path: str
    complexity: int
    sloc: int
    file_class: str


@dataclass(frozen=True, slots=True)
class RankedFile:
    """A file as the scan at the cut ranks it, with the figures the baselines rank by."""

    path: str
    file_class: str
    hotspot_score: float
    hotspot_rank: int
    ranked: bool  # meets the hotspot minimums
    change_frequency: float  # recency-weighted revisions in the window
    revisions: int
    churn: int
    complexity: int
    sloc: int


def rank_at_cut(
    history: CutHistory, tree: Sequence[TreeFile], *, window_days: int, half_life_days: float, minimums: Minimums,
) -> list[RankedFile]:
    """Rank the tree's files as a scan of the cut commit does (same measures, minimums and score); hottest first."""
    measures = measure_files(history.events, reference=history.cut_at, half_life_days=half_life_days,
                             windows=(window_days,), paths=[item.path for item in tree])[window_days]
    statuses = {
        item.path: rank_status(revisions=measures[item.path].revisions, complexity=item.complexity,
                               sloc=item.sloc, minimums=minimums)
        for item in tree
    }
    scores = score_hotspots([
        HotspotInput(path=item.path, change_frequency=measures[item.path].change_frequency,
                     complexity=item.complexity, sloc=item.sloc, ranked=statuses[item.path] == RANKED)
        for item in tree
    ])
    files = [
        RankedFile(path=item.path, file_class=item.file_class, hotspot_score=scores[item.path].score,
                   hotspot_rank=scores[item.path].rank, ranked=statuses[item.path] == RANKED,
                   change_frequency=round(measures[item.path].change_frequency, 4),
                   revisions=measures[item.path].revisions, churn=measures[item.path].churn,
                   complexity=item.complexity, sloc=item.sloc)
        for item in tree
    ]
    return sorted(files, key=lambda item: item.hotspot_rank)


@dataclass(frozen=True, slots=True)
class LaterCommit:
    """A commit after the cut: when it landed (committer date), its subject, and (path, old path) per change."""

    sha: str
    committed_at: datetime
    subject: str
    is_merge: bool
    excluded: bool  # a bot's or a mechanical commit (as the scan's measures leave out)
    changes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FixCount:
    """Fix commits in the horizon and how many touched each file (under its name at the cut)."""

    touches: dict[str, int]  # files of `paths` only
    fix_commits: int
    outside: int  # fix touches of files not among `paths` (new since the cut, or another class)
    merges_skipped: int
    excluded_skipped: int


class _Origins:
    """Names at the cut of files renamed since; feed it commits oldest first."""

    def __init__(self) -> None:
        self.origin: dict[str, str] = {}

    def follow(self, changes: Sequence[tuple[str, str]]) -> list[str]:
        """The cut-time name of each (path, old path) change of one commit; then record its renames."""
        names = [self.origin.get(old or path, old or path) for path, old in changes]
        for (path, old), name in zip(changes, names):  # resolved first, so a swap (a -> b, b -> a) works
            if old and old != path:
                self.origin[path] = name
        return names


def count_fix_touches(
    commits: Iterable[LaterCommit], *, pattern: re.Pattern[str], after: datetime, until: datetime,
    paths: Iterable[str],
) -> FixCount:
    """Count, per file, the fix commits landed in (after, until]; `commits` oldest first, renames followed.

    Merges are skipped (their changes are their branch's commits, counted on their own), and so are bot
    and mechanical commits. A commit touching a file several times counts once for it.
    """
    wanted = set(paths)
    origins = _Origins()
    touches: dict[str, int] = {}
    fixes = outside = merges = excluded = 0
    for commit in commits:
        if commit.is_merge:
            merges += _is_fix(commit, pattern, after, until)
            continue
        names = set(origins.follow(commit.changes))
        if not _is_fix(commit, pattern, after, until):
            continue
        if commit.excluded:
            excluded += 1
            continue
        fixes += 1
        for name in names:
            if name in wanted:
                touches[name] = touches.get(name, 0) + 1
            else:
                outside += 1
    return FixCount(touches=touches, fix_commits=fixes, outside=outside, merges_skipped=merges,
                    excluded_skipped=excluded)


def _is_fix(commit: LaterCommit, pattern: re.Pattern[str], after: datetime, until: datetime) -> bool:
    return after < commit.committed_at <= until and pattern.search(commit.subject) is not None


def average_ranks(values: Sequence[Any]) -> list[float]:
    """Ranks from 1 (smallest) to n; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: Sequence[Any], ys: Sequence[Any]) -> float | None:
    """Spearman's rank correlation (Pearson's r of average ranks); None when either side has no spread."""
    if len(xs) != len(ys):
        raise ValueError("spearman needs two sequences of the same length")
    if len(xs) < 2:
        return None
    rx, ry = average_ranks(xs), average_ranks(ys)
    mean = (len(xs) + 1) / 2  # the mean of average ranks is always (n + 1) / 2
    cov = sum((a - mean) * (b - mean) for a, b in zip(rx, ry))
    var_x = sum((a - mean) ** 2 for a in rx)
    var_y = sum((b - mean) ** 2 for b in ry)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


def top_share(order: Sequence[str], touches: Mapping[str, int], *, fraction: float = TOP_FRACTION) -> float | None:
    """The share of all fix touches that fall in the first `fraction` of `order` (at least one file)."""
    total = sum(touches.get(path, 0) for path in order)
    if not order or total == 0:
        return None
    top = max(1, math.ceil(len(order) * fraction))
    return sum(touches.get(path, 0) for path in order[:top]) / total


def precision_at(order: Sequence[str], touches: Mapping[str, int], k: int) -> float | None:
    """The share of the first k files (or all, when fewer) that got at least one fix."""
    head = order[:k]
    if not head:
        return None
    return sum(1 for path in head if touches.get(path, 0) > 0) / len(head)


@dataclass(frozen=True, slots=True)
class RankingQuality:
    """How well one ranking foresaw the fixes."""

    ranking: str
    top_share: float | None  # share of fix touches in the top 10 % of files
    precision: dict[int, float | None]  # k -> precision at k
    spearman: float | None  # ranking key vs fix touches, over every file


# The simple baselines: one figure each, higher ranks first (ties by path).
BASELINES: dict[str, Callable[[RankedFile], int]] = {
    "churn": lambda item: item.churn,
    "complexity": lambda item: item.complexity,
    "size": lambda item: item.sloc,
    "revisions": lambda item: item.revisions,
}


def ranking_quality(
    name: str, order: Sequence[str], keys: Mapping[str, Any], touches: Mapping[str, int],
    *, ks: Sequence[int] = PRECISION_AT, fraction: float = TOP_FRACTION,
) -> RankingQuality:
    """Score one ranking: `order` is its list (hottest first); `keys` its per-file value (ties kept) for Spearman."""
    return RankingQuality(
        ranking=name,
        top_share=top_share(order, touches, fraction=fraction),
        precision={k: precision_at(order, touches, k) for k in ks},
        spearman=spearman([keys[path] for path in order], [touches.get(path, 0) for path in order]),
    )


def compare_rankings(files: Sequence[RankedFile], touches: Mapping[str, int]) -> list[RankingQuality]:
    """The hotspot ranking (as shown: files meeting the minimums first, by score) and each baseline."""
    hotspot_order = [item.path for item in sorted(files, key=lambda item: item.hotspot_rank)]
    hotspot_keys = {item.path: (item.ranked, item.hotspot_score) for item in files}
    results = [ranking_quality(HOTSPOT, hotspot_order, hotspot_keys, touches)]
    for name, figure in BASELINES.items():
        order = [item.path for item in sorted(files, key=lambda item: (-figure(item), item.path))]
        results.append(ranking_quality(name, order, {item.path: figure(item) for item in files}, touches))
    return results


@dataclass(frozen=True)
class Evaluation:
    """One evaluation: the cut, the horizon, the population, the fixes and each ranking's quality."""

    at: datetime
    horizon_days: int
    window_days: int
    cut_sha: str
    cut_at: datetime
    until: datetime
    complete: bool  # the repository's history reaches the end of the horizon
    fix_pattern: str
    classes: tuple[str, ...]  # file classes in the population (empty: every class)
    fix_commits: int
    outside_touches: int
    merges_skipped: int
    excluded_skipped: int  # fix commits left out as a bot's or mechanical
    rankings: tuple[RankingQuality, ...]
    files: tuple[tuple[RankedFile, int], ...] = field(default=())  # the hotspot ranking with each file's fix touches

    @property
    def files_fixed(self) -> int:
        """Files of the population that got at least one fix."""
        return sum(1 for _item, touches in self.files if touches)

    @property
    def fix_touches(self) -> int:
        """Fix touches of the population's files."""
        return sum(touches for _item, touches in self.files)

    def as_json(self) -> dict[str, Any]:
        """The evaluation as JSON-ready data (dates in ISO 8601, precision keyed "10", "20")."""
        data = {key: value for key, value in asdict(self).items() if key not in ("rankings", "files")}
        for key in ("at", "cut_at", "until"):
            data[key] = data[key].isoformat()
        data["classes"] = list(self.classes)
        data["files_fixed"], data["fix_touches"] = self.files_fixed, self.fix_touches
        data["rankings"] = [
            {**asdict(item), "precision": {str(k): v for k, v in item.precision.items()}} for item in self.rankings
        ]
        data["files"] = [{**asdict(item), "fix_touches": touches} for item, touches in self.files]
        return data


def evaluation_result(*, files: Sequence[RankedFile], fixes: FixCount, **facts: Any) -> Evaluation:
    """Assemble an Evaluation of `files` (the population, hottest first) against `fixes`."""
    touches = fixes.touches
    return Evaluation(
        **facts, fix_commits=fixes.fix_commits, outside_touches=fixes.outside, merges_skipped=fixes.merges_skipped,
        excluded_skipped=fixes.excluded_skipped, rankings=tuple(compare_rankings(files, touches)),
        files=tuple((item, touches.get(item.path, 0)) for item in files),
    )
