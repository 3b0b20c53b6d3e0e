"""Change checks are idempotent (revision and reference, or Idempotency-Key) and requests are throttled per token."""
import json

import pytest
from django.utils import timezone

from api.tokens import api_token_create
from metrics.models import ChangeCheck, Repository, Scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository(tmp_path):
    repository = Repository.objects.create(name="shop", path=str(tmp_path))
    scan = Scan.objects.create(repository=repository, revision="HEAD", commit_sha="a" * 40,
                               status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE, finished_at=timezone.now())
    repository.current_scan = scan
    repository.save(update_fields=["current_scan"])
    return repository


def post(client, *, revision="c" * 40, reference="PR-7", violations=0, **headers):
    body = {"revision": revision, "reference": reference, "files": [{"path": "a.py", "violation_count": violations}]}
    return client.post("/api/v1/repositories/shop/change-checks/", data=json.dumps(body),
                       content_type="application/json", **headers)


def test_the_same_change_posted_twice_returns_the_stored_verdict(token_client, repository):
    first = post(token_client)
    again = post(token_client, revision="C" * 40)  # the same commit id, spelled in capitals
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert ChangeCheck.objects.count() == 1


def test_the_same_revision_with_other_figures_is_a_409(token_client, repository):
    post(token_client)
    response = post(token_client, violations=3)
    assert response.status_code == 409
    assert response.json()["code"] == "change_check.conflict"
    assert ChangeCheck.objects.count() == 1


def test_another_reference_of_the_same_revision_is_another_check(token_client, repository):
    post(token_client)
    assert post(token_client, reference="main").status_code == 201
    assert ChangeCheck.objects.count() == 2


def test_an_idempotency_key_returns_the_stored_verdict_and_refuses_other_bodies(token_client, repository):
    first = post(token_client, revision="", HTTP_IDEMPOTENCY_KEY="job-41")
    again = post(token_client, revision="", HTTP_IDEMPOTENCY_KEY="job-41")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert ChangeCheck.objects.get().idempotency_key == "job-41"
    clash = post(token_client, revision="", violations=2, HTTP_IDEMPOTENCY_KEY="job-41")
    assert clash.status_code == 409
    assert "Idempotency-Key" in clash.json()["message"]
    assert ChangeCheck.objects.count() == 1


def test_a_malformed_idempotency_key_is_a_400(token_client, repository):
    response = post(token_client, HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert response.status_code == 400
    assert "key" in response.json()["extra"]["fields"]


def test_change_checks_are_throttled_per_token_with_retry_after(settings, user, api_client, repository):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "change_checks": "2/minute"}}
    first, second = (api_token_create(user=user, name=name).secret for name in ("ci-a", "ci-b"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {first}")
    statuses = [post(api_client, revision=f"{n:07x}").status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    throttled = post(api_client, revision="abcdef0")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    body = throttled.json()
    assert body["code"] == "throttled"
    assert body["extra"]["retry_after_seconds"] > 0
    # Another token of the same user has its own budget; reads have theirs.
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {second}")
    assert post(api_client, revision="abcdef1").status_code == 201
    assert api_client.get("/api/v1/repositories/").status_code == 200
