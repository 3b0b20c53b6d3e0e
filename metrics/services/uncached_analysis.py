"""Analysis of a revision with no database: for `debtboard analyze` on a CI runner or a laptop with no migrations.

The blob cache (BlobAnalysis rows) is an optimisation of the server. Without a migrated database every
file is analysed each time, in memory; nothing is stored and no table is created.
"""
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection

from metrics.core.analysis import AnalysisConfig, FileAnalysis
from metrics.core.blobs import list_files
from metrics.core.change_analysis import analyze_sides
from metrics.core.errors import GitError, UnknownRevision
from metrics.errors import GitFailed, RepositoryInvalid, RevisionNotFound
from metrics.models import BlobAnalysis


@dataclass(frozen=True)
class UncachedAnalysis:
    """Every selected file of a revision with its analysis, computed now."""

    commit_sha: str
    files: list[tuple[str, str, FileAnalysis]]  # path, blob id, analysis
    excluded: int
    skipped_symlinks: int
    skipped_submodules: int
    duration: float


def analysis_cache_available() -> bool:
    """True when the database holds the analysis cache's table; never creates a database file to find out."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        name = str(settings["NAME"])
        if name != ":memory:" and not name.startswith("file:") and not Path(name).is_file():
            return False
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except DatabaseError:
        return False
    return BlobAnalysis._meta.db_table in tables


def revision_analyze_uncached(*, repo_path: str, revision: str, config: AnalysisConfig,
                              workers: int | None = None) -> UncachedAnalysis:
    """Analyse the Python files of a revision in memory (no cache, nothing stored)."""
    started = time.perf_counter()
    if not Path(repo_path).is_dir():
        raise RepositoryInvalid(f"{repo_path} is not a directory.", extra={"path": str(repo_path)})
    try:
        listing = list_files(repo_path, revision, include=config.include, exclude=config.exclude)
        sides = [(entry.path, entry.blob_sha) for entry in listing.files]
        analyses = analyze_sides(repo_path, sides, config, workers=workers or 0)
    except UnknownRevision as exc:
        raise RevisionNotFound(str(exc), extra={"revision": revision}) from exc
    except GitError as exc:
        raise GitFailed(str(exc), extra={"stderr": exc.stderr[:2000]}) from exc
    return UncachedAnalysis(
        commit_sha=listing.commit_sha, files=[(path, sha, analyses[(path, sha)]) for path, sha in sides],
        excluded=listing.excluded, skipped_symlinks=listing.skipped_symlinks,
        skipped_submodules=listing.skipped_submodules, duration=time.perf_counter() - started,
    )
