"""Change coupling between files (code-maat's logical coupling): how often two files change together."""
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import chain, combinations


@dataclass(frozen=True, slots=True)
class CouplingPair:
    """Two files (path_a < path_b) that changed together, with code-maat's degree of coupling (0..1)."""

    path_a: str
    path_b: str
    shared_revisions: int
    revisions_a: int
    revisions_b: int
    degree: float

    @property
    def average_revisions(self) -> float:
        return (self.revisions_a + self.revisions_b) / 2


def couple_files(
    changesets: Iterable[Collection[str]],
    *,
    paths: Collection[str] | None = None,
    min_revisions: int = 5,
    min_shared: int = 5,
    min_degree: float = 0.3,
    max_files_per_commit: int = 30,
) -> list[CouplingPair]:
    """Return the coupled pairs of files, strongest first, following code-maat.

    Each changeset is the set of files (current names) one commit changed. Changesets with more than
    `max_files_per_commit` files are skipped entirely, also for counting revisions (code-maat's
    max-changeset-size). degree = shared revisions / average(revisions of the two files); a pair is kept
    when that average is at least `min_revisions`, the shared revisions at least `min_shared` and the
    degree at least `min_degree`. When `paths` is given only pairs of those files are reported (the
    changeset size still counts every file the commit touched).
    """
    kept = _kept_changesets(changesets, None if paths is None else set(paths), max_files_per_commit)
    # One Counter over a stream each: counting in C instead of an update() call per commit.
    revisions: Counter[str] = Counter(chain.from_iterable(kept))
    shared: Counter[tuple[str, str]] = Counter(
        chain.from_iterable(combinations(files, 2) for files in kept if len(files) > 1)
    )
    pairs = []
    for (path_a, path_b), together in shared.items():
        if together < min_shared:
            continue
        revisions_a, revisions_b = revisions[path_a], revisions[path_b]
        average = (revisions_a + revisions_b) / 2
        degree = together / average
        if average >= min_revisions and degree >= min_degree:
            pairs.append(CouplingPair(path_a, path_b, together, revisions_a, revisions_b, degree))
    pairs.sort(key=lambda pair: (-pair.degree, -pair.shared_revisions, pair.path_a, pair.path_b))
    return pairs


def _kept_changesets(
    changesets: Iterable[Collection[str]], wanted: set[str] | None, max_files_per_commit: int
) -> list[list[str]]:
    """The changesets that count, sorted, narrowed to `wanted` (after the size check), empty ones dropped."""
    kept = []
    for changeset in changesets:
        files = set(changeset)
        if len(files) > max_files_per_commit:
            continue
        if wanted is not None:
            files &= wanted
        if files:
            kept.append(sorted(files))
    return kept


def coupling_sums(pairs: Iterable[CouplingPair]) -> dict[str, float]:
    """Return each file's sum of coupling degrees over the pairs it is part of."""
    sums: dict[str, float] = {}
    for pair in pairs:
        sums[pair.path_a] = sums.get(pair.path_a, 0.0) + pair.degree
        sums[pair.path_b] = sums.get(pair.path_b, 0.0) + pair.degree
    return sums


def top_coupled(pairs: Iterable[CouplingPair], path: str, *, limit: int = 5) -> list[tuple[str, CouplingPair]]:
    """Return the files most strongly coupled to `path` with their pair, strongest first."""
    partners = [
        (pair.path_b if pair.path_a == path else pair.path_a, pair)
        for pair in pairs
        if path in (pair.path_a, pair.path_b)
    ]
    partners.sort(key=lambda item: (-item[1].degree, -item[1].shared_revisions, item[0]))
    return partners[:limit]
