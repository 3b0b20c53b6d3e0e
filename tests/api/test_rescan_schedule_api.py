"""The rescan schedule and the webhook set-up through the API: validation with clear errors, the secret shown once."""
import hashlib
import hmac

import pytest
from rest_framework.test import APIClient

from metrics.models import Repository
from tests.frontend.factories import RepositoryFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/repositories/shop/rescan-schedule/"


@pytest.fixture
def client(staff, settings) -> APIClient:
    settings.TIME_ZONE = "UTC"
    RepositoryFactory(name="shop")
    client = APIClient()
    client.force_authenticate(staff)
    return client


def test_a_new_repository_is_not_rescanned(client):
    assert client.get(URL).json() == {"kind": "off", "time": None, "weekday": None, "description": "off",
                                      "time_zone": "UTC", "next_due_at": None, "last_fired_at": None}


@pytest.mark.parametrize(
    ("body", "description"),
    [({"kind": "hourly"}, "hourly"), ({"kind": "nightly", "time": "02:30"}, "nightly at 02:30"),
     ({"kind": "weekly", "time": "6:00", "weekday": 4}, "weekly on Friday at 06:00"),
     ({"kind": "nightly", "time": "23:59", "weekday": None}, "nightly at 23:59"), ({"kind": "off"}, "off")],
)
def test_schedules_are_set(client, body, description):
    response = client.put(URL, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["description"] == description
    assert (response.json()["next_due_at"] is None) == (body["kind"] == "off")
    assert client.get(URL).json()["description"] == description
    assert Repository.objects.get().rescan_kind == body["kind"]


@pytest.mark.parametrize(
    ("body", "code", "where"),
    [
        ({"kind": "daily"}, "invalid", "kind"),
        ({}, "invalid", "kind"),
        ({"kind": "nightly", "time": "2026-03-01T02:30:00Z"}, "invalid", "time"),  # a moment in the past, not a time
        ({"kind": "nightly", "time": "24:00"}, "invalid", "time"),
        ({"kind": "nightly", "time": "02:30:00"}, "invalid", "time"),
        ({"kind": "weekly", "time": "06:00", "weekday": 7}, "invalid", "weekday"),
        ({"kind": "weekly", "time": "06:00", "weekday": "Monday"}, "invalid", "weekday"),
        ({"kind": "nightly"}, "rescan_schedule.invalid", "time"),
        ({"kind": "weekly", "time": "06:00"}, "rescan_schedule.invalid", "weekday"),
        ({"kind": "hourly", "time": "06:00"}, "rescan_schedule.invalid", "time"),
        ({"kind": "nightly", "time": "02:30", "weekday": 1}, "rescan_schedule.invalid", "weekday"),
    ],
)
def test_invalid_schedules_are_400_with_the_field_named(client, body, code, where):
    response = client.put(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == code
    assert where in error["extra"].get("fields", {}) or error["extra"].get("field") == where, error
    assert Repository.objects.get().rescan_kind == "off"


def test_the_webhook_set_up_and_a_rotated_secret_shown_once(client):
    before = client.get("/api/v1/repositories/shop/webhook/").json()
    assert before == {"github_url": "http://testserver/hooks/github/shop",
                      "gitlab_url": "http://testserver/hooks/gitlab/shop", "secret_set": False,
                      "secret_rotated_at": None, "recent_deliveries": []}
    rotated = client.post("/api/v1/repositories/shop/webhook/secret/")
    assert rotated.status_code == 200 and rotated["Cache-Control"] == "no-store"
    secret = rotated.json()["secret"]
    assert len(secret) >= 40 and secret == Repository.objects.get().webhook_secret
    after = client.get("/api/v1/repositories/shop/webhook/").json()
    assert after["secret_set"] is True and secret not in str(after)
    # The secret works for a delivery signed with it.
    body = b'{"zen": "Design for failure."}'
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    ping = APIClient().post(after["github_url"], body, content_type="application/json",
                            headers={"X-GitHub-Event": "ping", "X-GitHub-Delivery": "1",
                                     "X-Hub-Signature-256": signature})
    assert ping.status_code == 200
