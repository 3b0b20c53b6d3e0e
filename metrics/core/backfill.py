"""Backfill arithmetic: parse a spec, the period boundaries before a date, the first-parent commit at each.

Pure Python (git through metrics.core.gitcmd): the scan services build backfill scans from these answers.
"""
import calendar
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from metrics.core.errors import CoreError
from metrics.core.gitcmd import DEFAULT_TIMEOUT, run_git

MAX_BACKFILL_POINTS = 1000

_SPEC = re.compile(r"\s*(daily|weekly|monthly)\s*:\s*(\d{1,6})\s*")


class InvalidBackfillSpec(CoreError):
    """A backfill spec is not "daily:N", "weekly:N" or "monthly:N" with N from 1 to MAX_BACKFILL_POINTS."""

    def __init__(self, spec: object) -> None:
        super().__init__(
            f"Invalid backfill {spec!r}: write daily:N, weekly:N or monthly:N with N from 1 to "
            f"{MAX_BACKFILL_POINTS} (for example weekly:52)."
        )
        self.spec = str(spec)[:100]


def parse_backfill_spec(spec: str) -> tuple[str, int]:
    """Parse "weekly:N", "monthly:N" or "daily:N" into (unit, N); raise InvalidBackfillSpec otherwise."""
    match = _SPEC.fullmatch(spec or "")
    if not match or not 1 <= int(match[2]) <= MAX_BACKFILL_POINTS:
        raise InvalidBackfillSpec(spec)
    return match[1], int(match[2])


def backfill_dates(unit: str, count: int, *, until: datetime) -> list[datetime]:
    """The `count` period boundaries before `until`, newest first (`until` itself is the live scan's)."""
    if unit == "monthly":
        return [months_before(until, i) for i in range(1, count + 1)]
    step = timedelta(days=1 if unit == "daily" else 7)
    return [until - step * i for i in range(1, count + 1)]


def backfill_pick(chain: list[tuple[str, int]], dates: list[datetime]) -> list[tuple[str, datetime]]:
    """For each date, the first commit of the first-parent chain dated at or before it; no repeats.

    This is what `git rev-list -1 --before=DATE --first-parent TIP` answers, for all dates in one walk:
    with dates newest first, the answer's position in the chain never moves back.
    """
    picks: list[tuple[str, datetime]] = []
    seen: set[str] = set()
    position = 0
    for date in sorted(dates, reverse=True):
        limit = date.timestamp()
        while position < len(chain) and chain[position][1] > limit:
            position += 1
        if position == len(chain):
            break  # no commit that old: the repository is younger than the remaining dates
        sha, stamp = chain[position]
        if sha not in seen:
            seen.add(sha)
            picks.append((sha, datetime.fromtimestamp(stamp, tz=dt_timezone.utc)))
    return picks


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier, clamped to that month's last day."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def parse_first_parent_chain(output: bytes) -> list[tuple[str, int]]:
    """Read `git rev-list --timestamp` output into (sha, committer timestamp) pairs, in its order."""
    chain = []
    for line in output.decode("ascii", "replace").splitlines():
        stamp, _, sha = line.partition(" ")
        chain.append((sha, int(stamp)))
    return chain


def first_parent_chain(repo_path: str, tip: str, *, timeout: float = DEFAULT_TIMEOUT) -> list[tuple[str, int]]:
    """The first-parent chain from `tip`, as (sha, committer timestamp), newest first; raises GitError."""
    output = run_git(repo_path, ["rev-list", "--first-parent", "--timestamp", tip, "--"], timeout=timeout)
    return parse_first_parent_chain(output)
