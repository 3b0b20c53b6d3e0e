"""Ownership: shares by added lines (commits when no lines), fragmentation, knowledge islands."""
import pytest

from metrics.core.ownership import AuthorShare, author_shares, fragmentation, is_knowledge_island


@pytest.mark.parametrize(("commits", "added", "expected"), [
    pytest.param({"Ada": 3, "Grace": 1}, {"Ada": 30, "Grace": 10},
                 [AuthorShare("Ada", 3, 30, 0.75), AuthorShare("Grace", 1, 10, 0.25)], id="by added lines"),
    pytest.param({"Ada": 1, "Bob": 3}, {}, [AuthorShare("Bob", 3, 0, 0.75), AuthorShare("Ada", 1, 0, 0.25)],
                 id="by commits when nobody added a line"),
    pytest.param({"Bob": 1, "Ada": 1}, {"Bob": 5, "Ada": 5},
                 [AuthorShare("Ada", 1, 5, 0.5), AuthorShare("Bob", 1, 5, 0.5)], id="ties by name"),
    pytest.param({"Bob": 1, "Ada": 2}, {"Bob": 5, "Ada": 5},
                 [AuthorShare("Ada", 2, 5, 0.5), AuthorShare("Bob", 1, 5, 0.5)], id="ties by commits first"),
    pytest.param({}, {}, [], id="nobody"),
])
def test_author_shares(commits, added, expected):
    assert author_shares(commits, added) == expected


@pytest.mark.parametrize(("commits", "value"), [
    ({}, 0.0), ({"a": 4}, 0.0), ({"a": 1, "b": 1}, 0.5), ({"a": 3, "b": 1}, 0.375),
    ({"a": 1, "b": 1, "c": 1, "d": 1}, 0.75),
])
def test_fragmentation(commits, value):
    assert fragmentation(commits) == pytest.approx(value)


@pytest.mark.parametrize(("shares", "island"), [
    ([AuthorShare("Ada", 5, 81, 0.81), AuthorShare("Bob", 1, 19, 0.19)], True),
    ([AuthorShare("Ada", 5, 80, 0.8), AuthorShare("Bob", 1, 20, 0.2)], False),
    ([AuthorShare("Ada", 1, 3, 1.0)], True),
    ([], False),
])
def test_knowledge_island_needs_more_than_eighty_percent(shares, island):
    assert is_knowledge_island(shares) is island
