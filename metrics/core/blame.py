"""Who wrote given lines of a file at a revision: `git blame --porcelain`, one process per file."""
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from metrics.core.errors import GitError
from metrics.core.gitcmd import DEFAULT_TIMEOUT, run_git
from metrics.core.text import decode_text

_OBJECT_NAME = re.compile(r"^[0-9a-f]{4,64}$")
_HEADER = re.compile(rb"^([0-9a-f]{40,64}) (\d+) (\d+)(?: (\d+))?$")


@dataclass(frozen=True, slots=True)
class BlameLine:
    """The commit that last wrote one line, with its author and author date (timezone-aware)."""

    line: int
    sha: str
    author_name: str
    author_email: str
    authored_at: datetime | None


def line_ranges(lines: Iterable[int]) -> list[tuple[int, int]]:
    """Merge line numbers into sorted inclusive ranges: [3, 1, 2, 7] -> [(1, 3), (7, 7)]."""
    ranges: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if line < 1:
            raise ValueError(f"line numbers start at 1, not {line}")
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], line)
        else:
            ranges.append((line, line))
    return ranges


def blame_args(revision: str, path: str, lines: Iterable[int]) -> list[str]:
    """The git arguments blaming `lines` of `path` at `revision` (an object name, never an option)."""
    if not _OBJECT_NAME.match(revision):
        raise GitError(f"not a commit id: {revision!r}")
    if not path or "\x00" in path:
        raise GitError("a path is required")
    args = ["blame", "--porcelain"]
    for start, end in line_ranges(lines):
        args += ["-L", f"{start},{end}"]
    return [*args, revision, "--", path]


def parse_blame_porcelain(output: bytes) -> dict[int, BlameLine]:
    """Parse `git blame --porcelain` output into {final line number: BlameLine}."""
    commits: dict[str, dict[str, str]] = {}
    result: dict[int, str] = {}
    current: str | None = None
    final = 0
    for raw in output.split(b"\n"):
        if raw.startswith(b"\t"):
            if current is not None:
                result[final] = current
            continue
        header = _HEADER.match(raw)
        if header:
            current = header.group(1).decode("ascii")
            final = int(header.group(3))
            commits.setdefault(current, {})
            continue
        if current is not None and b" " in raw:
            key, _, value = raw.partition(b" ")
            commits[current].setdefault(decode_text(key), decode_text(value))
    return {line: _blame_line(line, sha, commits.get(sha, {})) for line, sha in result.items()}


def _blame_line(line: int, sha: str, info: dict[str, str]) -> BlameLine:
    when: datetime | None = None
    if info.get("author-time", "").isdigit():
        when = datetime.fromtimestamp(int(info["author-time"]), tz=timezone.utc)
    return BlameLine(
        line=line,
        sha=sha,
        author_name=info.get("author", ""),
        author_email=info.get("author-mail", "").strip("<>"),
        authored_at=when,
    )


def blame_lines(
    repo_path: str, revision: str, path: str, lines: Iterable[int], *, timeout: float = DEFAULT_TIMEOUT
) -> dict[int, BlameLine]:
    """Blame the given lines of one file at a revision in one git process."""
    wanted = list(lines)
    if not wanted:
        return {}
    return parse_blame_porcelain(run_git(repo_path, blame_args(revision, path, wanted), timeout=timeout))
