"""metrics.core.evaluation: ranks, Spearman, ranking quality, fix counting and the cut history's guard."""
from datetime import datetime, timedelta, timezone

import pytest

from metrics.core.evaluation import (
    DEFAULT_FIX_PATTERN,
    CutHistory,
    HistoryLeak,
    InvalidFixPattern,
    LaterCommit,
    RankedFile,
    TreeFile,
    average_ranks,
    compare_rankings,
    compile_fix_pattern,
    count_fix_touches,
    precision_at,
    rank_at_cut,
    spearman,
    top_share,
)
from metrics.core.records import ChangeEvent
from metrics.core.scoring import Minimums

CUT = datetime(2024, 6, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(("values", "expected"), [
    ([], []),
    ([7], [1.0]),
    ([10, 20, 30], [1.0, 2.0, 3.0]),
    ([30, 10, 20], [3.0, 1.0, 2.0]),
    ([10, 20, 20, 30], [1.0, 2.5, 2.5, 4.0]),
    ([3, 1, 3, 3], [3.0, 1.0, 3.0, 3.0]),  # three tied at ranks 2, 3, 4
    ([5, 5, 5], [2.0, 2.0, 2.0]),
    ([(True, 50.0), (False, 90.0), (True, 80.0)], [2.0, 1.0, 3.0]),  # tuples: files meeting the minimums first
])
def test_average_ranks_share_the_mean_rank_among_ties(values, expected):
    assert average_ranks(values) == expected


@pytest.mark.parametrize(("xs", "ys", "expected"), [
    ([1, 2, 3], [10, 20, 30], 1.0),
    ([1, 2, 3], [30, 20, 10], -1.0),
    # No ties: 1 - 6 * sum(d^2) / (n (n^2 - 1)) = 1 - 6 * 4 / 120.
    ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], 0.8),
    # Ties in y (ranks 1, 2, 3.5, 5, 3.5): Pearson on ranks = 8 / sqrt(10 * 9.5) (scipy's spearmanr example).
    ([1, 2, 3, 4, 5], [5, 6, 7, 8, 7], 8 / 95 ** 0.5),
    # Ties on both sides: x ranks 1.5, 1.5, 3, 4; y ranks 1, 2.5, 2.5, 4 (mean 2.5):
    # covariance 1.5 + 0 + 0 + 2.25 = 3.75, both variances 4.5.
    ([0, 0, 1, 2], [0, 1, 1, 3], 3.75 / 4.5),
])
def test_spearman_matches_hand_computed_values(xs, ys, expected):
    assert spearman(xs, ys) == pytest.approx(expected)


@pytest.mark.parametrize(("xs", "ys"), [([], []), ([1], [2]), ([1, 2, 3], [0, 0, 0]), ([4, 4], [1, 2])])
def test_spearman_is_none_without_spread(xs, ys):
    assert spearman(xs, ys) is None


def test_spearman_refuses_sequences_of_different_lengths():
    with pytest.raises(ValueError):
        spearman([1, 2], [1])


ORDER = [f"f{index:02}.py" for index in range(20)]


@pytest.mark.parametrize(("touches", "fraction", "expected"), [
    ({"f00.py": 3, "f01.py": 1, "f10.py": 4}, 0.10, 0.5),  # top 2 of 20: 4 of 8 touches
    ({"f00.py": 3, "f01.py": 1, "f10.py": 4}, 0.60, 1.0),  # top 12 of 20
    ({"f19.py": 2}, 0.10, 0.0),
    ({}, 0.10, None),  # no fixes: nothing to share
    ({"elsewhere.py": 5}, 0.10, None),  # fixes only outside the ranking
])
def test_top_share_is_the_share_of_fix_touches_in_the_first_files(touches, fraction, expected):
    assert top_share(ORDER, touches, fraction=fraction) == expected


def test_top_share_takes_at_least_one_file():
    assert top_share(["a.py", "b.py"], {"a.py": 1, "b.py": 3}, fraction=0.1) == 0.25


