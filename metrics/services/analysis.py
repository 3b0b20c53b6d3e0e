"""Static analysis of a revision: list its files, analyse only uncached blobs on every core, store in bulk.

Results are content-addressed: a BlobAnalysis row per (blob id, fingerprint), shared by every scan and
repository holding that blob. A scan only adds SnapshotFile rows (path -> analysis) for its revision.
"""
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from django.db.models import Prefetch

from debtboard.db_locks import write_retrying
from debtboard.text import clean_text
from metrics.conf import analysis_workers
from metrics.core.analysis import TRANSIENT_ERROR_KINDS, AnalysisConfig, FileAnalysis, oversized_analysis
from metrics.core.block_memo import remembered
from metrics.core.blobs import BlobReader, FileEntry, FileListing, list_files
from metrics.core.errors import GitError, InvalidAnalysisConfig, InvalidObjectName, ObjectMissing, UnknownRevision
from metrics.core.file_classes import classify
from metrics.core.lint_settings import LintSettings, merge_lint_settings
from metrics.core.lint_settings_cache import commit_lint_settings
from metrics.core.markers import DEBT
from metrics.core.pool import analyze_blobs, worker_count
from metrics.core.shared_pool import take_prefetched
from metrics.data import LintSettingLine, RepositoryConfig, repository_config_from_json
from metrics.errors import GitFailed, RepositoryInvalid, RevisionNotFound
from metrics.models import BlobAnalysis, FunctionAnalysis, Marker, Repository, Scan, SnapshotFile, Violation
from metrics.services.analysis_rows import children_insert, number

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Key = tuple[str, str]  # blob id, fingerprint

LOOKUP_CHUNK = 900  # ids per IN (...) query: below SQLite's oldest variable limit
WRITE_CHUNK = 250  # analyses per write transaction while the pool keeps working
MAX_PATH = 1000  # SnapshotFile.path
MAX_ERROR = 2000
_BLOB_FIELDS = (
    "status", "error_kind", "error", "size_bytes", "loc", "lloc", "sloc", "comments", "multi", "blank",
    "single_comments", "mi", "mi_rank", "h_volume", "h_difficulty", "h_effort", "h_bugs", "total_complexity",
    "max_complexity", "function_count", "violation_count", "marker_count", "suppression_count", "duration_ms",
    "warnings", "is_generated",
)


@dataclass(frozen=True)
class SnapshotResult:
    """What one analysis of a revision did: files seen, blobs analysed or served from the cache."""

    files: int  # selected Python files (one SnapshotFile each)
    analysed: int  # blobs analysed now (cache misses)
    cached: int  # files whose blob's analysis was already stored
    errors: int  # files whose analysis is an error (syntax, encoding, timeout, ...)
    skipped_symlinks: int
    skipped_submodules: int
    excluded: int  # files an exclude glob left out (and paths too long to store)
    duration: float  # seconds


class RevisionFile(NamedTuple):
    """A file of an analysed revision with its stored analysis (functions, violations, markers prefetched)."""

    path: str
    blob_sha: str
    analysis: BlobAnalysis


@dataclass(frozen=True)
class RevisionAnalysis:
    """The result of `revision_analyze`: the commit, the counts and every file's analysis."""

    commit_sha: str
    result: SnapshotResult
    files: list[RevisionFile]


@dataclass
class _Stored:
    ids: dict[Key, tuple[int, bool]]  # key -> (BlobAnalysis id, is error)
    fresh: set[Key] = field(default_factory=set)  # keys analysed by this run


def analysis_config_from(*, config: RepositoryConfig, pinned: Iterable[str] | None = None) -> AnalysisConfig:
    """The analyser configuration of a repository configuration (RepositoryConfig.analysis_config)."""
    return config.analysis_config(pinned=pinned)


def analysis_config_for(*, repository: Repository) -> AnalysisConfig:
    """The analyser configuration stored on a repository (its stored keys are the pinned ones)."""
    return analysis_config_from(config=repository_config_from_json(repository.config),
                                pinned=list(repository.config or {}))


