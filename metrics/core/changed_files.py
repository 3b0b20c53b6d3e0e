"""The changed files of a change, from git itself: renames, deletions and blob ids of both sides.

A change is `base..head` (two commits) or the index against HEAD (`staged`, for a pre-commit hook). Both
are read with one `git diff --raw -z -M --no-abbrev`, which gives each file's status, its old and new path
and the blob ids of both sides, so nothing is read from the work tree.
"""
import os
from collections.abc import Iterable
from dataclasses import dataclass

from metrics.core.errors import GitError
from metrics.core.gitcmd import run_git
from metrics.core.globs import is_selected

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's empty tree (SHA-1): the base of a first commit
REGULAR_MODES = frozenset({"100644", "100755"})  # symlinks and submodules are never read
_NULL_BLOB = frozenset({"0" * 40, "0" * 64})
_PAIRED = ("R", "C")  # statuses that carry two paths

Repo = str | os.PathLike[str]


class ChangeRangeError(GitError):
    """The change cannot be computed: a base that does not exist, no common history, a shallow checkout."""


@dataclass(frozen=True, slots=True)
class ChangedFile:
    """One changed file: status letter (A, M, D, R, C, T), paths, and the blob ids of both sides ("": absent)."""

    status: str
    path: str  # the file's path after the change (before it, for a deletion)
    old_path: str  # the path before a rename or copy; else "" (same as path)
    old_blob: str
    new_blob: str

    @property
    def deleted(self) -> bool:
        return not self.new_blob

    @property
    def added(self) -> bool:
        return not self.old_blob


def _blob(mode: str, sha: str) -> str:
    return sha if mode in REGULAR_MODES and sha not in _NULL_BLOB else ""


def _entry(meta: str, paths: list[str]) -> ChangedFile | None:
    old_mode, new_mode, old_sha, new_sha, status = meta.lstrip(":").split()
    old_blob, new_blob = _blob(old_mode, old_sha), _blob(new_mode, new_sha)
    if not old_blob and not new_blob:
        return None  # a symlink or submodule on both sides
    letter = status[0]
    if letter in _PAIRED:
        return ChangedFile(letter, paths[1], paths[0] if paths[0] != paths[1] else "", old_blob, new_blob)
    return ChangedFile(letter, paths[0], "", old_blob, new_blob)


def parse_raw_diff(output: bytes) -> list[ChangedFile]:
    """Parse `git diff --raw -z --no-abbrev` output (paths decoded as UTF-8, invalid bytes kept readable)."""
    fields = output.split(b"\0")
    changes: list[ChangedFile] = []
    index = 0
    while index < len(fields) and fields[index]:
        meta = fields[index].decode("ascii")
        count = 2 if meta.split()[-1][0] in _PAIRED else 1
        paths = [raw.decode("utf-8", "replace") for raw in fields[index + 1:index + 1 + count]]
        index += 1 + count
        entry = _entry(meta, paths)
        if entry is not None:
            changes.append(entry)
    return changes


def select_changes(
    changes: Iterable[ChangedFile], *, include: Iterable[str], exclude: Iterable[str]
) -> list[ChangedFile]:
    """The changes whose path (or old path) the analyser's globs select, in path order."""
    include, exclude = tuple(include), tuple(exclude)

    def selected(change: ChangedFile) -> bool:
        paths = (change.path, change.old_path) if change.old_path else (change.path,)
        return any(is_selected(path, include=include, exclude=exclude) for path in paths)

    return sorted(filter(selected, changes), key=lambda change: change.path)


def _valid_revision(revision: str) -> str:
    if not revision or revision.startswith("-") or any(char in revision for char in "\x00\n\r"):
        raise ChangeRangeError(f"{revision!r} is not a revision debtboard accepts")
    return revision


def is_shallow(repo: Repo) -> bool:
    """True for a shallow clone (history cut off at a graft commit)."""
    return run_git(repo, ["rev-parse", "--is-shallow-repository"]).strip() == b"true"


