"""Which mined commits are left out of measures: bot authors and mechanical commits touching many files."""
import re
from collections.abc import Sequence
from functools import lru_cache

from metrics.core.records import CommitRecord


@lru_cache(maxsize=64)
def _author_regex(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """Compile author globs: `*` and `?` are wildcards, everything else (brackets too) is literal.

    Brackets are literal so the usual `*[bot]*` matches GitHub's `name[bot]` accounts instead of
    being a character class that matches any name containing b, o or t.
    """
    alternatives = []
    for pattern in patterns:
        escaped = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
        alternatives.append(f"(?:{escaped})")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE | re.DOTALL)


def is_bot_author(name: str, email: str, patterns: Sequence[str]) -> bool:
    """Tell whether the author's name or e-mail matches one of the bot globs (case-insensitive)."""
    regex = _author_regex(tuple(patterns))
    if regex is None:
        return False
    return regex.fullmatch(name) is not None or regex.fullmatch(email) is not None


def is_excluded(commit: CommitRecord, *, bot_authors: Sequence[str], max_files_per_commit: int) -> bool:
    """Tell whether a commit is kept out of measures: a bot's, or one touching too many files."""
    return len(commit.changes) > max_files_per_commit or is_bot_author(
        commit.author_name, commit.author_email, bot_authors
    )
