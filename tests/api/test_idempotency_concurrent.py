"""Twenty concurrent posts of the same change on PostgreSQL store one verdict and all answer with it.

SQLite serialises writers, so the race this guards against cannot happen there: the test skips. Run it with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/debtboard_ci (pytest-django creates its own test database).
"""
import json
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from api.tokens import api_token_create
from metrics.models import ChangeCheck, Repository, Scan

pytestmark = pytest.mark.django_db(transaction=True)
POSTS = 20


@pytest.fixture
def repository(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers race only on PostgreSQL (SQLite serialises them).")
    repository = Repository.objects.create(name="shop", path=str(tmp_path))
    scan = Scan.objects.create(repository=repository, revision="HEAD", commit_sha="a" * 40,
                               status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE, finished_at=timezone.now())
    Repository.objects.filter(pk=repository.pk).update(current_scan=scan)
    return repository


def post_concurrently(secret: str, body: dict, headers: dict) -> list[tuple[int, dict]]:
    """Post `body` from POSTS threads released together; each thread uses (and closes) its own connection."""
    barrier = threading.Barrier(POSTS)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def one() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        try:
            barrier.wait(timeout=30)
            response = client.post("/api/v1/repositories/shop/change-checks/", data=json.dumps(body),
                                   content_type="application/json", **headers)
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.parametrize("headers", [{}, {"HTTP_IDEMPOTENCY_KEY": "build-42"}])
def test_twenty_concurrent_identical_posts_store_one_verdict(repository, user, settings, headers):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    secret = api_token_create(user=user, name="ci").secret
    body = {"revision": "c" * 40, "reference": "PR-7", "author_name": "Ada", "author_email": "ada@example.com",
            "files": [{"path": "a.py", "violation_count": 0, "total_complexity": 3}]}
    answers = post_concurrently(secret, body, headers)
    assert len(answers) == POSTS
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (POSTS - 1) + [201], answers
    assert len({answer["id"] for _, answer in answers}) == 1
    assert ChangeCheck.objects.filter(repository=repository).count() == 1
