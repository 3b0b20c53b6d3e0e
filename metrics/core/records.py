"""Value objects passed between the history miner, the scorers and the storage layer."""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class FileChangeRecord:
    """One file touched by one commit. `added`/`deleted` are None for binary files."""

    path: str
    old_path: str = ""  # the previous name when the change is a rename or copy
    change_type: str = "M"  # A, M, D, R, C
    added: int | None = 0
    deleted: int | None = 0

    @property
    def is_binary(self) -> bool:
        return self.added is None


@dataclass(frozen=True, slots=True)
class CommitRecord:
    """One mined commit with its file changes; author identity has .mailmap applied."""

    sha: str
    author_name: str
    author_email: str
    authored_at: datetime  # timezone-aware
    subject: str
    parents: tuple[str, ...] = ()
    changes: tuple[FileChangeRecord, ...] = ()

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


class ChangeEvent(NamedTuple):
    """A change to a file as the scorers see it: the path is the file's name at the scanned revision.

    A named tuple: the scorers make one per file change of the whole history.
    """

    sha: str
    path: str
    author: str
    authored_at: datetime
    added: int = 0
    deleted: int = 0


@dataclass(frozen=True, slots=True)
class Hunk:
    """A changed line range of one commit's diff (unified diff header numbers, -U0)."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int


@dataclass(frozen=True, slots=True)
class FunctionSpan:
    """A function's line range at the scanned revision."""

    qualname: str
    lineno: int
    endline: int


@dataclass(slots=True)
class FileMeasures:
    """Change measures of one file over one window."""

    path: str
    revisions: int = 0
    added: int = 0
    deleted: int = 0
    change_frequency: float = 0.0  # recency-weighted revisions
    authors: int = 0
    main_author: str = ""
    ownership_share: float = 0.0
    fragmentation: float = 0.0
    first_seen: datetime | None = None
    last_changed: datetime | None = None
    age_days: int | None = None
    author_commits: dict[str, int] = field(default_factory=dict)
    author_added: dict[str, int] = field(default_factory=dict)
    # The authors' shares (metrics.core.ownership.AuthorShare), largest first: derived from the two above.
    shares: list[Any] = field(default_factory=list, compare=False, repr=False)

    @property
    def churn(self) -> int:
        return self.added + self.deleted
