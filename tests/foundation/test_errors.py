"""Error kinds carry their HTTP status: one mapping for the API and the pages."""
import pytest

from debt.errors import DebtItemChanged, InvalidTransition
from debtboard.errors import Conflict, DebtboardError, Forbidden, InvalidInput, NotFound
from metrics.errors import RepositoryNotFound, ScanAlreadyRunning


@pytest.mark.parametrize(("kind", "status"), [
    (DebtboardError, 400),
    (NotFound, 404),
    (InvalidInput, 400),
    (Conflict, 409),
    (Forbidden, 403),
    (RepositoryNotFound, 404),
    (ScanAlreadyRunning, 409),
    (DebtItemChanged, 409),
    (InvalidTransition, 400),
])
def test_error_kind_carries_its_http_status(kind: type[DebtboardError], status: int) -> None:
    assert kind("message").http_status == status


@pytest.mark.parametrize("kind", [NotFound, InvalidInput, Conflict, Forbidden])
def test_api_answers_an_error_kind_with_its_status_and_body(kind: type[DebtboardError]) -> None:
    from api.exceptions import exception_handler

    response = exception_handler(kind("Nope.", code="thing.nope", extra={"id": 1}), {})
    assert response.status_code == kind.http_status
    assert response.data == {"code": "thing.nope", "message": "Nope.", "extra": {"id": 1}}
