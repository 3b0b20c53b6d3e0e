"""Blame lines of a repository's files at a scanned revision: one `git blame` per file, cached by blob.

Translates git failures into metrics errors. The cache (metrics.models.FileBlame) is keyed by repository,
path and blob id: a file whose content did not change is never blamed again (docs/scanning.md).
"""
import logging
import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from django.db import transaction

from metrics.conf import git_timeout
from metrics.core.blame import BlameLine, blame_lines
from metrics.core.errors import GitError
from metrics.data import BlameReport, BlameRequest
from metrics.errors import GitFailed
from metrics.models import FileBlame, Repository

logger = logging.getLogger(__name__)


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


def files_blame(*, repository: Repository, revision: str, requests: Sequence[BlameRequest], max_files: int,
                deadline: float) -> BlameReport:
    """Attribute the requested lines: from the cache, else one `git blame` per file (all its lines at once).

    Files with the most lines to attribute go first; at most `max_files` git runs, none started after
    `deadline` (time.monotonic()); files left over are reported deferred. Runs on every core in threads
    (the work is in the git processes); only this thread touches the database.
    """
    cached = _cache_load(repository, requests)
    found, missing = _split_cached(requests, cached)
    missing.sort(key=lambda pair: (-len(pair[1]), pair[0].path))
    deferred = [request.path for request, _wanted in missing[max_files:]]
    blamed, failed, late = _git_blame_all(repository, revision, missing[:max_files], deadline)
    for path, lines in blamed.items():
        found[path].update(lines)
    _cache_store(repository, [request for request, _wanted in missing if request.path in blamed], blamed, cached)
    return BlameReport(lines=found, failed=tuple(failed), deferred=tuple(deferred + late),
                       git_runs=len(blamed) + len(failed), cached=len(requests) - len(missing))


def _split_cached(requests: Sequence[BlameRequest], cached: dict[tuple[str, str], dict]
                  ) -> tuple[dict[str, dict[int, BlameLine]], list[tuple[BlameRequest, tuple[int, ...]]]]:
    """The lines the cache knows, by path; and the requests with the lines it does not."""
    found: dict[str, dict[int, BlameLine]] = {}
    missing: list[tuple[BlameRequest, tuple[int, ...]]] = []
    for request in requests:
        known = cached.get((request.path, request.blob_sha), {})
        found[request.path] = {line: known[line] for line in request.lines if line in known}
        wanted = tuple(line for line in request.lines if line not in known)
        if wanted:
            missing.append((request, wanted))
    return found, missing


def _git_blame_all(repository: Repository, revision: str, work: list[tuple[BlameRequest, tuple[int, ...]]],
                   deadline: float) -> tuple[dict[str, dict[int, BlameLine]], list[str], list[str]]:
    def blame(path: str, lines: tuple[int, ...]) -> dict[int, BlameLine] | None:
        if time.monotonic() > deadline:
            return None
        return file_blame_lines(repository=repository, revision=revision, path=path, lines=lines)

    blamed: dict[str, dict[int, BlameLine]] = {}
    failed: list[str] = []
    late: list[str] = []
    if not work:
        return blamed, failed, late
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="blame") as executor:
        futures = [(request.path, executor.submit(blame, request.path, lines)) for request, lines in work]
        for path, future in futures:
            try:
                result = future.result()
            except GitFailed as exc:
                logger.warning("marker attribution: %s", exc.message)
                failed.append(path)
                continue
            if result is None:
                late.append(path)
            else:
                blamed[path] = result
    return blamed, failed, late


def _cache_load(repository: Repository, requests: Sequence[BlameRequest]) -> dict[tuple[str, str], dict]:
    blobs = {request.blob_sha for request in requests if request.blob_sha}
    if not blobs:
        return {}
    wanted = {(request.path, request.blob_sha) for request in requests}
    rows = FileBlame.objects.filter(repository=repository, blob_sha__in=blobs).values_list("path", "blob_sha", "lines")
    return {(path, blob): _lines_from_json(lines) for path, blob, lines in rows.iterator() if (path, blob) in wanted}


def _cache_store(repository: Repository, requests: list[BlameRequest], blamed: dict[str, dict[int, BlameLine]],
                 cached: dict[tuple[str, str], dict]) -> None:
    rows = []
    for request in requests:
        if not request.blob_sha:
            continue
        merged = {**cached.get((request.path, request.blob_sha), {}), **blamed[request.path]}
        rows.append(FileBlame(repository=repository, path=request.path, blob_sha=request.blob_sha,
                              lines=_lines_as_json(merged)))
    if rows:
        with transaction.atomic():
            FileBlame.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                                          unique_fields=["repository", "path", "blob_sha"],
                                          update_fields=["lines", "updated_at"])


def _lines_as_json(lines: dict[int, BlameLine]) -> dict[str, list]:
    return {
        str(number): [line.sha, line.author_name, line.author_email,
                      int(line.authored_at.timestamp()) if line.authored_at is not None else None]
        for number, line in lines.items()
    }


def _lines_from_json(data: object) -> dict[int, BlameLine]:
    """The cached lines; a malformed entry is left out (it is blamed again)."""
    lines: dict[int, BlameLine] = {}
    for key, value in (data.items() if isinstance(data, dict) else ()):
        if not (str(key).isdigit() and isinstance(value, list) and len(value) == 4):
            continue
        sha, name, email, epoch = value
        when = datetime.fromtimestamp(epoch, tz=timezone.utc) if isinstance(epoch, int) else None
        lines[int(key)] = BlameLine(line=int(key), sha=str(sha), author_name=str(name), author_email=str(email),
                                    authored_at=when)
    return lines
