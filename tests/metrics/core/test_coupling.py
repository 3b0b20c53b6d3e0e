"""Change coupling, code-maat's way: shared revisions over average revisions, with its thresholds."""
import pytest

from metrics.core.coupling import CouplingPair, couple_files, coupling_sums, top_coupled

BIG = {"a", "b", *(f"x{i}" for i in range(29))}  # 31 files
CHANGESETS = [{"a", "b"}, {"a", "b"}, {"a", "b", "c"}, {"a"}, {"c", "d"}, BIG]
ALL = dict(min_revisions=1, min_shared=1, min_degree=0.0, max_files_per_commit=30)


def pair(a, b, shared, revs_a, revs_b):
    return CouplingPair(a, b, shared, revs_a, revs_b, pytest.approx(shared / ((revs_a + revs_b) / 2)))


@pytest.mark.parametrize(("options", "expected"), [
    pytest.param(ALL, [pair("a", "b", 3, 4, 3), pair("c", "d", 1, 2, 1), pair("b", "c", 1, 3, 2),
                       pair("a", "c", 1, 4, 2)], id="every pair, strongest first"),
    pytest.param({**ALL, "min_shared": 2}, [pair("a", "b", 3, 4, 3)], id="min shared revisions"),
    pytest.param({**ALL, "min_revisions": 3}, [pair("a", "b", 3, 4, 3), pair("a", "c", 1, 4, 2)],
                 id="min revisions applies to the average"),
    pytest.param({**ALL, "min_degree": 0.5}, [pair("a", "b", 3, 4, 3), pair("c", "d", 1, 2, 1)], id="min degree"),
    pytest.param({**ALL, "max_files_per_commit": 31, "paths": {"a", "b", "c", "d"}},
                 [pair("a", "b", 4, 5, 4), pair("c", "d", 1, 2, 1), pair("b", "c", 1, 4, 2), pair("a", "c", 1, 5, 2)],
                 id="a larger changeset limit counts the big commit"),
    pytest.param({**ALL, "paths": {"a", "c", "d"}}, [pair("c", "d", 1, 2, 1), pair("a", "c", 1, 4, 2)],
                 id="only the given files"),
])
def test_couple_files(options, expected):
    assert couple_files(CHANGESETS, **options) == expected


def test_code_maat_defaults_need_five_shared_revisions():
    assert couple_files([{"a", "b"}] * 4) == []
    assert couple_files([{"a", "b"}] * 5) == [CouplingPair("a", "b", 5, 5, 5, 1.0)]
    assert couple_files([{"a", "b"}] * 5 + [{"a"}] * 30) == []  # degree 5 / 20 = 0.25 < 0.3


def test_coupling_sums_and_top_coupled():
    pairs = couple_files(CHANGESETS, **ALL)
    sums = coupling_sums(pairs)
    assert sums == pytest.approx({"a": 3 / 3.5 + 1 / 3, "b": 3 / 3.5 + 1 / 2.5, "c": 1 / 1.5 + 1 / 2.5 + 1 / 3,
                                  "d": 1 / 1.5})
    assert [(partner, round(item.degree, 3)) for partner, item in top_coupled(pairs, "c", limit=2)] == [
        ("d", 0.667), ("b", 0.4),
    ]
    assert top_coupled(pairs, "nowhere.py") == []
