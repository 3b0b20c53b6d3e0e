"""App settings are read at call time through each app's typed accessors (metrics.conf, debt.conf)."""
from pathlib import Path

import pytest

from debt.conf import discovery_config
from metrics import conf
from metrics.data import repository_config_from_json
from metrics.errors import RepositoryInvalid


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


def test_discovery_config_takes_the_repositorys_thresholds_and_the_servers_blame_budget(settings) -> None:
    settings.DEBTBOARD_DEBT_BLAME_SECONDS = 1
    config = discovery_config(repository_config_from_json({"proposal_hotspot_top": 3,
                                                           "proposal_hotspot_min_score": 70}))
    assert (config.hotspot_top, config.hotspot_min_score, config.blame_seconds) == (3, 70.0, 1.0)
    assert config.island_top == 10 and config.island_min_score == 25.0  # the repository's defaults
    assert config.max_blame_files == 500  # the server's default (debtboard/settings.py)
    assert (discovery_config().hotspot_top, discovery_config().hotspot_min_score) == (10, 50.0)


@pytest.mark.parametrize("config", [{"proposal_hotspot_top": 1001}, {"proposal_island_min_score": 100.5},
                                    {"proposal_hotspot_min_score": -1}])
def test_proposal_thresholds_out_of_range_are_refused(config) -> None:
    with pytest.raises(RepositoryInvalid) as error:
        repository_config_from_json(config)
    assert error.value.extra["key"] == next(iter(config))
