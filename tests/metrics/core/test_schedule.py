"""Rescan schedules: validation, and the next due time from the schedule, the reference instant and a given clock."""
from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from metrics.core.schedule import (
    HOURLY,
    KINDS,
    NIGHTLY,
    OFF,
    WEEKLY,
    RescanSchedule,
    ScheduleInvalid,
    is_due,
    next_due,
    schedule_validate,
    time_of_day_parse,
)

NIGHTLY_0230 = RescanSchedule(kind=NIGHTLY, at=time(2, 30))
WEEKLY_MON_0600 = RescanSchedule(kind=WEEKLY, at=time(6, 0), weekday=0)
HOURLY_SCHEDULE = RescanSchedule(kind=HOURLY)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "since", "expected"),
    [
        (RescanSchedule(), "2026-03-04T10:00", None),
        # hourly: the top of the next UTC hour, never the hour `since` is on
        (HOURLY_SCHEDULE, "2026-03-04T10:00", "2026-03-04T11:00"),
        (HOURLY_SCHEDULE, "2026-03-04T10:59:59", "2026-03-04T11:00"),
        (HOURLY_SCHEDULE, "2026-12-31T23:15", "2027-01-01T00:00"),
        # nightly: later today, else tomorrow; the slot itself is not "after" it
        (NIGHTLY_0230, "2026-03-04T01:00", "2026-03-04T02:30"),
        (NIGHTLY_0230, "2026-03-04T02:30", "2026-03-05T02:30"),
        (NIGHTLY_0230, "2026-03-04T23:59", "2026-03-05T02:30"),
        (NIGHTLY_0230, "2028-02-28T03:00", "2028-02-29T02:30"),  # leap day
        # weekly on Monday at 06:00 (2026-03-02 is a Monday)
        (WEEKLY_MON_0600, "2026-03-02T05:59", "2026-03-02T06:00"),
        (WEEKLY_MON_0600, "2026-03-02T06:00", "2026-03-09T06:00"),
        (WEEKLY_MON_0600, "2026-03-04T12:00", "2026-03-09T06:00"),
        (WEEKLY_MON_0600, "2026-03-08T23:00", "2026-03-09T06:00"),
        (RescanSchedule(kind=WEEKLY, at=time(0, 0), weekday=6), "2026-03-02T00:00", "2026-03-08T00:00"),
    ],
)
def test_next_due_in_utc(schedule, since, expected):
    due = next_due(schedule, since=utc(since), now=utc("2030-01-01T00:00"), zone=UTC)
    assert due == (utc(expected) if expected else None)


@pytest.mark.parametrize(
    ("schedule", "since", "now", "due"),
    [
        (NIGHTLY_0230, "2026-03-04T03:00", "2026-03-05T02:29", False),
        (NIGHTLY_0230, "2026-03-04T03:00", "2026-03-05T02:30", True),
        # a runner down for three days fires once: the next slot after the last firing is long past
        (NIGHTLY_0230, "2026-03-01T03:00", "2026-03-04T12:00", True),
        (HOURLY_SCHEDULE, "2026-03-04T10:00", "2026-03-04T10:59", False),
        (HOURLY_SCHEDULE, "2026-03-04T10:00", "2026-03-04T11:00", True),
        (WEEKLY_MON_0600, "2026-03-02T06:00", "2026-03-08T23:59", False),
        (WEEKLY_MON_0600, "2026-03-02T06:00", "2026-03-09T06:00:01", True),
        (RescanSchedule(), "2020-01-01T00:00", "2030-01-01T00:00", False),
    ],
)
def test_is_due_with_an_injected_clock(schedule, since, now, due):
    assert is_due(schedule, since=utc(since), now=utc(now), zone=UTC) is due


def test_a_schedule_set_after_todays_slot_first_fires_tomorrow_not_at_once():
    # Setting "nightly at 02:30" at 10:00 is a slot in the past for today: it is not due until tomorrow.
    set_at = utc("2026-03-04T10:00")
    assert not is_due(NIGHTLY_0230, since=set_at, now=utc("2026-03-04T10:00:01"), zone=UTC)
    assert next_due(NIGHTLY_0230, since=set_at, now=set_at, zone=UTC) == utc("2026-03-05T02:30")


def test_a_reference_in_the_future_counts_as_now():
    # A clock that went back (or a restored database) must not postpone rescans until the far future.
    now = utc("2026-03-04T10:00")
    assert next_due(NIGHTLY_0230, since=utc("2099-01-01T00:00"), now=now, zone=UTC) == utc("2026-03-05T02:30")
    assert next_due(HOURLY_SCHEDULE, since=now + timedelta(days=400), now=now, zone=UTC) == utc("2026-03-04T11:00")