@dataclass(frozen=True)
class RevisionLintSettings:
    """The analyser configuration in force at a revision, and where each lint option came from."""

    config: AnalysisConfig
    lines: tuple[LintSettingLine, ...]
    ignored_keys: tuple[str, ...]


def lint_settings_at(*, config: AnalysisConfig, repo_path: str, commit_sha: str) -> RevisionLintSettings:
    """Apply the scanned repository's own flake8 settings at `commit_sha` (read from git objects) to `config`."""
    settings = LintSettings()
    if config.repository_lint_settings:
        try:
            settings = commit_lint_settings(str(repo_path), commit_sha)
        except GitError as exc:
            raise GitFailed(f"Reading the repository's flake8 settings failed: {exc}",
                            extra={"stderr": exc.stderr[:2000]}) from exc
        except InvalidObjectName as exc:
            raise RevisionNotFound(str(exc), extra={"revision": commit_sha}) from exc
    try:
        effective, origins = merge_lint_settings(config, settings)
    except InvalidAnalysisConfig as exc:  # a value the file gives that the analyser refuses: the file is left out
        logger.warning("flake8 settings in %s left out: %s", settings.source, exc)
        effective, origins = merge_lint_settings(config, LintSettings())
    lines = tuple(LintSettingLine(option=o.option, value=o.value[:200], source=o.source, engine=config.lint_engine)
                  for o in origins)
    return RevisionLintSettings(config=effective, lines=lines, ignored_keys=settings.ignored_keys)


def analysis_worker_count(workers: int | None) -> int:
    return analysis_workers() if workers is None else workers


def revision_listing(repo_path: str, revision: str, config: AnalysisConfig) -> FileListing:
    """The files of `revision` the analysis selects; listed once per block (a backfill's preparation and scan)."""
    if not Path(repo_path).is_dir():
        raise RepositoryInvalid(f"{repo_path} is not a directory.", extra={"path": str(repo_path)})
    include, exclude = tuple(config.include), tuple(config.exclude)
    try:
        return remembered(("listing", str(repo_path), revision, include, exclude),
                          partial(list_files, repo_path, revision, include=include, exclude=exclude))
    except UnknownRevision as exc:
        raise RevisionNotFound(str(exc), extra={"revision": revision}) from exc
    except GitError as exc:
        raise GitFailed(str(exc), extra={"stderr": exc.stderr[:2000]}) from exc


def _text(value: str, limit: int) -> str:
    # PostgreSQL refuses NUL in text; column widths are hard limits there.
    return clean_text(value, max_length=limit)


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def cached_analyses(keys: set[Key]) -> dict[Key, tuple[int, bool]]:
    """Stored analyses of these keys, skipping transient errors (a timeout is tried again)."""
    by_fingerprint: dict[str, list[str]] = {}
    for sha, fingerprint in keys:
        by_fingerprint.setdefault(fingerprint, []).append(sha)
    found: dict[Key, tuple[int, bool]] = {}
    for fingerprint, shas in by_fingerprint.items():
        for chunk in _chunks(sorted(shas), LOOKUP_CHUNK):
            rows = (
                BlobAnalysis.objects.filter(fingerprint=fingerprint, blob_sha__in=chunk)
                .exclude(error_kind__in=TRANSIENT_ERROR_KINDS)
                .values_list("blob_sha", "id", "status")
            )
            for sha, pk, status in rows:
                found[(sha, fingerprint)] = (pk, status == BlobAnalysis.Status.ERROR)
    return found


