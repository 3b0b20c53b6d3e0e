"""Starting a scan through the API answers what really happened (scans without a broker run in the request)."""
import pytest

from api.tokens import api_token_create
from metrics.models import Repository, Scan

# A real commit: the scan is queued on commit and, without a broker, runs right then (as under runserver).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_client(staff, api_client):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=staff, name='lead').secret}")
    return api_client


@pytest.fixture
def repository(git_repo, settings):
    settings.DEBTBOARD_REPO_ROOTS = [git_repo.path.parent.resolve()]
    git_repo.commit("start", files={"app.py": "def f(x):\n    return x\n"})
    return Repository.objects.create(name="shop", path=str(git_repo.path))


def test_a_scan_that_ran_and_succeeded_is_a_201_with_the_scan(staff_client, repository):
    response = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "succeeded"


def test_a_scan_that_ran_and_failed_is_a_422_with_the_error_body(staff_client, repository, settings, tmp_path):
    settings.DEBTBOARD_REPO_ROOTS = [(tmp_path / "elsewhere").resolve()]
    response = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json")
    assert response.status_code == 422, response.json()
    body = response.json()
    assert body["code"] == "scan.failed"
    assert body["extra"]["scan"]["status"] == "failed"
    assert Scan.objects.get().status == Scan.Status.FAILED
