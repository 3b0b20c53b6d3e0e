"""One exception handler: debtboard's error kinds become {"code", "message", "extra"} responses."""
from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from debtboard.errors import DebtboardError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer a DebtboardError with its kind's status (`http_status`), and every DRF error in the same shape."""
    if isinstance(exc, DebtboardError):
        return Response(exc.as_dict(), status=exc.http_status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        detail = response.data.get("detail")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        message = str(detail) if detail is not None else "Invalid input."
        extra = {} if detail is not None else {"fields": response.data}
        response.data = {"code": code, "message": message, "extra": extra}
    return response
