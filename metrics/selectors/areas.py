"""Reads of code areas (path prefixes, CODEOWNERS handles) at the current scan, and repositories' effort units."""
from collections.abc import Iterable

from metrics.choices import EffortUnit
from metrics.data import AreaFigures, EffortConversion, repository_config_from_json
from metrics.errors import RepositoryInvalid
from metrics.models import CodeOwner, FileScore, Repository
from metrics.selectors.repositories import repository_window_days


def normalise_handle(handle: str) -> str:
    """A CODEOWNERS handle as compared: trimmed and lower-case (GitHub handles ignore case)."""
    return handle.strip().lower()


def path_in_prefixes(path: str, prefixes: Iterable[str]) -> bool:
    """Whether a repository-relative path lies under any prefix ("" is the whole repository)."""
    return any(path.startswith(prefix) for prefix in prefixes)


def _current_scan_id(repository_id: int) -> int | None:
    return Repository.objects.filter(pk=repository_id).values_list("current_scan_id", flat=True).first()


def _owned(scan_id: int | None, handles: Iterable[str]) -> frozenset[str]:
    wanted = {normalise_handle(handle) for handle in handles if handle.strip()}
    if scan_id is None or not wanted:
        return frozenset()
    rows = CodeOwner.objects.filter(scan_id=scan_id).values_list("path", "owners")
    return frozenset(
        path for path, owners in rows
        if isinstance(owners, list) and wanted & {normalise_handle(str(owner)) for owner in owners}
    )


def paths_owned_by(*, repository_id: int, handle: str) -> frozenset[str]:
    """The files CODEOWNERS gives to `handle` (e.g. "@acme/payments") at the repository's current scan.

    Empty when the repository has no finished scan, no CODEOWNERS file, or the handle owns nothing.
    """
    return _owned(_current_scan_id(repository_id), [handle])


def area_figures(*, repository_id: int, path_prefixes: Iterable[str] = (),
                 handles: Iterable[str] = ()) -> AreaFigures:
    """Files, mean health and summed hotspot score of an area at the current scan, in the default window.

    A file belongs to the area when it lies under one of `path_prefixes` ("" is the whole repository) or
    CODEOWNERS gives it to one of `handles`. The mean health is the plain mean over those files (a small file
    counts as much as a big one); None when the area holds no scored file.
    """
    scan_id = _current_scan_id(repository_id)
    if scan_id is None:
        return AreaFigures(repository_id=repository_id, scan_id=None)
    prefixes = tuple(path_prefixes)
    owned = _owned(scan_id, handles)
    window = repository_window_days(repository=Repository.objects.get(pk=repository_id))
    rows = (FileScore.objects.filter(scan_id=scan_id, window_days=window)
            .values_list("path", "health", "hotspot_score"))
    chosen = [(health, score) for path, health, score in rows if path in owned or path_in_prefixes(path, prefixes)]
    if not chosen:
        return AreaFigures(repository_id=repository_id, scan_id=scan_id)
    return AreaFigures(
        repository_id=repository_id, scan_id=scan_id, files=len(chosen),
        mean_health=round(sum(health for health, _ in chosen) / len(chosen), 2),
        hotspot_score_sum=round(sum(score for _, score in chosen), 4),
    )


def _hours_per_unit(effort_unit: str, config: dict) -> float:
    if effort_unit == EffortUnit.HOURS:
        return 1.0
    try:
        return repository_config_from_json(config).points_to_hours
    except RepositoryInvalid:
        return repository_config_from_json({}).points_to_hours


def effort_conversions(*, repository_ids: Iterable[int]) -> dict[int, EffortConversion]:
    """Each repository's effort unit and hours per unit (points use the repository's points_to_hours)."""
    rows = Repository.objects.filter(pk__in=list(repository_ids)).values_list("pk", "name", "effort_unit", "config")
    return {
        pk: EffortConversion(repository_id=pk, repository_name=name, effort_unit=unit,
                             hours_per_unit=_hours_per_unit(unit, config or {}))
        for pk, name, unit, config in rows
    }
