"""The debt register's settings, read at call time through typed accessors (defaults: debtboard/settings.py)."""
from django.conf import settings

from debt.data import DiscoveryConfig
from metrics.data import RepositoryConfig


def discovery_config(repository_config: RepositoryConfig | None = None) -> DiscoveryConfig:
    """Discovery's thresholds: how many proposals and from which score are the repository's own (its
    configuration, edited on its settings page); how much git blame a scan may run is the server's
    (DEBTBOARD_DEBT_MAX_BLAME_FILES, DEBTBOARD_DEBT_BLAME_SECONDS)."""
    config = repository_config or RepositoryConfig()
    return DiscoveryConfig(
        hotspot_top=config.proposal_hotspot_top,
        hotspot_min_score=config.proposal_hotspot_min_score,
        island_top=config.proposal_island_top,
        island_min_score=config.proposal_island_min_score,
        max_blame_files=int(settings.DEBTBOARD_DEBT_MAX_BLAME_FILES),
        blame_seconds=float(settings.DEBTBOARD_DEBT_BLAME_SECONDS),
    )
