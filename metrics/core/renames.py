"""Following files through renames: every historical path is mapped to its name at the scanned revision."""
from collections.abc import Iterable, Iterator, Sequence

from metrics.core.records import CommitRecord


class RenameTracker:
    """Map historical paths to their names at the scanned revision; feed it commits newest first.

    A rename `old -> new` seen in a commit makes every older change to `old` count for whatever `new`
    is called at the scanned revision. A path that was deleted and later re-added keeps one history:
    git sees the same path, and so do we (all changes to the path count for the file of that name).
    """

    __slots__ = ("_alias",)

    def __init__(self) -> None:
        self._alias: dict[str, str] = {}

    def current(self, path: str) -> str:
        """The name at the scanned revision of what was called `path` before the commits seen so far."""
        return self._alias.get(path, path)

    @property
    def has_renames(self) -> bool:
        """Tell whether any rename was recorded (otherwise every name is already current)."""
        return bool(self._alias)

    def follow(self, changes: Sequence[tuple[str, str]]) -> list[str]:
        """Return the current name of each (path, old_path) change of one commit, then record its renames."""
        alias = self._alias
        names = [alias.get(path, path) for path, _old in changes]
        # Names are resolved before any rename of this commit is recorded, so a swap (a -> b, b -> a) works.
        for (path, old_path), name in zip(changes, names):
            if old_path and old_path != path:
                alias[old_path] = name
        return names


def follow_renames(commits: Iterable[CommitRecord]) -> Iterator[tuple[CommitRecord, list[str]]]:
    """Pair each commit (newest first) with the current names of the files it changed."""
    tracker = RenameTracker()
    for commit in commits:
        yield commit, tracker.follow([(change.path, change.old_path) for change in commit.changes])
