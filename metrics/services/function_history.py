"""One function over time: its complexity and change count at each scan, and the commits that changed it.

Scans store each function's figures (FunctionAnalysis per blob, FunctionScore per scan), so the first
part is two queries. Which commits changed a function is not stored (scoring counts changes without
keeping the commits), so it is worked out on demand from git for that one file: one `git log -p -U0`
of the file from the scanned commit, walking the function's line span back through each commit's hunks
(metrics.core.function_changes), under a wall-clock limit. The file's name is followed as it is at the
scan: a rename ends the walk (the commit that created the name is the last one listed).
"""
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from metrics.core.errors import GitError, GitTimeout
from metrics.core.function_changes import span_touched, translate_span
from metrics.core.git_history import iter_hunks
from metrics.models import Commit, FunctionAnalysis, FunctionScore, Repository, Scan
from metrics.selectors.repositories import scan_trend
from metrics.services.repositories import core_error_translate, repository_path

GIT_SECONDS = 10.0  # wall-clock limit of the one git process that reads the file's history
MAX_COMMITS = 500  # the commits listed at most
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class FunctionScanPoint:
    """A function at one finished scan: its span and complexity, and its changes where that scan scored it."""

    scan_id: int
    committed_at: datetime
    commit_sha: str
    is_backfill: bool
    lineno: int
    endline: int
    complexity: int
    changes: int | None


@dataclass(frozen=True)
class FunctionCommit:
    """A commit that changed a function's lines."""

    sha: str
    author: str
    authored_at: datetime | None
    subject: str


@dataclass(frozen=True)
class FunctionCommits:
    """The commits that changed a function, newest first, and whether the walk was cut short."""

    commits: tuple[FunctionCommit, ...]
    complete: bool
    note: str = ""


def function_history_list(*, repository: Repository, path: str, qualname: str,
                          window_days: int) -> list[FunctionScanPoint]:
    """A function across the repository's finished scans that hold its file (two queries, any scan count)."""
    trend = scan_trend(repository=repository)
    rows = FunctionAnalysis.objects.filter(
        blob__snapshotfile_set__scan__in=trend, blob__snapshotfile_set__path=path, qualname=qualname,
    ).values_list("blob__snapshotfile_set__scan_id", "lineno", "endline", "complexity").order_by("lineno")
    spans: dict[int, tuple[int, int, int]] = {}
    for scan_id, lineno, endline, complexity in rows:
        spans.setdefault(scan_id, (lineno, endline, complexity))  # a repeated qualname: the first one
    changes = dict(FunctionScore.objects.filter(
        scan__in=trend, window_days=window_days, path=path, qualname=qualname,
    ).values_list("scan_id", "changes"))
    points = []
    for scan_id, committed_at, sha, is_backfill in trend.values_list("id", "committed_at", "commit_sha", "is_backfill"):
        if scan_id in spans:
            lineno, endline, complexity = spans[scan_id]
            points.append(FunctionScanPoint(
                scan_id=scan_id, committed_at=committed_at, commit_sha=sha or "", is_backfill=is_backfill,
                lineno=lineno, endline=endline, complexity=complexity, changes=changes.get(scan_id),
            ))
    return points


def _changing_shas(repo_path: str, revision: str, path: str, span: tuple[int, int]) -> tuple[list[str], bool]:
    """The commits (newest first) whose hunks touch the span as it moves back through the file's history."""
    shas: list[str] = []
    start, end = span
    for diff in iter_hunks(repo_path, revision, pathspecs=[f":(literal){path}"], timeout=GIT_SECONDS):
        hunks = [hunk for item in diff.files if item.path == path for hunk in item.hunks]
        if not hunks:
            continue
        if span_touched(start, end, hunks):
            shas.append(diff.sha)
            if len(shas) >= MAX_COMMITS:
                return shas, False
        moved = translate_span(start, end, hunks)
        if moved is None:  # this commit wrote the whole function
            break
        start, end = moved
    return shas, True


def _walk(repository: Repository, scan: Scan, path: str, span: tuple[int, int]) -> tuple[list[str], bool, str]:
    try:
        shas, complete = _changing_shas(repository_path(repository=repository), scan.commit_sha, path, span)
    except GitTimeout:
        return [], False, f"Reading the file's history took longer than {GIT_SECONDS:.0f} s and was stopped."
    except GitError as exc:
        raise core_error_translate(exc) from exc
    return shas, complete, "" if complete else f"Only the newest {MAX_COMMITS} commits are listed."


def function_commit_list(*, repository: Repository, scan: Scan, path: str, qualname: str) -> FunctionCommits:
    """The commits that changed `qualname` in `path`, up to `scan`'s commit, newest first (from git, cached).

    Raise GitFailed when git cannot read the repository; a walk over the time limit returns what it
    found with `complete` False and a note.
    """
    function = FunctionAnalysis.objects.filter(
        blob__snapshotfile_set__scan=scan, blob__snapshotfile_set__path=path, qualname=qualname,
    ).order_by("lineno").values_list("lineno", "endline").first()
    if function is None:
        return FunctionCommits(commits=(), complete=True, note="The function is not in the scanned revision.")
    key = f"function-commits:{scan.pk}:{scan.commit_sha}:{path}:{qualname}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    shas, complete, note = _walk(repository, scan, path, (function[0], max(function)))
    known = {sha: (author, when, subject) for sha, author, when, subject in Commit.objects.filter(
        repository=repository, sha__in=shas).values_list("sha", "author_name", "authored_at", "subject")}
    commits = tuple(FunctionCommit(sha, *known.get(sha, ("", None, ""))) for sha in shas)
    result = FunctionCommits(commits=commits, complete=complete, note=note)
    if complete or note:
        cache.set(key, result, CACHE_SECONDS)
    return result
