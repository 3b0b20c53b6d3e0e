"""Who wrote a file: authors' shares by commits and added lines, main author, fragmentation, knowledge islands."""
from collections.abc import Mapping
from dataclasses import dataclass

# One author holding more than this share of a file's added lines makes the file a knowledge island.
KNOWLEDGE_ISLAND_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class AuthorShare:
    """One author's part in one file: commits, added lines and share of the added lines."""

    author: str
    commits: int
    added_lines: int
    share: float


def author_shares(commits: Mapping[str, int], added: Mapping[str, int]) -> list[AuthorShare]:
    """Return each author's share of a file, largest first.

    The share is of the added lines (code-maat's main-dev measure); when nobody added a line
    (binary files, pure deletions) it falls back to the share of commits.
    """
    total_added = sum(added.get(author, 0) for author in commits)
    total_commits = sum(commits.values())
    shares = []
    for author, count in commits.items():
        lines = added.get(author, 0)
        if total_added:
            share = lines / total_added
        else:
            share = count / total_commits if total_commits else 0.0
        shares.append(AuthorShare(author=author, commits=count, added_lines=lines, share=share))
    shares.sort(key=lambda item: (-item.share, -item.commits, item.author))
    return shares


def fragmentation(commits: Mapping[str, int]) -> float:
    """Return 1 - sum(share_i^2) over the authors' commit shares: 0 for one author, towards 1 for many."""
    total = sum(commits.values())
    if not total:
        return 0.0
    return 1.0 - sum((count / total) ** 2 for count in commits.values())


def is_knowledge_island(shares: list[AuthorShare], *, threshold: float = KNOWLEDGE_ISLAND_SHARE) -> bool:
    """Tell whether one author holds more than `threshold` of the file's added lines."""
    return bool(shares) and shares[0].share > threshold


def knowledge_island(
    shares: list[AuthorShare], *, sloc: int, revisions: int, min_sloc: int, min_revisions: int,
    threshold: float = KNOWLEDGE_ISLAND_SHARE,
) -> bool:
    """A knowledge island worth naming: one author over `threshold`, in a file big and changed enough.

    A 20-line file one person wrote in two commits is not knowledge at risk; `revisions` counts the
    changes over the same period as the shares.
    """
    return sloc >= min_sloc and revisions >= min_revisions and is_knowledge_island(shares, threshold=threshold)


def island_label(window_days: int) -> str:
    """Name the period a knowledge island was measured over: "single author ever" or "... in the last N days"."""
    return "single author ever" if not window_days else f"single author in the last {window_days} days"
