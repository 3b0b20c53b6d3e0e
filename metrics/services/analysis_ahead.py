"""Analyses started ahead of the scans that need them: a backfill's past revisions' changed files.

`revisions_prepare` lists each backfilled commit and starts its file versions the cache lacks on the
shared pool (metrics.core.shared_pool) as soon as it is listed; each scan then takes its own results
(metrics.services.analysis, `take_prefetched`). docs/scanning.md, "Backfill".
"""
from collections.abc import Iterable

from metrics.core.analysis import AnalysisConfig
from metrics.core.blobs import BlobReader, FileEntry, FileListing
from metrics.core.errors import GitError, ObjectMissing
from metrics.core.pool_background import warm_up
from metrics.core.shared_pool import can_prefetch, prefetch
from metrics.errors import GitFailed
from metrics.services.analysis import (
    Key,
    Progress,
    analyse_missing,
    analysis_worker_count,
    cached_analyses,
    lint_settings_at,
    revision_listing,
)


def revisions_prepare(
    *,
    repo_path: str,
    commit_shas: Iterable[str],
    config: AnalysisConfig,
    workers: int | None = None,
    progress: Progress | None = None,
    warm: bool = True,
) -> int:
    """Analyse every file of the commits that the cache lacks; return how many files that is.

    For a backfill: each past revision changes a few files, and analysing them revision by revision
    leaves a core idle and pays the pool's start, the blob reader and a write per revision. Within a
    `shared_pool` block each commit's new files are only *started* on the pool as soon as that commit is
    listed (`metrics.core.shared_pool.prefetch`, in the order given), and each scan takes its own results as it
    comes to them: the workers analyse while this process scores the revisions before. Otherwise they
    are analysed here, in one pooled run. Each commit's own lint settings apply, as in its scan. With
    `warm`, the pool starts before the first listing (a backfill has files to analyse, nearly always);
    without, only once a file needs it (a live scan's rescan often has none).
    """
    ahead = can_prefetch()
    if ahead and warm:  # the pool's processes and flake8's set-up get ready while the first commit is listed
        warm_up(config, workers=analysis_worker_count(workers) or None)
    seen: set[Key] = set()
    waiting: dict[AnalysisConfig, dict[Key, FileEntry]] = {}  # no shared pool: analysed here at the end
    count = 0
    for sha in commit_shas:
        listing = revision_listing(repo_path, sha, config)
        at = lint_settings_at(config=config, repo_path=repo_path, commit_sha=listing.commit_sha).config
        todo = _uncached_new(listing, at, seen)
        count += len(todo)
        if ahead:
            _prefetch(todo, repo_path, at, workers)
        else:
            waiting.setdefault(at, {}).update(todo)
    for at, todo in waiting.items():
        if not todo:
            continue
        listing = FileListing(commit_sha="", files=tuple(todo.values()))
        analyse_missing(listing, repo_path, at, analysis_worker_count(workers), progress)
    return count


def _uncached_new(listing: FileListing, config: AnalysisConfig, seen: set[Key]) -> dict[Key, FileEntry]:
    """The listing's files not in `seen` (which it joins) nor in the cache, and not too large to analyse."""
    new = {}
    for entry in listing.files:
        key = (entry.blob_sha, config.fingerprint_for(entry.path))
        if key not in seen and entry.size <= config.max_file_bytes:
            seen.add(key)
            new[key] = entry
    stored = cached_analyses(set(new))
    return {key: entry for key, entry in new.items() if key not in stored}


def _prefetch(todo: dict[Key, FileEntry], repo_path: str, config: AnalysisConfig, workers: int | None) -> None:
    """Start the analysis of `todo` on the shared pool; blobs git cannot read are left to the scans."""
    if not todo:
        return
    items: list[tuple[Key, tuple[str, str, bytes]]] = []
    try:
        with BlobReader(repo_path) as reader:
            for key, entry in todo.items():
                try:
                    items.append((key, (entry.path, entry.blob_sha, reader.read(entry.blob_sha))))
                except ObjectMissing:
                    continue
    except GitError as exc:
        raise GitFailed(f"Reading file contents from git failed: {exc}", extra={"stderr": exc.stderr[:2000]}) from exc
    # Largest first: the revision's scan waits for the last of its files, and a long file started last
    # would leave the other workers idle meanwhile (on flask, tests/test_basic.py takes a quarter of
    # the oldest revision's analysis).
    items.sort(key=lambda item: len(item[1][2]), reverse=True)
    prefetch(items, config, workers=analysis_worker_count(workers) or None)
