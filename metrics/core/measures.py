"""Per-file change measures over time windows: revisions, churn, recency-weighted frequency, authors, age."""
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from metrics.core.ownership import author_shares, fragmentation
from metrics.core.records import ChangeEvent, FileMeasures

WINDOWS: tuple[int, ...] = (90, 365, 0)  # days; 0 is all history
SECONDS_PER_DAY = 86400.0


def age_in_days(reference: datetime, moment: datetime) -> float:
    """Days from `moment` back to `reference` (never negative)."""
    return max(0.0, (reference - moment).total_seconds() / SECONDS_PER_DAY)


def decay_weight(age_days: float, half_life_days: float) -> float:
    """Weight of a change `age_days` old: 0.5 ** (age / half-life); 1 when the half-life is 0 (no decay)."""
    if half_life_days <= 0:
        return 1.0
    return 0.5 ** (age_days / half_life_days)


def in_window(age_days: float, window_days: int) -> bool:
    """Tell whether a change `age_days` old falls in a window of `window_days` (0: all history)."""
    return window_days == 0 or age_days <= window_days


class _Accumulator:
    __slots__ = ("last_sha", "revisions", "added", "deleted", "frequency", "author_commits", "author_added")

    def __init__(self) -> None:
        self.last_sha = ""
        self.revisions = 0
        self.added = 0
        self.deleted = 0
        self.frequency = 0.0
        self.author_commits: dict[str, int] = {}
        self.author_added: dict[str, int] = {}

    def add(self, sha: str, author: str, added: int, deleted: int, weight: float) -> None:
        """Count one change; a commit's first change of the path is its revision (and its weight)."""
        if self.last_sha != sha:
            self.last_sha = sha
            self.revisions += 1
            self.frequency += weight
            self.author_commits[author] = self.author_commits.get(author, 0) + 1
        self.added += added
        self.deleted += deleted
        self.author_added[author] = self.author_added.get(author, 0) + added


def _note_moment(
    path: str, moment: datetime, first_seen: dict[str, datetime], last_changed: dict[str, datetime]
) -> None:
    """Widen `path`'s first-seen / last-changed span to include `moment`."""
    first = first_seen.get(path)
    if first is None:
        first_seen[path] = last_changed[path] = moment
    elif moment < first:
        first_seen[path] = moment
    elif moment > last_changed[path]:
        last_changed[path] = moment


def measure_files(
    events: Iterable[ChangeEvent],
    *,
    reference: datetime,
    half_life_days: float,
    windows: Sequence[int] = WINDOWS,
    paths: Collection[str] = (),
) -> dict[int, dict[str, FileMeasures]]:
    """Compute each file's measures per window, as of `reference` (the scanned commit's date).

    `events` carry the file's name at the scanned revision and come commit by commit (a commit's events
    together, as a history yields them); several changes of one path in one commit count as one revision.
    First seen, last changed and age always come from all the events given, so a file unchanged in the
    last 90 days still shows when it last changed. Every window has an entry for every file seen in any
    event and every file listed in `paths` (empty when nothing changed).
    """
    accumulators: dict[int, dict[str, _Accumulator]] = {window: {} for window in windows}
    first_seen: dict[str, datetime] = {}
    last_changed: dict[str, datetime] = {}
    current_sha: str | None = None
    weight = 0.0
    active: list[dict[str, _Accumulator]] = []
    for sha, path, author, moment, added, deleted in events:
        if sha != current_sha:  # the age, weight and windows of a commit are worked out once
            current_sha = sha
            age = age_in_days(reference, moment)
            weight = decay_weight(age, half_life_days)
            active = [by_path for window, by_path in accumulators.items() if in_window(age, window)]
        for by_path in active:
            accumulator = by_path.get(path)
            if accumulator is None:
                accumulator = by_path[path] = _Accumulator()
            accumulator.add(sha, author, added, deleted, weight)
        _note_moment(path, moment, first_seen, last_changed)
    result: dict[int, dict[str, FileMeasures]] = {}
    everything = set(first_seen) | set(paths)
    for window, by_path in accumulators.items():
        result[window] = {
            path: _finish(path, by_path.get(path), first_seen.get(path), last_changed.get(path), reference)
            for path in everything
        }
    return result


def _finish(
    path: str, accumulator: _Accumulator | None, first: datetime | None, last: datetime | None, reference: datetime
) -> FileMeasures:
    measures = FileMeasures(
        path=path, first_seen=first, last_changed=last,
        age_days=None if last is None else int(age_in_days(reference, last)),
    )
    if accumulator is None:
        return measures
    commits = accumulator.author_commits
    shares = author_shares(commits, accumulator.author_added)
    measures.revisions = accumulator.revisions
    measures.added = accumulator.added
    measures.deleted = accumulator.deleted
    measures.change_frequency = accumulator.frequency
    measures.authors = len(commits)
    measures.main_author = shares[0].author if shares else ""
    measures.ownership_share = shares[0].share if shares else 0.0
    measures.fragmentation = fragmentation(commits)
    measures.author_commits = commits
    measures.author_added = accumulator.author_added
    measures.shares = shares
    return measures