def _blob_row(sha: str, fingerprint: str, analysis: FileAnalysis) -> BlobAnalysis:
    debt = sum(1 for marker in analysis.markers if marker.kind == DEBT)
    return BlobAnalysis(
        blob_sha=sha, fingerprint=fingerprint, status=analysis.status, error_kind=analysis.error_kind,
        error=_text(analysis.error, MAX_ERROR), size_bytes=analysis.size_bytes,
        loc=analysis.loc, lloc=analysis.lloc, sloc=analysis.sloc, comments=analysis.comments,
        multi=analysis.multi, blank=analysis.blank, single_comments=analysis.single_comments,
        mi=number(analysis.mi), mi_rank=analysis.mi_rank,
        h_volume=number(analysis.h_volume) or 0.0, h_difficulty=number(analysis.h_difficulty) or 0.0,
        h_effort=number(analysis.h_effort) or 0.0, h_bugs=number(analysis.h_bugs) or 0.0,
        total_complexity=analysis.total_complexity, max_complexity=analysis.max_complexity,
        function_count=len(analysis.functions), violation_count=len(analysis.violations),
        marker_count=debt, suppression_count=len(analysis.markers) - debt,
        duration_ms=min(analysis.duration_ms, 2**31 - 1), warnings=_text("\n".join(analysis.warnings), MAX_ERROR),
        is_generated=analysis.generated,
    )


def _store(results: list[tuple[Key, FileAnalysis]]) -> dict[Key, tuple[int, bool]]:
    """Upsert analyses and replace their children in one short transaction (retried on a lock); return their ids.

    An upsert rather than insert-ignore: two scans may analyse the same blob at once, and a row one of
    them did not insert must not get a second set of children. The upsert locks the row, so the later
    writer replaces the whole analysis (same content, same result) and its children consistently.
    Rows are written in key order so concurrent writers lock them in the same order.
    """
    return write_retrying(partial(_store_once, sorted(results, key=lambda item: item[0])))


def _store_once(results: list[tuple[Key, FileAnalysis]]) -> dict[Key, tuple[int, bool]]:
    # The rows are built inside the transaction: a try after a rollback must not reuse the ids it had.
    rows = [_blob_row(sha, fingerprint, analysis) for (sha, fingerprint), analysis in results]
    BlobAnalysis.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["blob_sha", "fingerprint"], update_fields=list(_BLOB_FIELDS),
    )
    if not all(row.pk for row in rows):  # databases that cannot return ids from an upsert
        ids = _ids_of({key for key, _ in results})
        for row in rows:
            row.pk = ids[(row.blob_sha, row.fingerprint)]
    blob_ids = [row.pk for row in rows]
    for model in (FunctionAnalysis, Violation, Marker):
        model.objects.filter(blob_id__in=blob_ids).delete()
    children_insert((row.pk, analysis) for row, (_, analysis) in zip(rows, results))
    return {(row.blob_sha, row.fingerprint): (row.pk, row.status == BlobAnalysis.Status.ERROR) for row in rows}


def _ids_of(keys: set[Key]) -> dict[Key, int]:
    found: dict[Key, int] = {}
    for fingerprint in {fp for _, fp in keys}:
        shas = sorted(sha for sha, fp in keys if fp == fingerprint)
        for chunk in _chunks(shas, LOOKUP_CHUNK):
            for sha, pk in BlobAnalysis.objects.filter(fingerprint=fingerprint, blob_sha__in=chunk).values_list(
                "blob_sha", "id"
            ):
                found[(sha, fingerprint)] = pk
    return found


def _contents(
    reader: BlobReader, entries: Iterable[FileEntry], missing: list[tuple[str, FileAnalysis]]
) -> Iterator[tuple[str, str, bytes]]:
    for entry in entries:
        try:
            yield entry.path, entry.blob_sha, reader.read(entry.blob_sha)
        except ObjectMissing as exc:  # a partial or damaged clone: that file's error, not the run's
            missing.append((entry.blob_sha, FileAnalysis.failed(entry.path, entry.size, "missing", str(exc))))


class _Writer:
    """Buffers analyses coming out of the pool and writes them in chunks while the pool keeps working."""

    def __init__(self, stored: _Stored, config: AnalysisConfig) -> None:
        self.stored = stored
        self.config = config
        self.pending: list[tuple[Key, FileAnalysis]] = []

    def add(self, results: Iterable[tuple[str, FileAnalysis]]) -> None:
        for sha, analysis in results:
            self.pending.append(((sha, self.config.fingerprint_for(analysis.path)), analysis))
            if len(self.pending) >= WRITE_CHUNK:
                self.flush()

    def flush(self) -> None:
        if self.pending:
            self.stored.ids.update(_store(self.pending))
            self.stored.fresh.update(key for key, _ in self.pending)
            self.pending.clear()


