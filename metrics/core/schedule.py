"""Rescan schedules: validate one, and work out when it is next due (pure: the clock and time zone are passed in).

A schedule names slots: hourly at the top of every UTC hour, nightly at a wall-clock time, weekly on a weekday
at a wall-clock time (in the time zone the caller passes: the server's TIME_ZONE). The next due time is the
first slot strictly after a reference instant (when the schedule last fired, or was set); a runner that was
down for days fires once, not once per missed slot (docs/operations.md, "Scheduled rescans and webhooks").
"""
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from metrics.core.errors import CoreError

OFF, HOURLY, NIGHTLY, WEEKLY = "off", "hourly", "nightly", "weekly"
KINDS: tuple[str, ...] = (OFF, HOURLY, NIGHTLY, WEEKLY)
WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HH_MM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


class ScheduleInvalid(CoreError):
    """A schedule that cannot be kept; `field` names the part that is wrong (kind, time, weekday, now, since)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RescanSchedule:
    """When a repository is rescanned: `at` for nightly and weekly, `weekday` (0 = Monday) for weekly."""

    kind: str = OFF
    at: time | None = None
    weekday: int | None = None

    def describe(self) -> str:
        """The schedule in words: "off", "hourly", "nightly at 02:30", "weekly on Monday at 06:00"."""
        if self.kind in (OFF, HOURLY):
            return self.kind
        at = self.at.strftime("%H:%M") if self.at else "?"
        if self.kind == NIGHTLY:
            return f"nightly at {at}"
        return f"weekly on {WEEKDAYS[self.weekday or 0]} at {at}"


def time_of_day_parse(text: str) -> time:
    """Read a wall-clock time written HH:MM (00:00 to 23:59); a date, seconds or anything else is refused."""
    match = _HH_MM.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ScheduleInvalid(f"The time must be a time of day written HH:MM (00:00 to 23:59), not {text!r}.",
                              field="time")
    return time(int(match[1]), int(match[2]))


def _require(present: bool, message: str, field: str) -> None:
    if not present:
        raise ScheduleInvalid(message, field=field)


def schedule_validate(*, kind: str, at: time | None = None, weekday: int | None = None) -> RescanSchedule:
    """A schedule whose parts fit its kind: nightly a time, weekly a time and a weekday, off and hourly neither."""
    _require(kind in KINDS, f"The schedule must be one of {', '.join(KINDS)}; it is {kind!r}.", "kind")
    timed = kind in (NIGHTLY, WEEKLY)
    _require(at is None or isinstance(at, time), "The time must be a time of day.", "time")
    _require(at is None or (at.second, at.microsecond, at.tzinfo) == (0, 0, None),
             "The time is a time of day in whole minutes, without a time zone (the server's is used).", "time")
    _require(at is not None or not timed, f"A {kind} schedule needs a time of day (HH:MM).", "time")
    _require(at is None or timed, f"An {kind} schedule takes no time of day.", "time")
    _require(weekday is None or (isinstance(weekday, int) and not isinstance(weekday, bool) and 0 <= weekday <= 6),
             f"The weekday must be 0 (Monday) to 6 (Sunday); it is {weekday!r}.", "weekday")
    _require(weekday is not None or kind != WEEKLY, "A weekly schedule needs a weekday.", "weekday")
    _require(weekday is None or kind == WEEKLY, f"Only a weekly schedule takes a weekday, not {kind!r}.", "weekday")
    return RescanSchedule(kind=kind, at=at, weekday=weekday)


def _aware(value: datetime, field: str) -> datetime:
    _require(isinstance(value, datetime) and value.utcoffset() is not None,
             f"{field} must be a time-zone-aware datetime.", field)
    return value.astimezone(UTC)


def _wall_clock(day: date, at: time, zone: tzinfo) -> datetime:
    """The instant (UTC) at which `zone`'s clocks show `day` `at` (a time skipped by DST resolves past the gap)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _next_slot(schedule: RescanSchedule, since: datetime, zone: tzinfo) -> datetime:
    """The first slot of `schedule` strictly after `since` (UTC in, UTC out)."""
    if schedule.kind == HOURLY:
        return since.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    _require(schedule.at is not None, f"A {schedule.kind} schedule needs a time of day.", "time")
    assert schedule.at is not None  # for the type checker
    day = since.astimezone(zone).date()
    step = 1
    if schedule.kind == WEEKLY:
        day += timedelta(days=(int(schedule.weekday or 0) - day.weekday()) % 7)
        step = 7
    slot = _wall_clock(day, schedule.at, zone)
    while slot <= since:
        day += timedelta(days=step)
        slot = _wall_clock(day, schedule.at, zone)
    return slot


def next_due(schedule: RescanSchedule, *, since: datetime, now: datetime, zone: tzinfo) -> datetime | None:
    """When the schedule is next due: the first slot after `since` (last fired, or set); None when off.

    A `since` later than `now` (a clock that went back, a restored database) counts as `now`, so a reference
    in the future never postpones rescans by more than one slot. The answer is in UTC.
    """
    now, since = _aware(now, "now"), _aware(since, "since")
    if schedule.kind == OFF:
        return None
    return _next_slot(schedule, min(since, now), zone)


def is_due(schedule: RescanSchedule, *, since: datetime, now: datetime, zone: tzinfo) -> bool:
    """Whether a slot of the schedule has come since `since` (at or before `now`)."""
    due = next_due(schedule, since=since, now=now, zone=zone)
    return due is not None and due <= _aware(now, "now")
