"""Shared fixtures: real git repositories in tmp_path, isolated data directories."""
from pathlib import Path

import pytest

from tests.gitrepo import GitRepo, init_repo


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    """An empty git repository with fixed identities; commit with `git_repo.commit(...)`."""
    return init_repo(tmp_path / "repo")


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path_factory):
    """Each test gets its own DEBTBOARD data directory (mirrors, caches)."""
    data_dir = tmp_path_factory.mktemp("data")
    settings.DATA_DIR = data_dir
    return data_dir


@pytest.fixture(autouse=True)
def _post_scan_inline(settings):
    """Scans in tests run their post-scan step (debt register, sprints) inline, so a test that scans sees it.

    The default outside tests is a background task; tests/metrics/test_post_scan.py sets "task" and runs
    the queued task to check both leave the same register.
    """
    settings.DEBTBOARD_POST_SCAN = "inline"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids repeat across tests, so scan-keyed answers must not carry over."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
