"""/metrics in Prometheus' text format: request latency by view, and debtboard's own figures read at scrape time.

In-process metrics (request latency, answer-cache lookups) use prometheus_client's objects. With several
processes (gunicorn workers) set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by the processes of
one machine: prometheus_client then keeps the values in files there and /metrics adds them up
(docs/operations.md, "Monitoring"). Scan, queue, worker and analysis-cache figures are read from the database
when /metrics is scraped, so every process answers the same whatever served the request.
"""
import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from metrics.selectors.monitoring import scan_queue_figures, worker_heartbeat_list

REQUEST_LATENCY = Histogram(
    "debtboard_http_request_duration_seconds", "Time to answer an HTTP request, by view (URL name) and method.",
    ["view", "method"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUESTS = Counter("debtboard_http_requests", "HTTP requests answered, by view, method and status code.",
                   ["view", "method", "status"])
ANSWER_CACHE_LOOKUPS = Counter(
    "debtboard_answer_cache_lookups", "Lookups of answers cached by scan (rankings, treemap, API lists).",
    ["part", "result"],
)


class RequestMetricsMiddleware:
    """Times every request and counts it by the view that answered it (first in MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "<unresolved>"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view=view, method=method).observe(time.perf_counter() - started)
        REQUESTS.labels(view=view, method=method, status=str(response.status_code)).inc()
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class DebtboardCollector:
    """debtboard's figures from the database, collected when /metrics is scraped."""

    def collect(self) -> Iterator[Metric]:
        figures = scan_queue_figures()
        scans = GaugeMetricFamily("debtboard_scans", "Scans in the database, by status.", labels=["status"])
        for status, count in sorted(figures.by_status.items()):
            scans.add_metric([status], count)
        yield scans
        yield GaugeMetricFamily("debtboard_scan_queue_depth", "Scans queued and not started.", value=figures.queued)
        yield GaugeMetricFamily("debtboard_scan_queue_oldest_age_seconds",
                                "Age of the oldest queued scan (0: the queue is empty).",
                                value=figures.oldest_queued_age_seconds)
        yield _stage_histogram(figures.stage_durations)
        blobs = CounterMetricFamily("debtboard_analysis_blobs", "Blobs the analysis stage of succeeded scans met, "
                                    "found in the analysis cache (cached) or analysed afresh.", labels=["result"])
        blobs.add_metric(["cached"], figures.blobs_cached)
        blobs.add_metric(["analysed"], figures.blobs_analysed)
        yield blobs
        if figures.recent_cache_hit_ratio is not None:
            yield GaugeMetricFamily("debtboard_analysis_cache_hit_ratio", "Cached / all blobs over the newest 100 "
                                    "succeeded scans.", value=figures.recent_cache_hit_ratio)
        yield from _worker_metrics(worker_heartbeat_list())


def _stage_histogram(stage_durations) -> Metric:
    histogram = HistogramMetricFamily("debtboard_scan_stage_duration_seconds",
                                      "Seconds each stage of a succeeded scan took (total: the whole scan).",
                                      labels=["stage"])
    for durations in stage_durations:
        buckets = [("+Inf" if bound == float("inf") else repr(float(bound)), count)
                   for bound, count in durations.buckets]
        histogram.add_metric([durations.stage], buckets, sum_value=durations.total_seconds)
    return histogram


def _worker_metrics(workers) -> Iterator[Metric]:
    ages = GaugeMetricFamily("debtboard_worker_heartbeat_age_seconds", "Seconds since each worker's last "
                             "heartbeat.", labels=["worker", "kind", "hostname"])
    for worker in workers:
        ages.add_metric([worker.worker_id, worker.kind, worker.hostname], worker.age_seconds)
    yield ages
    stale_after = float(settings.DEBTBOARD_WORKER_HEARTBEAT_STALE)
    yield GaugeMetricFamily("debtboard_workers_fresh", f"Workers whose heartbeat is under {stale_after:g} s old.",
                            value=sum(1 for worker in workers if worker.age_seconds < stale_after))


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to DEBTBOARD_METRICS_TOKEN, or a client address in DEBTBOARD_METRICS_ALLOWED_IPS."""
    token = settings.DEBTBOARD_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    return _address_allowed(request.META.get("REMOTE_ADDR", ""), settings.DEBTBOARD_METRICS_ALLOWED_IPS)


def _address_allowed(address: str, allowed: list[str]) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(entry, strict=False) for entry in allowed)


@require_GET
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Answer the Prometheus exposition (403 without the token or an allowed address)."""
    if not metrics_allowed(request):
        return HttpResponse("Forbidden: send DEBTBOARD_METRICS_TOKEN as a bearer token, or scrape from an address "
                            "in DEBTBOARD_METRICS_ALLOWED_IPS.\n", status=403, content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    own = CollectorRegistry(auto_describe=False)
    own.register(DebtboardCollector())
    return HttpResponse(generate_latest(registry) + generate_latest(own), content_type=CONTENT_TYPE_LATEST)
