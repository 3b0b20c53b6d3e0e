"""Backfill arithmetic: spec parsing, period boundaries, first-parent picks, the rev-list reader."""
from datetime import datetime, timedelta, timezone

import pytest

from metrics.core.backfill import (
    InvalidBackfillSpec,
    backfill_dates,
    backfill_pick,
    first_parent_chain,
    months_before,
    parse_backfill_spec,
    parse_first_parent_chain,
)
from metrics.core.errors import CoreError, GitError
from tests.gitrepo import BASE_DATE


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("weekly:52", ("weekly", 52)),
        ("monthly:1", ("monthly", 1)),
        ("daily:1000", ("daily", 1000)),
        (" weekly : 4 ", ("weekly", 4)),
        ("weekly:0", None),
        ("weekly:1001", None),
        ("weekly", None),
        ("yearly:2", None),
        ("weekly:-3", None),
        ("weekly:3;rm", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_backfill_spec(spec, expected):
    if expected is None:
        with pytest.raises(InvalidBackfillSpec) as caught:
            parse_backfill_spec(spec)
        assert isinstance(caught.value, CoreError)
        assert "weekly:52" in str(caught.value) and caught.value.spec == str(spec)
    else:
        assert parse_backfill_spec(spec) == expected


@pytest.mark.parametrize(
    "unit, count, until, expected",
    [
        ("daily", 2, utc(2024, 3, 1), [utc(2024, 2, 29), utc(2024, 2, 28)]),
        ("weekly", 1, utc(2024, 1, 8, 12), [utc(2024, 1, 1, 12)]),
        ("weekly", 2, utc(2024, 1, 8), [utc(2024, 1, 1), utc(2023, 12, 25)]),
        ("monthly", 2, utc(2024, 3, 31), [utc(2024, 2, 29), utc(2024, 1, 31)]),
        ("monthly", 1, utc(2024, 1, 15), [utc(2023, 12, 15)]),
    ],
)
def test_backfill_dates(unit, count, until, expected):
    assert backfill_dates(unit, count, until=until) == expected


@pytest.mark.parametrize(
    "moment, months, expected",
    [
        (utc(2024, 3, 31), 1, utc(2024, 2, 29)),
        (utc(2023, 3, 31), 1, utc(2023, 2, 28)),
        (utc(2024, 1, 15), 1, utc(2023, 12, 15)),
        (utc(2024, 5, 31, 9), 25, utc(2022, 4, 30, 9)),
        (utc(2024, 5, 10), 0, utc(2024, 5, 10)),
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def _ts(day: int) -> int:
    return int(utc(2024, 1, day).timestamp())


@pytest.mark.parametrize(
    "chain, days, expected",
    [
        # Newest first: c on the 20th, b on the 10th, a on the 1st.
        ([("c", _ts(20)), ("b", _ts(10)), ("a", _ts(1))], [15, 5], [("b", 10), ("a", 1)]),
        ([("c", _ts(20)), ("b", _ts(10)), ("a", _ts(1))], [19, 12, 11], [("b", 10)]),  # duplicates skipped
        ([("c", _ts(20)), ("b", _ts(10)), ("a", _ts(1))], [10], [("b", 10)]),  # at the date counts as before
        ([("c", _ts(20)), ("b", _ts(10))], [25, 9], [("c", 20)]),  # nothing that old on the 9th
        ([("c", _ts(20)), ("b", _ts(10)), ("a", _ts(1))], [5, 15], [("b", 10), ("a", 1)]),  # any date order
        # A commit with a skewed, newer date on the chain is passed over, as git rev-list does.
        ([("c", _ts(20)), ("x", _ts(25)), ("b", _ts(10))], [22], [("c", 20)]),
        ([], [5], []),
    ],
)
def test_backfill_pick(chain, days, expected):
    dates = [utc(2024, 1, day) for day in days]
    assert backfill_pick(chain, dates) == [(sha, utc(2024, 1, day)) for sha, day in expected]


@pytest.mark.parametrize(
    "output, expected",
    [
        (b"1704067200 abc\n1703980800 def\n", [("abc", 1704067200), ("def", 1703980800)]),
        (b"", []),
    ],
)
def test_parse_first_parent_chain(output, expected):
    assert parse_first_parent_chain(output) == expected


def test_first_parent_chain_follows_first_parents_newest_first(git_repo):
    first = git_repo.commit("one", files={"a.py": "A = 1\n"}, date=BASE_DATE)
    second = git_repo.commit("two", files={"a.py": "A = 2\n"}, date=BASE_DATE + timedelta(days=1))
    chain = first_parent_chain(str(git_repo.path), second)
    assert chain == [(second, int((BASE_DATE + timedelta(days=1)).timestamp())), (first, int(BASE_DATE.timestamp()))]


def test_first_parent_chain_of_an_unknown_tip_is_a_git_error(git_repo):
    repo = git_repo
    repo.commit("one", files={"a.py": "A = 1\n"}, date=BASE_DATE)
    with pytest.raises(GitError):
        first_parent_chain(str(repo.path), "0" * 40)
