"""Error kinds of the debt register, with stable codes."""
from http import HTTPStatus

from debtboard.errors import Conflict, InvalidInput, NotFound


class DebtItemNotFound(NotFound):
    default_code = "debt_item.not_found"


class DebtItemInvalid(InvalidInput):
    default_code = "debt_item.invalid"


class InvalidTransition(InvalidInput):
    default_code = "debt_item.invalid_transition"


class DebtItemChanged(Conflict):
    default_code = "debt_item.changed"


class LocationNotFound(NotFound):
    default_code = "debt_location.not_found"


class LocationInvalid(InvalidInput):
    default_code = "debt_location.invalid"


class CommentInvalid(InvalidInput):
    default_code = "debt_comment.invalid"


class NotAProposal(Conflict):
    default_code = "debt_item.not_a_proposal"


class NoResolutionFlag(Conflict):
    default_code = "debt_item.not_flagged"


class ImportInvalid(InvalidInput):
    default_code = "debt_import.invalid"


class ImportTooLarge(ImportInvalid):
    """An import file over the size limit: 413, checked before the file is read into memory."""

    default_code = "debt_import.too_large"
    http_status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
