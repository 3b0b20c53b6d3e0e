"""The /healthz endpoint: JSON with the state of each part debtboard needs, for load balancers and monitors.

Parts: the database, the cache, the queue (Celery's broker when CELERY_BROKER_URL is set, else the database
queue's table) and the workers (a heartbeat fresher than DEBTBOARD_WORKER_HEARTBEAT_STALE seconds). 200 when
every part is well; 503 naming the failing parts otherwise. Each check is a real round trip: a query, a cache
write and read, a broker connection.
"""
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from metrics.selectors.monitoring import worker_heartbeat_list

# Seconds a broker check may take before the broker counts as down.
BROKER_TIMEOUT = 3.0


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    probe = get_random_string(16)
    cache.set("healthz:probe", probe, timeout=30)
    if cache.get("healthz:probe") != probe:
        return {"ok": False, "error": "the value written was not read back"}
    return {"ok": True, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_queue() -> dict[str, Any]:
    if settings.CELERY_BROKER_URL:
        from kombu import Connection

        with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
            broker.default_channel  # opens a channel: the broker really answered
        return {"ok": True, "kind": "celery", "transport": broker.transport_cls}
    from django_tasks_db.models import DBTaskResult  # the embedded queue's own table

    waiting = DBTaskResult.objects.filter(status="READY").count()
    return {"ok": True, "kind": "database", "waiting": waiting}


def check_worker() -> dict[str, Any]:
    stale_after = float(settings.DEBTBOARD_WORKER_HEARTBEAT_STALE)
    workers = worker_heartbeat_list()
    fresh = [worker for worker in workers if worker.age_seconds < stale_after]
    if fresh:
        return {"ok": True, "fresh": len(fresh), "newest_age_seconds": round(fresh[0].age_seconds, 1)}
    if workers:
        return {"ok": False, "error": f"no heartbeat for {workers[0].age_seconds:.0f} s (stale after "
                                      f"{stale_after:g} s)", "newest_age_seconds": round(workers[0].age_seconds, 1)}
    if settings.DEBTBOARD_HEALTHZ_REQUIRE_WORKER:
        return {"ok": False, "error": "no worker has reported a heartbeat"}
    return {"ok": True, "fresh": 0, "note": "no worker has reported a heartbeat"}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database, "cache": check_cache, "queue": check_queue, "worker": check_worker,
}


def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return check()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    except Exception as exc:  # a cache or broker client's own errors: the part is down, named with why
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when every part is well, 503 naming the failing parts otherwise."""
    parts = {name: _run(check) for name, check in CHECKS.items()}
    failing = [name for name, part in parts.items() if not part["ok"]]
    body = {"status": "error" if failing else "ok", "failing": failing, **parts}
    return JsonResponse(body, status=503 if failing else 200)
