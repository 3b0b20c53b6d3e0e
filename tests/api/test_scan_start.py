"""Starting and cancelling a scan through the API: 202 with the scan's URL at once, 409 with the live scan."""
import pytest

from api.tokens import api_token_create
from metrics.models import FileScore, Repository, Scan
from tests.task_queue import queued_tasks, run_queued_tasks

# A real commit: the scan is queued on commit, into the database queue; nothing runs in the request.
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


def test_a_requested_scan_is_a_202_with_its_url_and_runs_in_the_worker(staff_client, repository):
    response = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["progress"]["stage"] == "queued"
    assert response["Location"] == f"http://testserver/api/v1/scans/{body['id']}/"
    assert queued_tasks() == [("metrics.tasks.scan_run_task", [body["id"]])]
    run_queued_tasks()
    detail = staff_client.get(response["Location"]).json()
    assert detail["status"] == "succeeded", detail["error"]
    assert detail["progress"]["elapsed_seconds"] >= 0 and detail["estimate_seconds"] is None


def test_a_scan_that_fails_in_the_worker_is_still_a_202_and_records_why(staff_client, repository, settings, tmp_path):
    settings.DEBTBOARD_REPO_ROOTS = [(tmp_path / "elsewhere").resolve()]
    response = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json")
    assert response.status_code == 202
    run_queued_tasks()
    detail = staff_client.get(response["Location"]).json()
    assert detail["status"] == "failed" and detail["error"]


def test_a_second_request_is_a_409_with_the_live_scan(staff_client, repository):
    first = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json").json()
    response = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "scan.already_running"
    assert body["extra"]["live_scan"]["id"] == first["id"]
    assert response["Location"].endswith(f"/api/v1/scans/{first['id']}/")


def test_cancel_a_queued_scan_and_the_previous_results_stay_current(staff_client, repository, token_client,
                                                                    settings):
    first = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json").json()
    run_queued_tasks()
    second = staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json").json()
    settings.DEBTBOARD_DEFAULT_ROLE = "viewer"
    refused = token_client.post(f"/api/v1/scans/{second['id']}/cancel/")  # maintainers and staff only
    assert refused.status_code == 403 and refused.json()["code"] == "repository.forbidden"
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"
    response = staff_client.post(f"/api/v1/scans/{second['id']}/cancel/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    run_queued_tasks()  # the worker finds it cancelled and does nothing
    assert Scan.objects.get(pk=second["id"]).status == Scan.Status.CANCELLED
    assert not FileScore.objects.filter(scan_id=second["id"]).exists()
    assert Repository.objects.get(pk=repository.pk).current_scan_id == first["id"]
    again = staff_client.post(f"/api/v1/scans/{second['id']}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "scan.not_live"
    assert staff_client.post("/api/v1/repositories/shop/scans/", {}, format="json").status_code == 202
