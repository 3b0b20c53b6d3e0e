"""/metrics: Prometheus text with request latency by view and debtboard's figures; closed without token or address."""
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from metrics.models import Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.services.workers import worker_heartbeat_record
from tests.gitrepo import BASE_DATE

TOKEN = "metrics-token-for-tests-0123456789"
MODULE = '"""A module."""\n\n\ndef f(x):\n    if x:\n        return 1\n    return 2\n'


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample as {(name, sorted labels): value}."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


@pytest.fixture
def metrics_token(settings):
    settings.DEBTBOARD_METRICS_TOKEN = TOKEN
    settings.DEBTBOARD_METRICS_ALLOWED_IPS = []


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_metrics_are_closed_without_the_token(client, metrics_token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 403
    assert b"debtboard_" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("allowed, status", [(["127.0.0.1"], 200), (["10.0.0.0/8", "127.0.0.0/8"], 200),
                                             (["10.0.0.0/8"], 403), ([], 403)])
def test_metrics_open_to_allow_listed_addresses(client, settings, allowed, status):
    settings.DEBTBOARD_METRICS_TOKEN = ""
    settings.DEBTBOARD_METRICS_ALLOWED_IPS = allowed
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == status


@pytest.mark.django_db
def test_metrics_report_scans_queue_stages_workers_cache_and_latency(client, git_repo, settings, metrics_token):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    git_repo.commit("start", files={"a.py": MODULE, "b.py": MODULE}, date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="real")
    assert scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk).status == "succeeded"
    queued = scan_request(repository=repository, enqueue=False)
    Scan.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(seconds=90))
    worker_heartbeat_record(worker_id="w-1", kind="database-queue")
    healthz = (("method", "GET"), ("status", "200"), ("view", "healthz"))
    # The process's counts so far (other tests' requests count too).
    before = REGISTRY.get_sample_value("debtboard_http_requests_total", dict(healthz)) or 0
    timed = REGISTRY.get_sample_value("debtboard_http_request_duration_seconds_count",
                                      {"method": "GET", "view": "healthz"}) or 0
    client.get("/healthz")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    found = samples(response.content.decode())
    expected = {
        ("debtboard_scans", (("status", "succeeded"),)): 1,
        ("debtboard_scans", (("status", "queued"),)): 1,
        ("debtboard_scan_queue_depth", ()): 1,
        ("debtboard_scan_stage_duration_seconds_count", (("stage", "analysis"),)): 1,
        ("debtboard_scan_stage_duration_seconds_bucket", (("le", "+Inf"), ("stage", "total"))): 1,
        ("debtboard_analysis_blobs_total", (("result", "analysed"),)): 1,  # a.py and b.py are one blob
        ("debtboard_analysis_blobs_total", (("result", "cached"),)): 0,
        ("debtboard_analysis_cache_hit_ratio", ()): 0.0,
        ("debtboard_workers_fresh", ()): 1,
        ("debtboard_http_requests_total", healthz): before + 1,
        ("debtboard_http_request_duration_seconds_count", (("method", "GET"), ("view", "healthz"))): timed + 1,
    }
    assert {key: found.get(key) for key in expected} == expected
    assert 90 <= found[("debtboard_scan_queue_oldest_age_seconds", ())] < 3600
    worker = (("hostname", socket.gethostname()), ("kind", "database-queue"), ("worker", "w-1"))
    assert 0 <= found[("debtboard_worker_heartbeat_age_seconds", worker)] < 60
