"""A repository's change-check policy: read it, change it, and resolve it into the gate's configuration."""
from typing import Any

from metrics.choices import window_or_default
from metrics.core.gate import GateConfig
from metrics.data import CheckPolicy, repository_config_from_json
from metrics.models import FileScore, Repository, Scan


def check_policy_get(*, repository: Repository) -> CheckPolicy:
    """The repository's change-check policy (the defaults where it sets nothing)."""
    return CheckPolicy.from_json(repository.check_policy)


def check_policy_set(*, repository: Repository, data: dict[str, Any]) -> CheckPolicy:
    """Replace the repository's policy with `data` (validated: RepositoryInvalid `check_policy.invalid`)."""
    policy = CheckPolicy.from_json(data)
    repository.check_policy = policy.as_json()
    repository.save(update_fields=["check_policy"])
    return policy


def _hotspot_paths(*, repository: Repository, scan: Scan | None, top_n: int) -> frozenset[str]:
    """The top-N hotspots at the scan, over the repository's default window."""
    if scan is None or top_n <= 0:
        return frozenset()
    window = window_or_default(repository_config_from_json(repository.config).window_days)
    paths = (FileScore.objects.filter(scan=scan, window_days=window, hotspot_rank__gte=1)
             .order_by("hotspot_rank", "path").values_list("path", flat=True)[:top_n])
    return frozenset(paths)


def gate_config_build(*, repository: Repository, scan: Scan | None) -> GateConfig:
    """The gate's configuration for a change of `repository` judged against `scan`, from its policy."""
    policy = check_policy_get(repository=repository)
    config = repository_config_from_json(repository.config)
    hotspots = (_hotspot_paths(repository=repository, scan=scan, top_n=policy.hotspot_top_n)
                if policy.hotspot_must_improve else frozenset())
    return GateConfig(
        max_complexity=(config.max_complexity if policy.max_function_complexity is None
                        else policy.max_function_complexity),
        mi_tolerance=policy.mi_tolerance,
        new_markers_fail=policy.new_markers_fail,
        complexity_tolerance=policy.complexity_tolerance,
        violations_tolerance=policy.violations_tolerance,
        markers_tolerance=policy.markers_tolerance,
        hotspot_paths=hotspots,
        new_file_max_violations=policy.new_file_max_violations,
        new_file_max_markers=policy.new_file_max_markers,
        new_file_max_complexity=policy.new_file_max_function_complexity,
    )
