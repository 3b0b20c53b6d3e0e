"""A file's code at a scanned revision, read from git objects (never the working tree), with its size cap."""
from dataclasses import dataclass

from metrics.conf import git_timeout
from metrics.core.blobs import OBJECT_ID
from metrics.core.errors import GitError
from metrics.core.gitcmd import run_git
from metrics.data import repository_config_from_json
from metrics.errors import GitFailed, RepositoryInvalid
from metrics.models import Repository, Scan, SnapshotFile
from metrics.services.repositories import repository_path


@dataclass(frozen=True)
class FileSource:
    """A file's text at a scan's commit, or why it is not shown (too large, binary, unreadable)."""

    path: str
    blob_sha: str
    size_bytes: int
    text: str = ""
    too_large: bool = False  # over the repository's analysis size cap: never read
    max_bytes: int = 0
    is_binary: bool = False

    @property
    def shown(self) -> bool:
        return not (self.too_large or self.is_binary)


def _size_cap(repository: Repository) -> int:
    try:
        return repository_config_from_json(repository.config).max_file_bytes
    except RepositoryInvalid:
        return repository_config_from_json({}).max_file_bytes


def file_source_get(*, repository: Repository, scan: Scan, path: str) -> FileSource | None:
    """Return `path`'s code at `scan`'s commit, read by blob id from git; None when the scan has no such file.

    Files over the repository's analysis size cap (max_file_bytes) are not read at all: the result says
    so with the size. Git failures (a missing object, a moved repository) raise GitFailed.
    """
    snapshot = (SnapshotFile.objects.filter(scan=scan, path=path)
                .values_list("blob_sha", "analysis__size_bytes").first())
    if snapshot is None:
        return None
    blob_sha, size = snapshot[0], snapshot[1] or 0
    cap = _size_cap(repository)
    if size > cap:
        return FileSource(path=path, blob_sha=blob_sha, size_bytes=size, too_large=True, max_bytes=cap)
    if not OBJECT_ID.fullmatch(blob_sha):
        raise GitFailed(f"{blob_sha!r} is not a blob id.", extra={"path": path})
    try:
        data = run_git(repository_path(repository=repository), ["cat-file", "blob", blob_sha], timeout=git_timeout())
    except GitError as exc:
        raise GitFailed(f"Could not read {path} at {scan.commit_sha[:12]} in {repository.name}: {exc}",
                        extra={"repository": repository.name, "path": path}) from exc
    if len(data) > cap:  # the stored size was missing or wrong: the cap still holds
        return FileSource(path=path, blob_sha=blob_sha, size_bytes=len(data), too_large=True, max_bytes=cap)
    if b"\x00" in data:
        return FileSource(path=path, blob_sha=blob_sha, size_bytes=len(data), is_binary=True, max_bytes=cap)
    return FileSource(path=path, blob_sha=blob_sha, size_bytes=len(data), text=data.decode("utf-8", "replace"),
                      max_bytes=cap)
