"""metrics.core.blame: parsing `git blame --porcelain` and building safe arguments (tables, no database)."""
from datetime import datetime, timezone

import pytest

from metrics.core.blame import blame_args, line_ranges, parse_blame_porcelain
from metrics.core.errors import GitError

A = "d986687340b2ed7ef2644bb8e0f656617126ec8b"
B = "ca9a2c171fde8722469abc61e29e7d89eb7d5a66"
PORCELAIN = f"""{A} 1 1 1
author Ada Lovelace
author-mail <ada@example.com>
author-time 1704110400
author-tz +0000
summary one
boundary
filename f.py
\ta = 1
{B} 3 3 2
author Grace Hopper
author-mail <grace@example.com>
author-time 1706788800
author-tz +0100
summary two
previous {A} f.py
filename f.py
\t# TODO: x
{B} 4 4
\t# FIXME y
{A} 2 7 1
filename f.py
\tb = 2
""".encode()


def test_parse_blame_porcelain():
    lines = parse_blame_porcelain(PORCELAIN)
    assert sorted(lines) == [1, 3, 4, 7]
    assert (lines[1].sha, lines[1].author_name, lines[1].author_email) == (A, "Ada Lovelace", "ada@example.com")
    assert lines[3].authored_at == datetime(2024, 2, 1, 12, 0, tzinfo=timezone.utc)
    assert lines[4].author_name == "Grace Hopper"  # repeated commits carry no headers
    assert lines[7].sha == A and lines[7].authored_at == datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("lines", "ranges"),
    [([3, 1, 2, 7], [(1, 3), (7, 7)]), ([5], [(5, 5)]), ([], []), ([4, 4, 5, 9, 10], [(4, 5), (9, 10)])],
)
def test_line_ranges(lines, ranges):
    assert line_ranges(lines) == ranges


@pytest.mark.parametrize(
    ("revision", "path", "lines", "expected"),
    [
        ("abc1234", "a.py", [2, 3], ["blame", "--porcelain", "-L", "2,3", "abc1234", "--", "a.py"]),
        ("abc1234", "-rf.py", [1], ["blame", "--porcelain", "-L", "1,1", "abc1234", "--", "-rf.py"]),
    ],
)
def test_blame_args_put_the_path_after_the_separator(revision, path, lines, expected):
    assert blame_args(revision, path, lines) == expected


@pytest.mark.parametrize("revision", ["--output=/tmp/x", "HEAD", "abc", "ABCDEF1 ", "main~1"])
def test_blame_args_refuse_anything_but_a_commit_id(revision):
    with pytest.raises(GitError):
        blame_args(revision, "a.py", [1])
