"""GET /api/v1/repositories/{name}/analysis-settings/ and the paths a change check accepts."""
import pytest

from metrics.models import Repository

pytestmark = pytest.mark.django_db


def test_the_settings_a_client_analyses_with(token_client, tmp_path):
    Repository.objects.create(name="shop", path=str(tmp_path), default_revision="main",
                              config={"max_line_length": 120, "flake8_ignore": ["E203"], "half_life_days": 30})
    body = token_client.get("/api/v1/repositories/shop/analysis-settings/").json()
    assert body["max_line_length"] == 120 and body["flake8_ignore"] == ["E203"]
    assert body["default_branch"] == "main"
    assert "half_life_days" not in body  # mining settings are the server's own business


def test_an_unknown_repository_is_404(token_client):
    assert token_client.get("/api/v1/repositories/nope/analysis-settings/").status_code == 404


@pytest.mark.parametrize("path", ["../etc/passwd.py", "a\nb.py", "/abs.py"])
def test_a_change_check_refuses_paths_outside_the_repository(token_client, tmp_path, path):
    Repository.objects.create(name="shop", path=str(tmp_path))
    response = token_client.post("/api/v1/repositories/shop/change-checks/",
                                 {"files": [{"path": path, "loc": 1}]}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "change_check.invalid"
