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
