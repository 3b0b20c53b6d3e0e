"""One exception handler: debtboard's error kinds become {"code", "message", "extra"} responses."""
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from debtboard.errors import Conflict, DebtboardError, Forbidden, InvalidInput, NotFound

STATUS_BY_KIND = [
    (NotFound, status.HTTP_404_NOT_FOUND),
    (InvalidInput, status.HTTP_400_BAD_REQUEST),
    (Conflict, status.HTTP_409_CONFLICT),
    (Forbidden, status.HTTP_403_FORBIDDEN),
]


def status_for(error: DebtboardError) -> int:
    """The HTTP status of an error kind (400 for an unknown kind)."""
    for kind, code in STATUS_BY_KIND:
        if isinstance(error, kind):
            return code
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc, context):
    if isinstance(exc, DebtboardError):
        return Response(exc.as_dict(), status=status_for(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        detail = response.data.get("detail")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        message = str(detail) if detail is not None else "Invalid input."
        extra = {} if detail is not None else {"fields": response.data}
        response.data = {"code": code, "message": message, "extra": extra}
    return response