def test_times_are_wall_clock_times_of_the_zone_passed():
    berlin = ZoneInfo("Europe/Berlin")
    # 02:30 in Berlin is 01:30 UTC in winter and 00:30 UTC in summer
    assert next_due(NIGHTLY_0230, since=utc("2026-01-10T12:00"), now=utc("2026-01-10T12:00"),
                    zone=berlin) == utc("2026-01-11T01:30")
    assert next_due(NIGHTLY_0230, since=utc("2026-07-10T12:00"), now=utc("2026-07-10T12:00"),
                    zone=berlin) == utc("2026-07-11T00:30")
    # 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 -> 03:00): the slot is past the gap, once
    due = next_due(NIGHTLY_0230, since=utc("2026-03-28T12:00"), now=utc("2026-03-28T12:00"), zone=berlin)
    assert due == utc("2026-03-29T01:30")


def test_an_offset_zone_gives_the_same_instant_as_utc_for_other_inputs():
    plus_two = timezone(timedelta(hours=2))
    since = datetime(2026, 3, 4, 12, 0, tzinfo=plus_two)  # 10:00 UTC
    assert next_due(NIGHTLY_0230, since=since, now=since, zone=UTC) == utc("2026-03-05T02:30")


@pytest.mark.parametrize("bad", [{"now": datetime(2026, 3, 4)}, {"since": datetime(2026, 3, 4)}])
def test_naive_datetimes_are_refused(bad):
    arguments = {"since": utc("2026-03-04T00:00"), "now": utc("2026-03-04T00:00"), **bad}
    with pytest.raises(ScheduleInvalid) as raised:
        next_due(NIGHTLY_0230, zone=UTC, **arguments)
    assert raised.value.field in ("now", "since")


def test_a_stored_timed_schedule_without_its_time_is_refused_not_crashed():
    with pytest.raises(ScheduleInvalid) as raised:
        next_due(RescanSchedule(kind=NIGHTLY), since=utc("2026-03-04T00:00"), now=utc("2026-03-04T00:00"), zone=UTC)
    assert raised.value.field == "time"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"kind": OFF}, RescanSchedule()),
        ({"kind": HOURLY}, HOURLY_SCHEDULE),
        ({"kind": NIGHTLY, "at": time(2, 30)}, NIGHTLY_0230),
        ({"kind": WEEKLY, "at": time(6, 0), "weekday": 0}, WEEKLY_MON_0600),
    ],
)
def test_valid_schedules(arguments, expected):
    assert schedule_validate(**arguments) == expected


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "daily"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"kind": NIGHTLY}, "time"),
        ({"kind": WEEKLY, "weekday": 1}, "time"),
        ({"kind": WEEKLY, "at": time(6, 0)}, "weekday"),
        ({"kind": WEEKLY, "at": time(6, 0), "weekday": 7}, "weekday"),
        ({"kind": WEEKLY, "at": time(6, 0), "weekday": -1}, "weekday"),
        ({"kind": WEEKLY, "at": time(6, 0), "weekday": True}, "weekday"),
        ({"kind": HOURLY, "at": time(6, 0)}, "time"),
        ({"kind": NIGHTLY, "at": time(6, 0), "weekday": 2}, "weekday"),
        ({"kind": NIGHTLY, "at": time(6, 0, 30)}, "time"),
        ({"kind": NIGHTLY, "at": time(6, 0, tzinfo=UTC)}, "time"),
        ({"kind": NIGHTLY, "at": "02:30"}, "time"),
    ],
)
def test_invalid_schedules_name_the_wrong_field(arguments, field):
    with pytest.raises(ScheduleInvalid) as raised:
        schedule_validate(**arguments)
    assert raised.value.field == field


@pytest.mark.parametrize(("text", "expected"), [("02:30", time(2, 30)), ("2:05", time(2, 5)), (" 23:59 ", time(23, 59)),
                                                ("00:00", time(0, 0))])
def test_time_of_day_parse(text, expected):
    assert time_of_day_parse(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "2026-03-04T02:30", "02:30:00", "0230", "", "noon", "2:3",
                                  "02:30\x00", "２:30"])
def test_time_of_day_parse_refuses_what_is_not_hh_mm(text):
    with pytest.raises(ScheduleInvalid):
        time_of_day_parse(text)


def test_descriptions_and_kinds():
    assert [RescanSchedule().describe(), HOURLY_SCHEDULE.describe(), NIGHTLY_0230.describe(),
            WEEKLY_MON_0600.describe()] == ["off", "hourly", "nightly at 02:30", "weekly on Monday at 06:00"]
    assert KINDS == ("off", "hourly", "nightly", "weekly")
