"""Blame lines of a repository's file at a scanned revision, translating git failures into metrics errors."""
from collections.abc import Iterable

from metrics.conf import git_timeout
from metrics.core.blame import BlameLine, blame_lines
from metrics.core.errors import GitError
from metrics.errors import GitFailed
from metrics.models import Repository


def file_blame_lines(*, repository: Repository, revision: str, path: str, lines: Iterable[int]) -> dict[int, BlameLine]:
    """Return who last wrote each given line of `path` at `revision`, or raise GitFailed."""
    timeout = git_timeout()
    try:
        return blame_lines(repository.path, revision, path, lines, timeout=timeout)
    except (GitError, ValueError) as exc:
        raise GitFailed(
            f"Could not blame {path} at {revision[:12]} in {repository.name}: {exc}",
            extra={"repository": repository.name, "path": path, "revision": revision},
        ) from exc