@pytest.mark.parametrize(("touches", "k", "expected"), [
    ({"f00.py": 1, "f05.py": 2, "f15.py": 1}, 10, 0.2),
    ({"f00.py": 1, "f05.py": 2, "f15.py": 1}, 20, 0.15),
    ({"f00.py": 1}, 40, 0.05),  # fewer files than k: the share of all of them
    ({}, 10, 0.0),
])
def test_precision_at_k_counts_files_with_a_fix(touches, k, expected):
    assert precision_at(ORDER, touches, k) == pytest.approx(expected)


def test_precision_of_an_empty_ranking_is_none():
    assert precision_at([], {"a.py": 1}, 10) is None


def ranked(path: str, *, score: float, rank: int, ranked_: bool = True, revisions: int = 0, churn: int = 0,
           complexity: int = 0, sloc: int = 0) -> RankedFile:
    return RankedFile(path=path, file_class="production", hotspot_score=score, hotspot_rank=rank, ranked=ranked_,
                      change_frequency=float(revisions),
                      revisions=revisions, churn=churn, complexity=complexity, sloc=sloc)


def test_compare_rankings_orders_the_hotspot_list_by_rank_and_each_baseline_by_its_figure():
    files = [
        ranked("hot.py", score=90.0, rank=1, revisions=5, churn=50, complexity=30, sloc=100),
        ranked("big.py", score=40.0, rank=2, revisions=1, churn=500, complexity=80, sloc=900),
        ranked("busy.py", score=95.0, rank=3, ranked_=False, revisions=9, churn=20, complexity=2, sloc=10),
    ]
    results = {item.ranking: item for item in compare_rankings(files, {"hot.py": 2})}
    assert list(results) == ["hotspot", "churn", "complexity", "size", "revisions"]
    assert results["hotspot"].top_share == 1.0  # hot.py is first (1 file = top 10 % of 3)
    assert results["churn"].top_share == 0.0 and results["size"].top_share == 0.0  # big.py first
    assert results["revisions"].top_share == 0.0  # busy.py first
    assert results["hotspot"].precision == {10: pytest.approx(1 / 3), 20: pytest.approx(1 / 3)}
    # busy.py scores higher but misses the minimums: its key (False, 95) ranks below (True, 40).
    assert results["hotspot"].spearman == pytest.approx(spearman([3, 2, 1], [1, 0, 0]))


@pytest.mark.parametrize(("subject", "fix"), [
    ("Fix crash on empty config", True),
    ("fixes #123", True),
    ("Fixed the thing", True),
    ("fixing tests", True),
    ("BUG: wrong total", True),
    ("bugfix for the parser", True),
    ("Hotfix 2.1.1", True),
    ("patch the loader", True),
    ("Add a prefix option", False),
    ("debugger support", False),
    ("monkeypatch less", False),
    ("Release 2.0", False),
])
def test_the_default_fix_pattern_matches_whole_words_in_any_case(subject, fix):
    assert (compile_fix_pattern(DEFAULT_FIX_PATTERN).search(subject) is not None) is fix


def test_an_invalid_fix_pattern_is_refused():
    with pytest.raises(InvalidFixPattern, match="not a regular expression"):
        compile_fix_pattern("fix(")


def later(sha: str, days: float, subject: str, *changes: tuple[str, str], merge: bool = False,
          excluded: bool = False) -> LaterCommit:
    return LaterCommit(sha=sha, committed_at=CUT + timedelta(days=days), subject=subject, is_merge=merge,
                       excluded=excluded, changes=tuple(changes))


PATTERN = compile_fix_pattern(DEFAULT_FIX_PATTERN)


def count(commits: list[LaterCommit], paths=("a.py", "b.py", "c.py"), horizon: float = 30):
    return count_fix_touches(commits, pattern=PATTERN, after=CUT, until=CUT + timedelta(days=horizon), paths=paths)


def test_fix_touches_count_each_fix_commit_once_per_file_within_the_horizon():
    result = count([
        later("1", 1, "Fix a", ("a.py", ""), ("b.py", "")),
        later("2", 2, "Add c", ("c.py", "")),
        later("3", 3, "fix a again", ("a.py", ""), ("a.py", "")),
        later("4", 0, "fix at the cut itself", ("c.py", "")),  # (after, until]: the cut's moment is not after
        later("5", 31, "fix after the horizon", ("c.py", "")),
        later("6", 30, "fix on the horizon's last moment", ("b.py", "")),
    ])
    assert result.touches == {"a.py": 2, "b.py": 2}
    assert result.fix_commits == 3 and result.outside == 0


