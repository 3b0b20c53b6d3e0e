"""App settings are read at call time through each app's typed accessors (metrics.conf, debt.conf)."""
from pathlib import Path

from debt.conf import discovery_config
from metrics import conf


def test_metrics_accessors_read_settings_at_call_time(settings, tmp_path: Path) -> None:
    settings.DEBTBOARD_GIT_TIMEOUT = "42"
    settings.DEBTBOARD_REPO_ROOTS = [str(tmp_path)]
    settings.DATA_DIR = str(tmp_path / "data")
    settings.DEBTBOARD_ANALYSIS_WORKERS = 3
    settings.DEBTBOARD_SCORING_FORK = False
    assert conf.git_timeout() == 42.0
    assert conf.repo_roots() == [tmp_path]
    assert conf.data_dir() == tmp_path / "data"
    assert conf.analysis_workers() == 3
    assert conf.scoring_fork() is False


def test_discovery_config_reads_the_debt_settings_at_call_time(settings) -> None:
    settings.DEBTBOARD_DEBT_HOTSPOT_TOP = 3
    settings.DEBTBOARD_DEBT_HOTSPOT_MIN_SCORE = 70
    settings.DEBTBOARD_DEBT_BLAME_SECONDS = 1
    config = discovery_config()
    assert (config.hotspot_top, config.hotspot_min_score, config.blame_seconds) == (3, 70.0, 1.0)
    assert config.island_top == 10 and config.max_blame_files == 500  # defaults from debtboard/settings.py
