"""Base error kinds: every service raises one of these; interfaces map them to responses."""
from http import HTTPStatus
from typing import Any


class DebtboardError(Exception):
    """An error a user can act on, with a stable machine-readable code.

    `http_status` is the one mapping from kinds to HTTP statuses, read by the API's exception handler and by
    the pages alike (an error of no particular kind is the caller's: 400).
    """

    default_code = "error"
    http_status: int = HTTPStatus.BAD_REQUEST

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "extra": self.extra}


class NotFound(DebtboardError):
    default_code = "not_found"
    http_status = HTTPStatus.NOT_FOUND


class InvalidInput(DebtboardError):
    default_code = "invalid"
    http_status = HTTPStatus.BAD_REQUEST


class Conflict(DebtboardError):
    """The request clashes with the current state (someone changed it meanwhile, a scan is running)."""

    default_code = "conflict"
    http_status = HTTPStatus.CONFLICT


class Forbidden(DebtboardError):
    default_code = "forbidden"
    http_status = HTTPStatus.FORBIDDEN