def _fetch_hint(repo: Repo) -> str:
    if not is_shallow(repo):
        return ""
    return (" This checkout is a shallow clone: fetch the base's history first (`git fetch --deepen=200` or "
            "`git fetch --unshallow`; GitHub Actions: `actions/checkout` with `fetch-depth: 0`; GitLab CI: "
            "`GIT_DEPTH: 0`).")


def commit_of(repo: Repo, revision: str) -> str:
    """The full commit id of a revision; ChangeRangeError (with a fetch hint in a shallow clone) if unknown."""
    try:
        output = run_git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options",
                                f"{_valid_revision(revision)}^{{commit}}"])
    except GitError as exc:
        if exc.returncode == 1 and not exc.stderr:
            hint = _fetch_hint(repo)
            raise ChangeRangeError(f"The revision {revision!r} does not exist in this checkout.{hint}") from None
        raise
    return output.decode("ascii").strip()


def merge_base(repo: Repo, base: str, head: str) -> str:
    """The commit `head` forked from `base` (their best common ancestor), as `git diff base...head` uses it."""
    base_sha, head_sha = commit_of(repo, base), commit_of(repo, head)
    try:
        return run_git(repo, ["merge-base", base_sha, head_sha]).decode("ascii").strip()
    except GitError as exc:
        if exc.returncode == 1:
            hint = _fetch_hint(repo)
            raise ChangeRangeError(f"{base!r} and {head!r} have no common history in this checkout.{hint}") from None
        raise


def changed_between(repo: Repo, base_sha: str, head_sha: str) -> list[ChangedFile]:
    """The files changed from commit `base_sha` to commit `head_sha`, renames detected."""
    return parse_raw_diff(run_git(repo, ["diff", "--raw", "-z", "-M", "--no-abbrev", base_sha, head_sha, "--"]))


def changed_in_index(repo: Repo, base_sha: str) -> list[ChangedFile]:
    """The files the index (what `git commit` would record) changes against commit `base_sha`."""
    return parse_raw_diff(run_git(repo, ["diff", "--cached", "--raw", "-z", "-M", "--no-abbrev", base_sha, "--"]))


def head_or_empty_tree(repo: Repo) -> str:
    """HEAD's commit id, or the empty tree in a repository with no commit yet (its first commit is staged)."""
    try:
        return commit_of(repo, "HEAD")
    except ChangeRangeError:
        return EMPTY_TREE


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """Who made a commit and on what it sits."""

    sha: str
    parent: str  # first parent ("" for a root commit)
    author_name: str
    author_email: str


def commit_info(repo: Repo, revision: str) -> CommitInfo:
    """The commit id, first parent and author of a revision."""
    sha = commit_of(repo, revision)
    output = run_git(repo, ["log", "-1", "--no-mailmap", "--format=%H%x00%P%x00%an%x00%ae", sha, "--"])
    full, parents, name, email = output.decode("utf-8", "replace").rstrip("\n").split("\0")
    return CommitInfo(full, (parents.split() or [""])[0], name, email)


def current_branch(repo: Repo) -> str:
    """The checked-out branch's short name ("" when HEAD is detached, as in most CI checkouts)."""
    try:
        name = run_git(repo, ["rev-parse", "--abbrev-ref", "HEAD"]).decode("utf-8", "replace").strip()
    except GitError:
        return ""
    return "" if name == "HEAD" else name


def default_base(repo: Repo, default_branch: str = "") -> str:
    """The base a change is compared from: `origin/<default branch>` when it exists, else `origin/HEAD`."""
    candidates = []
    if default_branch and default_branch != "HEAD":
        candidates += [f"origin/{default_branch}", default_branch]
    candidates.append("origin/HEAD")
    for candidate in candidates:
        try:
            commit_of(repo, candidate)
        except ChangeRangeError:
            continue
        return candidate
    raise ChangeRangeError(
        f"No base to compare with: none of {', '.join(candidates)} exists here. Pass --base REV "
        "(e.g. --base origin/main), or fetch the default branch (`git fetch origin main`)."
    )
