"""/healthz with each part it checks broken for real: a cache and a broker on a closed port, a stale worker."""
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from metrics.models import WorkerHeartbeat
from metrics.services.workers import worker_heartbeat_record, worker_heartbeat_remove

REDIS = ("127.0.0.1", 6379)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def redis_cache(port: int) -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": f"redis://127.0.0.1:{port}/9",
                        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}


@pytest.mark.django_db
def test_healthz_is_ok_with_a_fresh_worker_and_names_every_part(client):
    worker_heartbeat_record(worker_id="w1", kind="database-queue")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert body["cache"] == {"ok": True, "backend": "LocMemCache"}
    assert body["queue"] == {"ok": True, "kind": "database", "waiting": 0}
    assert body["worker"]["ok"] is True and body["worker"]["fresh"] == 1


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_cache_when_the_cache_server_is_down(client, settings):
    worker_heartbeat_record(worker_id="w1", kind="database-queue")
    settings.CACHES = redis_cache(closed_port())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["cache"]["ok"] is False and "ConnectionError" in body["cache"]["error"]


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_queue_when_the_broker_is_down(client, settings):
    worker_heartbeat_record(worker_id="w1", kind="celery")
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/9"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["queue"]
    assert body["queue"]["ok"] is False


@pytest.mark.django_db
@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379 (CI starts one)")
def test_healthz_reaches_a_real_redis_as_cache_and_broker(client, settings):
    worker_heartbeat_record(worker_id="w1", kind="celery")
    settings.CACHES = redis_cache(REDIS[1])
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/9"
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["cache"] == {"ok": True, "backend": "RedisCache"}
    assert body["queue"]["ok"] is True and body["queue"]["kind"] == "celery"


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_worker_when_its_heartbeat_is_stale(client, settings):
    worker_heartbeat_record(worker_id="w1", kind="database-queue")
    WorkerHeartbeat.objects.filter(worker_id="w1").update(seen_at=timezone.now() - timedelta(seconds=600))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert "no heartbeat for 600 s" in body["worker"]["error"]


@pytest.mark.django_db
def test_a_worker_that_stopped_on_purpose_is_not_stale_unless_a_worker_is_required(client, settings):
    worker_heartbeat_record(worker_id="w1", kind="database-queue")
    worker_heartbeat_remove(worker_id="w1")
    assert client.get("/healthz").status_code == 200
    settings.DEBTBOARD_HEALTHZ_REQUIRE_WORKER = True
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "error": "no worker has reported a heartbeat"}
