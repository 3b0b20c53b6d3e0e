"""Streaming parsers of `git log`: commits with per-file line counts, and the -U0 hunks of each diff.

Both read one git process as its output arrives; neither starts a process per commit. Paths are raw
bytes in git's output (`-z`, `core.quotePath=false`); they are decoded as UTF-8 with undecodable bytes
replaced by U+FFFD (`decode_path`), the same everywhere, so a non-UTF-8 name is stored and matched
consistently (and can always be written to SQLite and PostgreSQL, which a surrogate escape cannot).
"""
import queue
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO

from metrics.core.errors import GitError, GitOutputMalformed, InvalidObjectName
from metrics.core.gitcmd import DEFAULT_TIMEOUT, run_git, stream_git
from metrics.core.records import CommitRecord, FileChangeRecord, Hunk
from metrics.core.text import decode_text

# Every commit starts with two NULs, so a header is found without counting the previous commit's fields.
COMMIT_FORMAT = "%x00%x00%H%x00%P%x00%aN%x00%aE%x00%at%x00%s"
PATCH_COMMIT_MARKER = b"\x00commit "
PATCH_FORMAT = "%x00commit %H"

# Options that pin the output format against a scanned repository's own .git/config
# (log.showSignature, color.ui, diff.noprefix, diff.interHunkContext, log.showRoot, i18n encodings).
_PINNED_OPTIONS = (
    "--no-color", "--no-ext-diff", "--no-textconv", "--no-show-signature", "--root", "--encoding=UTF-8",
)
_OBJECT_NAME = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")
_OBJECT_NAME_STR = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_NUMSTAT = re.compile(rb"(\d+|-)\t(\d+|-)\t")
_HUNK_HEADER = re.compile(rb"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_CHANGE_TYPES = {b"A": "A", b"D": "D", b"M": "M", b"R": "R", b"C": "C", b"T": "M"}
_C_ESCAPES = {
    ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12, ord("r"): 13,
    ord('"'): 34, ord("\\"): 92,
}
READ_SIZE = 1 << 16
READ_AHEAD_CHUNKS = 256  # at most 16 MiB of git output waiting for the parser


@dataclass(frozen=True, slots=True)
class FileDiff:
    """One file's changed line ranges in one commit (-U0); `old_path` is the previous name of a rename."""

    path: str
    old_path: str = ""
    change_type: str = "M"
    hunks: tuple[Hunk, ...] = ()


@dataclass(frozen=True, slots=True)
class CommitDiff:
    """The per-file hunks of one commit."""

    sha: str
    files: tuple[FileDiff, ...] = ()


def decode_path(raw: bytes) -> str:
    """Decode a path as git printed it: UTF-8, undecodable bytes replaced by U+FFFD."""
    return raw.decode("utf-8", "replace")


def require_object_name(value: str) -> str:
    """Return `value` if it is a full commit id, else raise InvalidObjectName (it is never an option)."""
    if not isinstance(value, str) or not _OBJECT_NAME_STR.fullmatch(value):
        raise InvalidObjectName(f"{value!r} is not a full commit id")
    return value


def log_args(revision: str, *, exclude: Sequence[str] = (), include_merges: bool = False) -> list[str]:
    """The `git log` arguments of the commit miner (the revision and exclusions are verified ids)."""
    require_object_name(revision)
    excluded = [f"^{require_object_name(sha)}" for sha in exclude]
    merges = ["--diff-merges=first-parent"] if include_merges else ["--no-merges"]
    return [
        "log", "-z", "--raw", "--numstat", "-M", f"--format={COMMIT_FORMAT}", *_PINNED_OPTIONS, *merges,
        revision, *excluded, "--",
    ]


def iter_commits(
    repo_path: str,
    revision: str,
    *,
    exclude: Sequence[str] = (),
    include_merges: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[CommitRecord]:
    """Yield the commits reachable from `revision` but not from `exclude`, newest first, as they arrive."""
    args = log_args(revision, exclude=exclude, include_merges=include_merges)
    with stream_git(repo_path, args, timeout=timeout) as process:
        yield from parse_log(read_ahead(process.stdout))


class _ReadAhead:
    """A background thread reading a pipe into a bounded queue of chunks."""

    def __init__(self, stream: BinaryIO, size: int, depth: int) -> None:
        self.stream, self.size = stream, size
        self.chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.pump, name="git-read-ahead", daemon=True)

    def hand_over(self, item: bytes | BaseException | None) -> bool:
        """Queue `item`; give up (False) once the consumer has gone."""
        while not self.stop.is_set():
            try:
                self.chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def pump(self) -> None:
        try:
            while chunk := self.stream.read1(self.size):
                if not self.hand_over(chunk):
                    return
        except (OSError, ValueError) as exc:  # the pipe failed or was closed under us
            self.hand_over(exc)
            return
        self.hand_over(None)


def read_ahead(stream: BinaryIO, *, size: int = READ_SIZE, depth: int = READ_AHEAD_CHUNKS) -> Iterator[bytes]:
    """Yield the chunks of `stream` as a background thread reads them.

    git keeps writing while the consumer parses and stores (reading a pipe releases the GIL), so a
    mine costs about the longer of the two instead of their sum. At most `depth` chunks wait.
    """
    reader = _ReadAhead(stream, size, depth)
    reader.thread.start()
    try:
        while (item := reader.chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise GitOutputMalformed(f"reading git's output failed: {item}") from item
            yield item
    finally:
        reader.stop.set()


def iter_tokens(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Split a stream of byte chunks into NUL-terminated tokens."""
    tail = b""
    for chunk in chunks:
        parts = (tail + chunk).split(b"\x00")
        tail = parts.pop()
        yield from parts
    if tail:
        yield tail


class _Tokens:
    """A token iterator with one token of look-ahead."""

    __slots__ = ("_iterator", "_peeked")
    _END = object()

    def __init__(self, tokens: Iterator[bytes]) -> None:
        self._iterator = tokens
        self._peeked: object = None

    def peek(self) -> bytes | None:
        if self._peeked is None:
            self._peeked = next(self._iterator, self._END)
        return None if self._peeked is self._END else self._peeked  # type: ignore[return-value]

    def take(self) -> bytes:
        token = self.peek()
        self._peeked = None
        if token is None:
            raise GitOutputMalformed("git log output ended in the middle of a commit")
        return token


def parse_log(chunks: Iterable[bytes]) -> Iterator[CommitRecord]:
    """Parse `git log -z --raw --numstat` output in COMMIT_FORMAT into commit records."""
    tokens = _Tokens(iter_tokens(chunks))
    while True:
        token = tokens.peek()
        if token is None:
            return
        tokens.take()
        if not token:
            continue  # the empty tokens in front of each header
        yield _parse_commit(token, tokens)


def _parse_commit(sha: bytes, tokens: _Tokens) -> CommitRecord:
    if not _OBJECT_NAME.fullmatch(sha):
        raise GitOutputMalformed(f"expected a commit id in git log output, got {sha[:60]!r}")
    parents, name, email, timestamp, subject = (tokens.take() for _ in range(5))
    try:
        authored_at = datetime.fromtimestamp(int(timestamp), tz=timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise GitOutputMalformed(f"unreadable author date {timestamp[:40]!r} in commit {sha.decode()}") from exc
    raw = _parse_raw_entries(tokens)
    lines = _parse_numstat_entries(tokens)
    return CommitRecord(
        sha=sha.decode("ascii"),
        author_name=decode_text(name),
        author_email=decode_text(email),
        authored_at=authored_at,
        subject=decode_text(subject),
        parents=tuple(parents.decode("ascii").split()),
        changes=_join_changes(raw, lines),
    )


def _parse_raw_entries(tokens: _Tokens) -> list[tuple[str, bytes, bytes]]:
    """Read `:mode mode sha sha STATUS\\0path\\0[path\\0]` entries: (change type, old path, path)."""
    entries = []
    while True:
        token = tokens.peek()
        if not token or not token.lstrip(b"\n").startswith(b":"):
            return entries
        tokens.take()
        status = token.rsplit(b" ", 1)[-1]
        change_type = _CHANGE_TYPES.get(status[:1], "M")
        if change_type in ("R", "C"):
            old_path = tokens.take()
            entries.append((change_type, old_path, tokens.take()))
        else:
            entries.append((change_type, b"", tokens.take()))


def _parse_numstat_entries(tokens: _Tokens) -> dict[bytes, tuple[int | None, int | None]]:
    """Read `added\\tdeleted\\tpath\\0` (or `added\\tdeleted\\t\\0old\\0new\\0`) entries by path."""
    lines: dict[bytes, tuple[int | None, int | None]] = {}
    while True:
        token = tokens.peek()
        if not token:
            return lines
        match = _NUMSTAT.match(token)
        if match is None:
            raise GitOutputMalformed(f"unexpected numstat entry {token[:80]!r}")
        tokens.take()
        path = token[match.end():]
        if not path:  # a rename: the old and new names follow as their own tokens
            tokens.take()
            path = tokens.take()
        added, deleted = match.group(1), match.group(2)
        lines[path] = (None, None) if added == b"-" or deleted == b"-" else (int(added), int(deleted))


def _join_changes(
    raw: list[tuple[str, bytes, bytes]], lines: dict[bytes, tuple[int | None, int | None]]
) -> tuple[FileChangeRecord, ...]:
    changes: dict[str, FileChangeRecord] = {}
    for change_type, old_raw, path_raw in raw:
        added, deleted = lines.get(path_raw, (0, 0))
        path = decode_path(path_raw)
        previous = changes.get(path)
        if previous is not None:  # two byte-different names that decode alike: one change, lines summed
            added = None if added is None or previous.added is None else added + previous.added
            deleted = None if deleted is None or previous.deleted is None else deleted + previous.deleted
        changes[path] = FileChangeRecord(
            path=path, old_path=decode_path(old_raw), change_type=change_type, added=added, deleted=deleted
        )
    return tuple(changes.values())


def patch_args(
    revision: str, *, since: datetime | None = None, pathspecs: Sequence[str] = ("*.py",), commits: Sequence[str] = ()
) -> list[str]:
    """The `git log -p -U0` arguments of the hunk reader.

    Either the history of `revision` (newest first, in topological order, from `since` on), or, when
    `commits` are given, exactly those commits (`--no-walk`, `revision` unused).
    """
    if commits:
        walk = ["--no-walk=unsorted", *(require_object_name(sha) for sha in commits)]
    else:
        since_args = [f"--since=@{int(since.timestamp())}"] if since is not None else []
        walk = ["--no-merges", "--topo-order", *since_args, require_object_name(revision)]
    return [
        "log", "-p", "-U0", "--inter-hunk-context=0", "-M", "--src-prefix=a/", "--dst-prefix=b/",
        f"--format={PATCH_FORMAT}", *_PINNED_OPTIONS, *walk, "--", *pathspecs,
    ]


def iter_hunks(
    repo_path: str,
    revision: str,
    *,
    since: datetime | None = None,
    pathspecs: Sequence[str] = ("*.py",),
    commits: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[CommitDiff]:
    """Yield each commit's per-file -U0 hunks from one streaming `git log -p` (see patch_args)."""
    args = patch_args(revision, since=since, pathspecs=pathspecs, commits=commits)
    with stream_git(repo_path, args, timeout=timeout) as process:
        yield from parse_patch(process.stdout)


class _PatchFile:
    """The file section of a patch being read."""

    __slots__ = ("path", "old_path", "change_type", "hunks")

    def __init__(self, header: bytes) -> None:
        self.path = _diff_git_path(header)
        self.old_path = b""
        self.change_type = "M"
        self.hunks: list[Hunk] = []

    def header_line(self, line: bytes) -> None:
        if line.startswith(b"rename from "):
            self.old_path = unquote_c(line[12:].rstrip(b"\n"))
            self.change_type = "R"
        elif line.startswith(b"rename to "):
            self.path = unquote_c(line[10:].rstrip(b"\n"))
        elif line.startswith(b"new file mode"):
            self.change_type = "A"
        elif line.startswith(b"deleted file mode"):
            self.change_type = "D"

    def done(self) -> FileDiff:
        return FileDiff(
            path=decode_path(self.path), old_path=decode_path(self.old_path),
            change_type=self.change_type, hunks=tuple(self.hunks),
        )


class _PatchReader:
    """The state of a `git log -p -U0` parse: the commit and file being read, the hunk lines left."""

    __slots__ = ("sha", "files", "current", "old_left", "new_left")

    def __init__(self) -> None:
        self.sha: str | None = None
        self.files: list[FileDiff] = []
        self.current: _PatchFile | None = None
        self.old_left = self.new_left = 0

    @property
    def in_hunk(self) -> bool:
        """True while lines of the current hunk's body are still to come."""
        return bool(self.old_left or self.new_left)

    def line(self, line: bytes) -> CommitDiff | None:
        """Consume one line of output; return the commit it finishes, if any."""
        if self.in_hunk:
            self.body_line(line)
        elif line.startswith(b"@@ "):
            self.hunk(line)
        elif line.startswith(b"diff --git "):
            self.file(line)
        elif line.startswith(PATCH_COMMIT_MARKER):
            return self.commit(line[len(PATCH_COMMIT_MARKER):].strip().decode("ascii", "replace"))
        elif self.current is not None:
            self.current.header_line(line)
        return None

    def body_line(self, line: bytes) -> None:
        """Consume one line of a hunk body, by count, whatever it contains."""
        first = line[:1]
        if first == b"-":
            self.old_left -= 1
        elif first == b"+":
            self.new_left -= 1
        elif first != b"\\":
            raise GitOutputMalformed(f"unexpected line inside a hunk: {line[:80]!r}")

    def hunk(self, line: bytes) -> None:
        if self.current is None:
            raise GitOutputMalformed("a hunk outside a file section")
        hunk = _parse_hunk_header(line)
        self.current.hunks.append(hunk)
        self.old_left, self.new_left = hunk.old_count, hunk.new_count

    def file(self, line: bytes) -> None:
        self.close_file()
        self.current = _PatchFile(line)

    def close_file(self) -> None:
        if self.current is not None:
            self.files.append(self.current.done())
            self.current = None

    def commit(self, sha: str | None) -> CommitDiff | None:
        """Finish the commit being read (returned, if any) and start the next one."""
        self.close_file()
        finished = None if self.sha is None else CommitDiff(sha=self.sha, files=tuple(self.files))
        self.sha, self.files = sha, []
        return finished


def parse_patch(lines: Iterable[bytes]) -> Iterator[CommitDiff]:
    """Parse `git log -p -U0` output in PATCH_FORMAT into per-commit, per-file hunks."""
    reader = _PatchReader()
    for line in lines:
        finished = reader.line(line)
        if finished is not None:
            yield finished
    if reader.in_hunk:
        raise GitOutputMalformed("git log -p output ended inside a hunk")
    finished = reader.commit(None)
    if finished is not None:
        yield finished


def _parse_hunk_header(line: bytes) -> Hunk:
    match = _HUNK_HEADER.match(line)
    if match is None:
        raise GitOutputMalformed(f"unreadable hunk header {line[:80]!r}")
    old_start, old_count, new_start, new_count = match.groups()
    return Hunk(
        old_start=int(old_start), old_count=1 if old_count is None else int(old_count),
        new_start=int(new_start), new_count=1 if new_count is None else int(new_count),
    )


def _diff_git_path(line: bytes) -> bytes:
    """The new-side path of a `diff --git a/X b/X` line (a rename's names come from its own lines)."""
    rest = line[len(b"diff --git "):].rstrip(b"\n")
    if rest.startswith(b'"'):
        first, remainder = _read_quoted(rest)
        second = remainder.lstrip(b" ")
        target = unquote_c(second) if second.startswith(b'"') else second
        return target[2:] if target.startswith(b"b/") else first[2:]
    # Unquoted: for an unrenamed file both names are equal, so the line is "a/P b/P".
    half = (len(rest) - 1) // 2
    if len(rest) % 2 == 1 and rest[half:half + 3] == b" b/" and rest[2:half] == rest[half + 3:]:
        return rest[half + 3:]
    return rest.rsplit(b" b/", 1)[-1]


def _read_quoted(data: bytes) -> tuple[bytes, bytes]:
    """Read one C-quoted string at the start of `data`: (its unquoted value, the rest)."""
    out = bytearray()
    index = 1
    while index < len(data):
        byte = data[index]
        if byte == 0x22:  # closing quote
            return bytes(out), data[index + 1:]
        if byte == 0x5C and index + 1 < len(data):
            nxt = data[index + 1]
            if 0x30 <= nxt <= 0x37:
                out.append(int(data[index + 1:index + 4], 8) & 0xFF)
                index += 4
                continue
            out.append(_C_ESCAPES.get(nxt, nxt))
            index += 2
            continue
        out.append(byte)
        index += 1
    raise GitOutputMalformed(f"unterminated quoted path {data[:80]!r}")


def unquote_c(value: bytes) -> bytes:
    """Undo git's C-style quoting of a path (a path without quotes is returned as it is)."""
    if not value.startswith(b'"'):
        return value
    unquoted, _rest = _read_quoted(value)
    return unquoted


def rev_list(
    repo_path: str, revision: str, *, exclude: Sequence[str] = (), timeout: float = DEFAULT_TIMEOUT
) -> list[str]:
    """Return every commit reachable from `revision` but from none of `exclude`, newest first in topological order."""
    args = ["rev-list", "--topo-order", require_object_name(revision)]
    args += [f"^{require_object_name(sha)}" for sha in exclude]
    output = run_git(repo_path, [*args, "--"], timeout=timeout)
    return output.decode("ascii").split()


def count_commits(
    repo_path: str, revision: str, *, exclude: Sequence[str] = (), include_merges: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """Count the commits `iter_commits` would yield for the same arguments."""
    args = ["rev-list", "--count", *([] if include_merges else ["--no-merges"]), require_object_name(revision)]
    args += [f"^{require_object_name(sha)}" for sha in exclude]
    return int(run_git(repo_path, [*args, "--"], timeout=timeout).strip() or 0)


def is_ancestor(repo_path: str, ancestor: str, descendant: str, *, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Tell whether `ancestor` is reachable from `descendant`; a commit that no longer exists is not."""
    args = ["merge-base", "--is-ancestor", require_object_name(ancestor), require_object_name(descendant)]
    try:
        run_git(repo_path, args, timeout=timeout)
    except GitError as exc:
        if exc.returncode in (1, 128):  # 1: not an ancestor; 128: an unknown object (rewritten and pruned)
            return False
        raise
    return True


def commit_exists(repo_path: str, sha: str, *, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Tell whether the repository holds commit `sha`."""
    try:
        run_git(repo_path, ["cat-file", "-e", f"{require_object_name(sha)}^{{commit}}"], timeout=timeout)
    except GitError as exc:
        if exc.returncode is not None and exc.returncode > 0:
            return False
        raise
    return True


def mailmap_blob(repo_path: str, commit_sha: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The blob id of the `.mailmap` at the root of `commit_sha` ("" when it has none)."""
    listing = run_git(repo_path, ["ls-tree", "-z", "--full-tree", require_object_name(commit_sha), "--", ".mailmap"],
                      timeout=timeout)
    for entry in listing.split(b"\x00"):
        parts = entry.partition(b"\t")[0].split()
        if len(parts) >= 3 and parts[1] == b"blob":
            return parts[2].decode("ascii")
    return ""


@dataclass(frozen=True)
class ShallowBoundary:
    """A shallow clone's graft commits (their parents are missing) and the oldest one's author date."""

    commits: frozenset[str] = frozenset()
    starts_at: datetime | None = None


def shallow_boundary(repo_path: str, *, timeout: float = DEFAULT_TIMEOUT) -> ShallowBoundary:
    """Read the graft commits of a shallow clone (`.git/shallow`); an empty boundary for a full clone.

    A graft commit looks like one commit that added every file it holds: mining it would credit its
    author with the whole code base and count every line as churn on that day.
    """
    out = run_git(repo_path, ["rev-parse", "--is-shallow-repository", "--path-format=absolute", "--git-path",
                              "shallow"], timeout=timeout)
    flag, _, shallow_file = out.decode("utf-8", "surrogateescape").partition("\n")
    if flag.strip() != "true":
        return ShallowBoundary()
    try:
        with open(shallow_file.strip(), "rb") as handle:
            commits = frozenset(line.decode("ascii") for line in handle.read().split() if _OBJECT_NAME.fullmatch(line))
    except OSError as exc:
        raise GitError(f"the repository is shallow but its list of graft commits is unreadable: {exc}") from exc
    if not commits:
        return ShallowBoundary()
    stamps = run_git(repo_path, ["log", "--no-walk=unsorted", "--format=%at", *sorted(commits), "--"], timeout=timeout)
    times = [int(value) for value in stamps.split() if value.isdigit()]
    starts_at = datetime.fromtimestamp(min(times), tz=timezone.utc) if times else None
    return ShallowBoundary(commits=commits, starts_at=starts_at)
