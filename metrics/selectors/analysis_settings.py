"""Reads of a repository's analyser settings, as a CI client needs them to analyse like the server."""
from metrics.data import AnalysisSettings, repository_config_from_json
from metrics.models import Repository


def analysis_settings_get(*, repository: Repository) -> AnalysisSettings:
    """The analyser settings stored on a repository, with its default revision."""
    return AnalysisSettings.of(repository_config_from_json(repository.config), pinned=list(repository.config or {}),
                               default_branch=repository.default_revision)
