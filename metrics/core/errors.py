"""The error family of metrics.core; metrics.services translates these at the boundary."""


class CoreError(Exception):
    """Base of every error metrics.core raises."""


class GitError(CoreError):
    """A git command failed or timed out; `stderr` holds git's own words."""

    def __init__(self, message: str, *, stderr: str = "", returncode: int | None = None) -> None:
        super().__init__(message)
        self.stderr = stderr
        self.returncode = returncode


class GitTimeout(GitError):
    """A git command ran past its wall-clock limit and was killed."""


class UnsafeSource(CoreError):
    """A repository URL or path was refused (scheme, option injection, outside allowed roots)."""


class GitOutputMalformed(GitError):
    """git printed output a parser could not read (an unexpected format or a truncated stream)."""


class InvalidObjectName(CoreError):
    """A value that should be a full commit id (40 or 64 hex digits) is not one."""


class UnknownRevision(GitError):
    """A revision was refused (it looks like an option) or does not name a commit."""


class ObjectMissing(GitError):
    """A blob asked of `git cat-file --batch` is not in the repository."""


class InvalidAnalysisConfig(CoreError):
    """An analyser setting is out of range (a flake8 code, a limit); `field` names it."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field
