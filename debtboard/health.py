"""The /healthz endpoint: JSON with the database status, for load balancers and monitors."""
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": {"ok": False, "error": type(exc).__name__}}, status=503)
    return JsonResponse({"status": "ok", "database": {"ok": True, "vendor": connection.vendor}})
