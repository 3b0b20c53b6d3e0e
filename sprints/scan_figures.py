"""One repository's files in a scope at one scan, as the sprints app's frozen ScanFigures."""
from collections.abc import Sequence

from metrics.selectors.scope_figures import scan_brief, scope_file_figures, scope_top_function_complexities
from sprints.data import FileFigures, ScanFigures


def scan_figures(repository_id: int, scan_id: int, prefixes: Sequence[str]) -> ScanFigures:
    """The files under `prefixes` at the scan, with the complexities of the top 10 functions there."""
    brief = scan_brief(scan_id=scan_id)
    files = tuple(FileFigures(path=f.path, complexity=f.complexity, max_function_complexity=f.max_function_complexity,
                              violations=f.violations, markers=f.markers, cleanup_markers=f.cleanup_markers,
                              health=f.health, hotspot_score=f.hotspot_score)
                  for f in scope_file_figures(scan_id=scan_id, prefixes=prefixes))
    top = tuple(scope_top_function_complexities(scan_id=scan_id, prefixes=prefixes))
    return ScanFigures(repository_id=repository_id, scan_id=scan_id, commit_sha=brief.commit_sha if brief else "",
                       committed_at=brief.committed_at if brief else None, files=files, top_function_complexities=top)