def test_merges_and_excluded_commits_are_not_fixes():
    result = count([
        later("1", 1, "fix a", ("a.py", "")),
        later("2", 2, "Merge branch 'fix-a'", ("a.py", ""), merge=True),
        later("3", 3, "fix everything (bot)", ("b.py", ""), excluded=True),
        later("4", 4, "Merge branch 'docs'", ("c.py", ""), merge=True),
    ])
    assert result.touches == {"a.py": 1}
    assert (result.fix_commits, result.merges_skipped, result.excluded_skipped) == (1, 1, 1)


def test_fix_touches_follow_renames_back_to_the_name_at_the_cut():
    result = count([
        later("1", 1, "Move a", ("src/a.py", "a.py")),
        later("2", 2, "Fix src/a", ("src/a.py", "")),
        later("3", 3, "Swap b and c", ("c.py", "b.py"), ("b.py", "c.py")),
        later("4", 4, "fix the new b", ("b.py", "")),
        later("5", 5, "fix new file", ("new.py", ""), ("README.md", "")),
        later("6", 6, "Fix and move src/a", ("lib/a.py", "src/a.py")),
    ])
    assert result.touches == {"a.py": 2, "c.py": 1}
    assert result.outside == 2


def test_a_rename_in_a_fix_commit_is_a_touch_of_the_renamed_file():
    assert count([later("1", 1, "Fix and rename", ("z.py", "a.py"))]).touches == {"a.py": 1}


def event(sha: str, path: str, days_before: float, added: int = 1) -> ChangeEvent:
    return ChangeEvent(sha, path, "Ada", CUT - timedelta(days=days_before), added, 0)


def test_the_cut_history_refuses_an_event_after_the_cut():
    CutHistory(cut_at=CUT, events=(event("1", "a.py", 0),))  # the cut's own moment is in
    with pytest.raises(HistoryLeak, match="after the cut"):
        CutHistory(cut_at=CUT, events=(event("1", "a.py", 3), event("2", "a.py", -0.001)))


def cut_history() -> CutHistory:
    """hot.py changed 5 times lately (and once outside the window), calm.py once, small.py 8 times."""
    events = [event(f"h{day}", "hot.py", day, added=10) for day in range(1, 6)]
    events.append(event("c1", "calm.py", 200))
    events += [event(f"s{day}", "small.py", day) for day in range(1, 9)]
    events.append(event("o1", "hot.py", 500))  # outside the 365-day window
    return CutHistory(cut_at=CUT, events=tuple(events))


def test_rank_at_cut_scores_with_the_scans_formula_and_minimums():
    history = cut_history()
    tree = [TreeFile("hot.py", 30, 80, "production"), TreeFile("calm.py", 40, 90, "production"),
            TreeFile("small.py", 1, 5, "production"), TreeFile("new.py", 12, 60, "test")]
    files = rank_at_cut(history, tree, window_days=365, half_life_days=90.0, minimums=Minimums())
    assert [item.hotspot_rank for item in files] == [1, 2, 3, 4]
    assert files[0].path == "hot.py" and files[-1].path == "new.py"  # meeting the minimums first; 0.0 last
    by_path = {item.path: item for item in files}
    hot, calm, small, new = (by_path[path] for path in ("hot.py", "calm.py", "small.py", "new.py"))
    assert (hot.ranked, hot.revisions, hot.churn, hot.complexity, hot.sloc) == (True, 5, 50, 30, 80)
    assert hot.hotspot_score > calm.hotspot_score > 0
    assert (calm.ranked, calm.revisions) == (False, 1)  # below the minimum of 3 revisions
    assert (small.ranked, small.hotspot_score > 0) == (False, True)  # changing but simple
    assert (new.hotspot_score, new.revisions, new.file_class) == (0.0, 0, "test")
