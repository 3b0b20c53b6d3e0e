"""A repository's rescan schedule as pages and the API show it, with when it is next due."""
from datetime import datetime

from django.utils import timezone

from metrics.core.schedule import OFF, RescanSchedule, ScheduleInvalid, next_due
from metrics.data import RescanScheduleState
from metrics.models import Repository


def rescan_schedule_of(repository: Repository) -> RescanSchedule:
    """The stored schedule as the pure core's value."""
    return RescanSchedule(kind=repository.rescan_kind or OFF, at=repository.rescan_at,
                          weekday=repository.rescan_weekday)


def rescan_reference(repository: Repository) -> datetime:
    """The instant the next slot is counted from: when the schedule last fired or was set, else the creation."""
    marks = [mark for mark in (repository.rescan_fired_at, repository.rescan_set_at) if mark is not None]
    return max(marks) if marks else repository.created_at


def rescan_schedule_get(*, repository: Repository, now: datetime | None = None) -> RescanScheduleState:
    """The repository's schedule, when it next fires and when it last did."""
    schedule = rescan_schedule_of(repository)
    zone = timezone.get_default_timezone()
    try:
        due = next_due(schedule, since=rescan_reference(repository), now=now or timezone.now(), zone=zone)
    except ScheduleInvalid:  # a stored schedule the runner skips (set outside the services)
        due = None
    return RescanScheduleState(
        kind=schedule.kind, time=schedule.at.strftime("%H:%M") if schedule.at else None, weekday=schedule.weekday,
        description=schedule.describe(), time_zone=str(zone), next_due_at=due,
        last_fired_at=repository.rescan_fired_at,
    )