def _misses(listing: FileListing, config: AnalysisConfig, stored: _Stored) -> list[FileEntry]:
    """One file per cache key missing from the store."""
    todo: dict[Key, FileEntry] = {}
    for entry in listing.files:
        key = (entry.blob_sha, config.fingerprint_for(entry.path))
        if key not in stored.ids:
            todo.setdefault(key, entry)
    return list(todo.values())


def _with_prefetched(
    todo: list[FileEntry], config: AnalysisConfig, writer: _Writer, progress: Progress | None
) -> list[FileEntry]:
    """Hand `writer` the analyses of `todo` started ahead (revisions_prepare); return the rest.

    They are stored as they come, and counted as the stage's progress (a full scan's may take a while).
    """
    keys = {(entry.blob_sha, config.fingerprint_for(entry.path)): entry for entry in todo}
    taken: set[Key] = set()

    def results() -> Iterator[tuple[str, FileAnalysis]]:
        for key, analysis in take_prefetched(keys):
            taken.add(key)
            if progress is not None:
                progress(len(taken), len(keys))
            yield key[0], analysis

    writer.add(results())
    return [entry for key, entry in keys.items() if key not in taken]


def analyse_missing(
    listing: FileListing, repo_path: str, config: AnalysisConfig, workers: int, progress: Progress | None
) -> _Stored:
    """Analyse the listing's blobs missing from the cache and store them; return every file's key -> id."""
    keys = {(entry.blob_sha, config.fingerprint_for(entry.path)) for entry in listing.files}
    stored = _Stored(ids=cached_analyses(keys))
    todo = _misses(listing, config, stored)
    if not todo:
        return stored
    writer = _Writer(stored, config)
    todo = _with_prefetched(todo, config, writer, progress)
    writer.add((e.blob_sha, oversized_analysis(e.path, e.size, config)) for e in todo if e.size > config.max_file_bytes)
    # Largest first: the pool's last tasks are then small ones and every core finishes at about the same time.
    readable = sorted((e for e in todo if e.size <= config.max_file_bytes), key=lambda e: -e.size)
    if readable:  # none left when a backfill's prefetch or the size limit covered them all: no pool to start
        writer.add(_analysed(readable, repo_path, config, workers, progress))
    writer.flush()
    return stored


def _analysed(
    readable: list[FileEntry], repo_path: str, config: AnalysisConfig, workers: int, progress: Progress | None
) -> Iterator[tuple[str, FileAnalysis]]:
    """Analyse these files' blobs on the pool, yielding results as they come (the writer stores them in chunks
    while the pool works); blobs git no longer has come last, recorded as `missing`."""
    missing: list[tuple[str, FileAnalysis]] = []
    try:
        # Never more processes than files: a scan that changed one file starts one worker, not one per core.
        workers = min(worker_count(workers), max(1, len(readable)))
        with BlobReader(repo_path) as reader:
            yield from analyze_blobs(_contents(reader, readable, missing), config, workers=workers,
                                     progress=progress, total=len(readable))
    except GitError as exc:
        raise GitFailed(f"Reading file contents from git failed: {exc}", extra={"stderr": exc.stderr[:2000]}) from exc
    yield from missing


def _result(listing: FileListing, stored: _Stored, keys: list[Key], started: float) -> SnapshotResult:
    return SnapshotResult(
        files=len(keys), analysed=len(stored.fresh), cached=sum(1 for key in keys if key not in stored.fresh),
        errors=sum(1 for key in keys if stored.ids[key][1]),
        skipped_symlinks=listing.skipped_symlinks, skipped_submodules=listing.skipped_submodules,
        excluded=listing.excluded + len(listing.files) - len(keys), duration=time.perf_counter() - started,
    )


def _storable(listing: FileListing, config: AnalysisConfig) -> list[tuple[FileEntry, Key]]:
    """The files to record with their cache keys (paths too long for the column are left out)."""
    files = [(entry, (entry.blob_sha, config.fingerprint_for(entry.path)))
             for entry in listing.files if len(entry.path) <= MAX_PATH]
    if len(files) != len(listing.files):
        logger.warning("%d paths longer than %d characters were left out", len(listing.files) - len(files), MAX_PATH)
    return files


