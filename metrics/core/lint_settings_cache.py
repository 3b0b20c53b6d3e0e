"""A commit's own flake8 settings, read from git once per process.

A commit's files never change, so its settings are kept by full commit id: a backfill asks for each past
revision's settings in its prepare step, its analysis and its scoring. Anything but a full commit id is
read every time.
"""
import re
from functools import lru_cache

from metrics.core.lint_settings import LintSettings, lint_settings_from_files, read_lint_config_files

FULL_COMMIT_ID = re.compile(r"[0-9a-f]{40}")


def commit_lint_settings(repo_path: str, revision: str) -> LintSettings:
    """The flake8 settings of the repository's configuration files at `revision` (metrics.core.lint_settings)."""
    if FULL_COMMIT_ID.fullmatch(revision):
        return _settings_of_commit(repo_path, revision)
    return lint_settings_from_files(read_lint_config_files(repo_path, revision))


@lru_cache(maxsize=256)
def _settings_of_commit(repo_path: str, commit_sha: str) -> LintSettings:
    return lint_settings_from_files(read_lint_config_files(repo_path, commit_sha))
