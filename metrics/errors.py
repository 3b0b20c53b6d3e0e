"""Error kinds of the metrics app, with stable codes."""
from http import HTTPStatus

from debtboard.errors import Conflict, DebtboardError, InvalidInput, NotFound


class RepositoryNotFound(NotFound):
    default_code = "repository.not_found"


class UnsafeRepositorySource(InvalidInput):
    default_code = "repository.unsafe_source"


class RepositoryInvalid(InvalidInput):
    default_code = "repository.invalid"


class RevisionNotFound(NotFound):
    default_code = "revision.not_found"


class ScanNotFound(NotFound):
    default_code = "scan.not_found"


class ScanAlreadyRunning(Conflict):
    default_code = "scan.already_running"


class NoScanYet(NotFound):
    default_code = "scan.none_yet"


class GitFailed(InvalidInput):
    default_code = "git.failed"


class ChangeCheckInvalid(InvalidInput):
    default_code = "change_check.invalid"


class RepositoryNameTaken(Conflict):
    default_code = "repository.name_taken"


class ChangeCheckConflict(Conflict):
    default_code = "change_check.conflict"


class RescanScheduleInvalid(InvalidInput):
    default_code = "rescan_schedule.invalid"


class WebhookInvalid(InvalidInput):
    default_code = "webhook.invalid"


class WebhookUnauthorized(DebtboardError):
    """A webhook delivery whose signature or token is missing or wrong, or a repository without a secret: 401."""

    default_code = "webhook.unauthorized"
    http_status = HTTPStatus.UNAUTHORIZED