def snapshot_analyze(
    *,
    scan: Scan,
    repo_path: str,
    commit_sha: str,
    config: AnalysisConfig,
    workers: int | None = None,
    progress: Progress | None = None,
) -> SnapshotResult:
    """Analyse the Python files of a scan's commit (cache misses only) and record the scan's files.

    Idempotent: a second run for the same scan replaces its SnapshotFile rows.
    """
    started = time.perf_counter()
    listing = revision_listing(repo_path, commit_sha, config)
    config = lint_settings_at(config=config, repo_path=repo_path, commit_sha=listing.commit_sha).config
    stored = analyse_missing(listing, repo_path, config, analysis_worker_count(workers), progress)
    files = _storable(listing, config)
    generated = _generated_ids({stored.ids[key][0] for _, key in files})
    snapshot = []
    for entry, key in files:
        analysis_id = stored.ids[key][0]
        snapshot.append((entry.path, entry.blob_sha, analysis_id,
                         _file_class(entry.path, analysis_id in generated, config)))
    write_retrying(partial(_snapshot_files_replace, scan, snapshot))
    return _result(listing, stored, [key for _, key in files], started)


def _generated_ids(ids: set[int]) -> set[int]:
    """The analyses among `ids` whose file says it is generated."""
    found: set[int] = set()
    for chunk in _chunks(sorted(ids), LOOKUP_CHUNK):
        found.update(BlobAnalysis.objects.filter(pk__in=chunk, is_generated=True).values_list("pk", flat=True))
    return found


def _file_class(path: str, generated: bool, config: AnalysisConfig) -> str:
    return classify(path, generated_header=generated, test_globs=config.test_globs,
                    generated_globs=config.generated_globs, vendored_globs=config.vendored_globs,
                    migration_globs=config.migration_globs)


def _snapshot_files_replace(scan: Scan, files: list[tuple[str, str, int, str]]) -> None:
    """Replace the scan's SnapshotFile rows with (path, blob id, analysis id, class) ones (one transaction)."""
    SnapshotFile.objects.filter(scan=scan).delete()
    SnapshotFile.objects.bulk_create(
        [SnapshotFile(scan=scan, path=path, blob_sha=sha, analysis_id=analysis_id, file_class=file_class)
         for path, sha, analysis_id, file_class in files],
        batch_size=2000,
    )


def revision_analyze(
    *,
    repo_path: str,
    revision: str = "HEAD",
    config: AnalysisConfig,
    workers: int | None = None,
    progress: Progress | None = None,
) -> RevisionAnalysis:
    """Analyse a revision of a repository without a scan (for the CLI); stored analyses are reused."""
    started = time.perf_counter()
    listing = revision_listing(repo_path, revision, config)
    config = lint_settings_at(config=config, repo_path=repo_path, commit_sha=listing.commit_sha).config
    stored = analyse_missing(listing, repo_path, config, analysis_worker_count(workers), progress)
    files = _storable(listing, config)
    analyses: dict[int, BlobAnalysis] = {}
    for chunk in _chunks(sorted({stored.ids[key][0] for _, key in files}), LOOKUP_CHUNK):
        analyses.update(_with_children(chunk))
    return RevisionAnalysis(
        commit_sha=listing.commit_sha,
        result=_result(listing, stored, [key for _, key in files], started),
        files=[RevisionFile(entry.path, entry.blob_sha, analyses[stored.ids[key][0]]) for entry, key in files],
    )


def _with_children(ids: list[int]) -> dict[int, BlobAnalysis]:
    queryset = BlobAnalysis.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("functions", queryset=FunctionAnalysis.objects.order_by("lineno", "id")),
        Prefetch("violations", queryset=Violation.objects.order_by("line", "column", "id")),
        Prefetch("markers", queryset=Marker.objects.order_by("line", "id")),
    )
    return {analysis.pk: analysis for analysis in queryset}
