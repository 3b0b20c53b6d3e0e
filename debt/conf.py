"""The debt register's settings, read at call time through typed accessors (defaults: debtboard/settings.py)."""
from django.conf import settings

from debt.data import DiscoveryConfig


def discovery_config() -> DiscoveryConfig:
    """The discovery thresholds from the DEBTBOARD_DEBT_* settings."""
    return DiscoveryConfig(
        hotspot_top=int(settings.DEBTBOARD_DEBT_HOTSPOT_TOP),
        hotspot_min_score=float(settings.DEBTBOARD_DEBT_HOTSPOT_MIN_SCORE),
        island_top=int(settings.DEBTBOARD_DEBT_ISLAND_TOP),
        island_min_score=float(settings.DEBTBOARD_DEBT_ISLAND_MIN_SCORE),
        max_blame_files=int(settings.DEBTBOARD_DEBT_MAX_BLAME_FILES),
        blame_seconds=float(settings.DEBTBOARD_DEBT_BLAME_SECONDS),
    )
