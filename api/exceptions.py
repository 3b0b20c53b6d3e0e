"""One exception handler: debtboard's error kinds become {"code", "message", "extra"} responses."""
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from debtboard.errors import DebtboardError


class RequestTooLarge(DebtboardError):
    """A body or upload over its limit: 413 with the limit in `extra`."""

    default_code = "request.too_large"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


def _too_large(exc: Exception) -> Response:
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        error = RequestTooLarge(f"The request has more than {limit} fields.", extra={"limit_fields": limit})
    else:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        error = RequestTooLarge(f"The request body is larger than the limit of {limit:,} bytes.",
                                extra={"limit_bytes": limit})
    return Response(error.as_dict(), status=error.http_status)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer a DebtboardError with its kind's status (`http_status`), and every DRF error in the same shape."""
    if isinstance(exc, DebtboardError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent)):
        return _too_large(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        detail = response.data.get("detail")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        message = str(detail) if detail is not None else "Invalid input."
        extra = {} if detail is not None else {"fields": response.data}
        if getattr(exc, "wait", None) is not None:
            extra = {"retry_after_seconds": int(exc.wait)}
        response.data = {"code": code, "message": message, "extra": extra}
    return response
