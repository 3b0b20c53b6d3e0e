"""Files of a revision straight from git objects: `git ls-tree` listings and one `git cat-file --batch` stream.

Nothing here reads a working tree: contents come from the object database, so a symlink in the scanned
repository is never followed and an uncommitted change is never seen.
"""
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import NamedTuple

from metrics.core.errors import GitError, ObjectMissing, UnknownRevision
from metrics.core.gitcmd import DEFAULT_TIMEOUT, run_git, stream_git
from metrics.core.globs import matches_any

OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"
# A cat-file stream lives as long as one analysis run; its wall-clock limit only stops a hung git.
READER_TIMEOUT = 6 * 3600.0


class FileEntry(NamedTuple):
    """A regular file at a revision: repository-relative path, blob id, size in bytes."""

    path: str
    blob_sha: str
    size: int


@dataclass(frozen=True)
class FileListing:
    """The selected files of a commit and what was left out."""

    commit_sha: str
    files: tuple[FileEntry, ...]
    skipped_symlinks: int = 0  # symlinks whose path the globs select: never read, never followed
    skipped_submodules: int = 0  # every submodule (gitlink) of the tree
    excluded: int = 0  # regular files matching an include glob and an exclude glob


def resolve_commit(repo_path: str | os.PathLike[str], revision: str = "HEAD", *, timeout: float = 60.0) -> str:
    """Resolve a revision (branch, tag, sha, HEAD~3) to a full commit id, or raise UnknownRevision."""
    if not revision or revision.startswith("-") or any(c in revision for c in "\x00\n\r"):
        raise UnknownRevision(f"{revision!r} is not a revision debtboard accepts")
    try:
        output = run_git(
            repo_path, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
            timeout=timeout,
        )
    except GitError as exc:
        if exc.returncode == 1 and not exc.stderr:  # --verify --quiet: the name resolves to no commit
            raise UnknownRevision(f"{revision!r} does not name a commit in this repository") from None
        raise  # not a repository, a damaged one, a timeout: git's own words
    commit = output.decode("ascii", "replace").strip()
    if not OBJECT_ID.fullmatch(commit):
        raise UnknownRevision(f"{revision!r} does not name a commit in this repository")
    return commit


def _decode_path(raw: bytes) -> str:
    # Paths are bytes in git; non-UTF-8 names are kept readable (U+FFFD) rather than refused.
    return raw.decode("utf-8", "replace")


def list_files(
    repo_path: str | os.PathLike[str],
    revision: str = "HEAD",
    *,
    include: Iterable[str],
    exclude: Iterable[str],
    timeout: float = DEFAULT_TIMEOUT,
) -> FileListing:
    """List the regular files of a revision selected by the globs, with their blob ids and sizes."""
    include, exclude = tuple(include), tuple(exclude)
    commit = resolve_commit(repo_path, revision)
    output = run_git(repo_path, ["ls-tree", "-r", "-z", "-l", "--full-tree", commit], timeout=timeout)
    files: list[FileEntry] = []
    symlinks = submodules = excluded = 0
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, _kind, sha, size = meta.decode("ascii").split(maxsplit=3)
        if mode == MODE_SUBMODULE:
            submodules += 1
            continue
        path = _decode_path(raw_path)
        if not matches_any(path, include):
            continue
        if mode == MODE_SYMLINK:
            symlinks += 1
        elif matches_any(path, exclude):
            excluded += 1
        else:
            files.append(FileEntry(path, sha, int(size)))
    files.sort(key=lambda entry: entry.path)
    return FileListing(commit, tuple(files), symlinks, submodules, excluded)


class BlobReader:
    """Read blobs through one long-lived `git cat-file --batch` process (a context manager)."""

    def __init__(self, repo_path: str | os.PathLike[str], *, timeout: float = READER_TIMEOUT) -> None:
        self._repo_path = repo_path
        self._timeout = timeout
        self._stream = None
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> "BlobReader":
        self._stream = stream_git(
            self._repo_path, ["cat-file", "--batch"], timeout=self._timeout, stdin=subprocess.PIPE
        )
        self._process = self._stream.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        process, stream = self._process, self._stream
        self._process = self._stream = None
        if process is not None and process.stdin is not None:
            try:
                process.stdin.close()  # git exits on end of input
                process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if stream is not None:
            stream.__exit__(exc_type, exc, tb)

    def read(self, blob_sha: str) -> bytes:
        """The content of one blob; ObjectMissing if the repository lacks it."""
        if not OBJECT_ID.fullmatch(blob_sha):
            raise ObjectMissing(f"{blob_sha!r} is not an object id")
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise GitError("BlobReader is not open: use it as a context manager")
        try:
            process.stdin.write(blob_sha.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline()
        except OSError as exc:
            raise GitError(f"git cat-file stopped: {exc}") from exc
        size = _blob_size(blob_sha, header)
        data = process.stdout.read(size + 1)  # the content, then a newline
        if len(data) != size + 1:
            raise GitError(f"git cat-file ended while reading blob {blob_sha}")
        return data[:size]


def _blob_size(blob_sha: str, header: bytes) -> int:
    """The size `git cat-file --batch` announces for a blob; ObjectMissing or GitError otherwise."""
    fields = header.split()
    if len(fields) == 2 and fields[1] == b"missing":
        raise ObjectMissing(f"blob {blob_sha} is not in the repository")
    if len(fields) != 3 or fields[1] != b"blob":
        raise GitError(f"unexpected git cat-file answer for {blob_sha}: {header[:200]!r}")
    return int(fields[2])
