"""GET /api/v1/repositories/{name}/analysis-settings/ and the paths a change check accepts."""
import pytest

from metrics.data import AnalysisSettings
from metrics.models import Repository

pytestmark = pytest.mark.django_db


def test_the_settings_a_client_analyses_with(token_client, tmp_path):
    Repository.objects.create(name="shop", path=str(tmp_path), default_revision="main",
                              config={"max_line_length": 120, "flake8_ignore": ["E203"], "half_life_days": 30})
    body = token_client.get("/api/v1/repositories/shop/analysis-settings/").json()
    assert body["max_line_length"] == 120 and body["flake8_ignore"] == ["E203"]
    assert body["default_branch"] == "main"
    assert "half_life_days" not in body  # mining settings are the server's own business
    assert body["pinned"] == ["flake8_ignore", "max_line_length"]  # these win over the repository's setup.cfg


def test_every_key_that_shapes_analysis_reaches_the_client(token_client, tmp_path):
    config = {"flake8_per_file_ignores": ["tests/*:E501"], "lint_engine": "ruff", "max_doc_length": 100,
              "repository_lint_settings": False, "test_globs": ["spec/**"], "lint_exclude": ["gen/*"]}
    Repository.objects.create(name="shop", path=str(tmp_path), config=config)
    body = token_client.get("/api/v1/repositories/shop/analysis-settings/").json()
    assert {key: body[key] for key in config} == config
    analysis = AnalysisSettings.from_json(body).analysis_config()
    assert analysis.per_file_ignores == (("tests/*", ("E501",)),)
    assert (analysis.lint_engine, analysis.max_doc_length, analysis.repository_lint_settings) == ("ruff", 100, False)
    assert analysis.pinned == ("lint_exclude", "max_doc_length", "per_file_ignores")


def test_an_unknown_repository_is_404(token_client):
    assert token_client.get("/api/v1/repositories/nope/analysis-settings/").status_code == 404


@pytest.mark.parametrize("path", ["../etc/passwd.py", "a\nb.py", "/abs.py"])
def test_a_change_check_refuses_paths_outside_the_repository(token_client, tmp_path, path):
    Repository.objects.create(name="shop", path=str(tmp_path))
    response = token_client.post("/api/v1/repositories/shop/change-checks/",
                                 {"files": [{"path": path, "loc": 1}]}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "change_check.invalid"
