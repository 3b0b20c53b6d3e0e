"""Analyse the two sides of a change's files: the blobs git names, never the work tree, no database."""
import os
from collections.abc import Iterable
from dataclasses import replace

from metrics.core.analysis import AnalysisConfig, FileAnalysis, analyze_source, is_package_init, oversized_analysis
from metrics.core.blobs import BlobReader
from metrics.core.changed_files import ChangedFile
from metrics.core.pool import analyze_blobs, analyze_within_time_limit

# Up to this many files are analysed in this process: starting a pool costs more than it saves.
INLINE_FILES = 12

Side = tuple[str, str]  # (path, blob id)


def change_sides(changes: Iterable[ChangedFile], *, before: bool) -> list[Side]:
    """The (path, blob) pairs to analyse: every file after the change, and before it when `before`."""
    sides: list[Side] = []
    for change in changes:
        if change.new_blob:
            sides.append((change.path, change.new_blob))
        if before and change.old_blob:
            sides.append((change.old_path or change.path, change.old_blob))
    return list(dict.fromkeys(sides))


def _analysed(items: list[tuple[str, str, bytes]], config: AnalysisConfig, workers: int) -> dict[Side, FileAnalysis]:
    if len(items) <= INLINE_FILES or workers == 1:
        return {(path, sha): analyze_within_time_limit(path, data, config, analyze_source) for path, sha, data in items}
    # The pool answers once per blob and variant (an __init__.py is analysed as such): map back to every path.
    by_blob = {(sha, is_package_init(analysis.path)): analysis
               for sha, analysis in analyze_blobs(items, config, workers=workers)}
    return {(path, sha): replace(by_blob[(sha, is_package_init(path))], path=path) for path, sha, _ in items}


def analyze_sides(repo: str | os.PathLike[str], sides: list[Side], config: AnalysisConfig, *,
                  workers: int = 0) -> dict[Side, FileAnalysis]:
    """Analyse each (path, blob) with the analyser's settings; a file too big is that file's error."""
    results: dict[Side, FileAnalysis] = {}
    items: list[tuple[str, str, bytes]] = []
    with BlobReader(repo) as reader:
        for path, sha in sides:
            data = reader.read(sha)
            if len(data) > config.max_file_bytes:
                results[(path, sha)] = oversized_analysis(path, len(data), config)
            else:
                items.append((path, sha, data))
    results.update(_analysed(items, config, workers))
    return results
