"""Base error kinds: every service raises one of these; interfaces map them to responses."""
from typing import Any


class DebtboardError(Exception):
    """An error a user can act on, with a stable machine-readable code."""

    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "extra": self.extra}


class NotFound(DebtboardError):
    default_code = "not_found"


class InvalidInput(DebtboardError):
    default_code = "invalid"


class Conflict(DebtboardError):
    default_code = "conflict"


class Forbidden(DebtboardError):
    default_code = "forbidden"
