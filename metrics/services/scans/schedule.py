"""Scheduled rescans: set a repository's schedule, and queue a scan of every repository whose slot has come.

`rescan_due` is what every runner calls: the embedded worker's thread (scan_worker), Celery beat
(metrics.tasks.rescan_due_task) and `manage.py rescan_due` for cron. Several runners at once are safe: each
due repository is claimed by a compare-and-swap on `rescan_fired_at`, and the per-repository scan lock
(metrics.services.scans.requests) never lets a second scan start beside a live one.
"""
import logging
from datetime import datetime, time

from django.utils import timezone

from debtboard.errors import DebtboardError
from metrics.core.schedule import OFF, ScheduleInvalid, is_due, schedule_validate, time_of_day_parse
from metrics.data import RescanFired, RescanScheduleState
from metrics.errors import RescanScheduleInvalid, ScanAlreadyRunning
from metrics.models import Repository
from metrics.selectors.rescans import rescan_reference, rescan_schedule_get, rescan_schedule_of
from metrics.services.scans.requests import scan_request

logger = logging.getLogger(__name__)


def _time_of_day(at: str | time | None) -> time | None:
    if at is None or isinstance(at, time):
        return at
    return time_of_day_parse(at) if str(at).strip() else None


def rescan_schedule_set(*, repository: Repository, kind: str, at: str | time | None = None,
                        weekday: int | None = None, now: datetime | None = None) -> RescanScheduleState:
    """Replace the repository's rescan schedule (RescanScheduleInvalid names the wrong field in extra)."""
    try:
        schedule = schedule_validate(kind=kind, at=_time_of_day(at), weekday=weekday)
    except ScheduleInvalid as error:
        raise RescanScheduleInvalid(str(error), extra={"field": error.field}) from None
    now = now or timezone.now()
    if schedule != rescan_schedule_of(repository):
        repository.rescan_kind, repository.rescan_at, repository.rescan_weekday = schedule.kind, schedule.at, \
            schedule.weekday
        repository.rescan_set_at = now  # the first slot is the next one after now, never one already past
        repository.save(update_fields=["rescan_kind", "rescan_at", "rescan_weekday", "rescan_set_at"])
        logger.info("Rescan schedule of %s set to %s", repository.name, schedule.describe())
    return rescan_schedule_get(repository=repository, now=now)


def _claim(repository: Repository, now: datetime) -> bool:
    """Record that the schedule fired now, unless another runner did since we read it (compare-and-swap)."""
    fired = repository.rescan_fired_at
    same = {"rescan_fired_at": fired} if fired is not None else {"rescan_fired_at__isnull": True}
    return bool(Repository.objects.filter(pk=repository.pk, **same).update(rescan_fired_at=now))


def _fire(repository: Repository) -> RescanFired:
    """Queue a scan of the repository's default revision (a remote is fetched first, as for every scan)."""
    try:
        scan = scan_request(repository=repository)
    except ScanAlreadyRunning as error:
        logger.info("Scheduled rescan of %s: scan %s is already live, it serves this slot",
                    repository.name, error.extra.get("scan"))
        return RescanFired(repository=repository.name, outcome="already_running", scan_id=error.extra.get("scan"),
                           message=error.message)
    except DebtboardError as error:
        logger.warning("Scheduled rescan of %s could not be queued: %s", repository.name, error.message)
        return RescanFired(repository=repository.name, outcome="failed", scan_id=None, message=error.message)
    logger.info("Scheduled rescan of %s: scan %s queued", repository.name, scan.pk)
    return RescanFired(repository=repository.name, outcome="queued", scan_id=scan.pk)


def rescan_due(*, now: datetime | None = None) -> list[RescanFired]:
    """Queue a scan of every repository whose schedule is due at `now`; return what each one did."""
    now = now or timezone.now()
    fired = []
    for repository in Repository.objects.exclude(rescan_kind=OFF).order_by("name"):
        if _is_due(repository, now) and _claim(repository, now):
            fired.append(_fire(repository))
    return fired


def _is_due(repository: Repository, now: datetime) -> bool:
    """Whether the repository's slot has come; a stored schedule that cannot be kept is logged and skipped."""
    try:
        return is_due(rescan_schedule_of(repository), since=rescan_reference(repository), now=now,
                      zone=timezone.get_default_timezone())
    except ScheduleInvalid as error:
        logger.warning("Rescan schedule of %s skipped: %s", repository.name, error)
        return False
