"""Function change counting: spans walked back through -U0 hunks, with line drift, creations and deletions."""
import random

import pytest

from metrics.core.function_changes import count_function_changes, span_touched, translate_span
from metrics.core.records import FunctionSpan, Hunk


@pytest.mark.parametrize(("span", "hunks", "touched", "parent_span"), [
    pytest.param((10, 20), [Hunk(3, 0, 4, 2)], False, (8, 18), id="lines inserted above shift it up"),
    pytest.param((10, 20), [Hunk(3, 2, 2, 0)], False, (12, 22), id="lines deleted above shift it down"),
    pytest.param((10, 20), [Hunk(30, 1, 30, 1)], False, (10, 20), id="a change below leaves it"),
    pytest.param((10, 20), [Hunk(15, 1, 15, 1)], True, (10, 20), id="a line changed inside"),
    pytest.param((10, 20), [Hunk(12, 3, 11, 0)], True, (10, 23), id="lines deleted inside"),
    pytest.param((10, 20), [Hunk(21, 2, 20, 0)], False, (10, 20), id="lines deleted right after its end"),
    pytest.param((10, 20), [Hunk(9, 1, 9, 2)], True, (10, 19), id="its first line added by a growing change"),
    pytest.param((4, 5), [Hunk(3, 0, 4, 2)], True, None, id="created by the commit"),
    pytest.param((1, 10), [Hunk(0, 0, 1, 10)], True, None, id="the file was added"),
    pytest.param((5, 10), [Hunk(3, 2, 3, 4)], True, (5, 8), id="its start inside a growing replacement"),
    pytest.param((10, 30), [Hunk(20, 2, 23, 1), Hunk(1, 0, 1, 3)], True, (7, 28), id="several hunks, unsorted"),
    pytest.param((3, 3), [Hunk(3, 1, 3, 1)], True, (3, 3), id="a one-line function changed"),
])
def test_translate_span(span, hunks, touched, parent_span):
    assert span_touched(*span, sorted(hunks, key=lambda hunk: hunk.new_start)) is touched
    assert translate_span(*span, hunks) == parent_span


def test_line_drift_is_followed_back_through_history():
    functions = [FunctionSpan("top", 1, 4), FunctionSpan("f", 10, 12)]
    history = [
        [Hunk(0, 0, 1, 5)],  # newest: five lines inserted at the top; f was at 5-7 before, top was created here
        [Hunk(6, 1, 6, 1)],  # line 6 changed: inside f (5-7) only because the span moved
        [Hunk(0, 0, 1, 7)],  # the file was created: f counts once more, then has no older history
        [Hunk(1, 1, 1, 1)],  # older than f's creation: never counts
    ]
    assert count_function_changes(history, functions) == {"top": 1, "f": 2}


def test_drift_matters_for_the_count():
    # Without translating f's span (10-12) back, the change at line 6 would be missed.
    assert count_function_changes([[Hunk(0, 0, 1, 5)], [Hunk(6, 1, 6, 1)]], [FunctionSpan("f", 10, 12)]) == {"f": 1}


def test_uncounted_commits_move_spans_without_counting():
    functions = [FunctionSpan("f", 10, 12)]
    history = [[Hunk(0, 0, 1, 5)], [Hunk(6, 1, 6, 1)], [Hunk(5, 1, 5, 1)]]
    assert count_function_changes(history, functions, counted=[True, False, True]) == {"f": 1}
    assert count_function_changes(history, functions, counted=[False, False, False]) == {"f": 0}


def test_functions_sharing_a_qualname_count_a_commit_once():
    functions = [FunctionSpan("C.prop", 2, 3), FunctionSpan("C.prop", 6, 7), FunctionSpan("C.other", 9, 9)]
    history = [[Hunk(2, 1, 2, 1), Hunk(7, 1, 7, 1)], [Hunk(6, 1, 6, 1)], []]
    assert count_function_changes(history, functions) == {"C.prop": 2, "C.other": 0}


def test_scenario_engine_functions():
    """app/engine.py of tests/metrics/history_scenario.py, hunks as git prints them (newest first)."""
    functions = [FunctionSpan("alpha", 2, 5), FunctionSpan("beta", 8, 11), FunctionSpan("gamma", 14, 15)]
    history = [
        [Hunk(15, 1, 15, 1)],  # c10: gamma's body
        [Hunk(10, 2, 10, 2)],  # c5: beta's last two lines
        [Hunk(0, 0, 1, 1)],  # c3: rename, a comment inserted at the top
        [Hunk(3, 1, 3, 1), Hunk(10, 0, 11, 4)],  # c2: alpha's return, gamma added
        [Hunk(0, 0, 1, 10)],  # c1: the file is created
    ]
    assert count_function_changes(history, functions) == {"alpha": 2, "beta": 2, "gamma": 2}


def test_no_history_means_no_changes():
    assert count_function_changes([], [FunctionSpan("f", 1, 2)]) == {"f": 0}
    assert count_function_changes([[Hunk(1, 1, 1, 1)]], []) == {}


def _walk_every_span(history, functions, counted):
    """The reference: every span checked and moved through every hunk of every commit."""
    counts = {function.qualname: 0 for function in functions}
    spans = {index: (f.lineno, max(f.lineno, f.endline)) for index, f in enumerate(functions)}
    for position, hunks in enumerate(history):
        touched = set()
        for index, (start, end) in list(spans.items()):
            if counted[position] and span_touched(start, end, sorted(hunks, key=lambda h: (h.new_start, h.old_start))):
                touched.add(functions[index].qualname)
            moved = translate_span(start, end, hunks)
            if moved is None:
                del spans[index]
            else:
                spans[index] = moved
        for qualname in touched:
            counts[qualname] += 1
    return counts


def _random_hunks(rng: random.Random, length: int) -> tuple[list[Hunk], int]:
    """Non-overlapping -U0 hunks of one commit on a file of `length` lines; returns them and the parent's length."""
    hunks, old_line, new_line = [], 1, 1
    while rng.random() < 0.7:
        gap = rng.randint(0, 12)
        old_line, new_line = old_line + gap, new_line + gap
        old_count, new_count = rng.choice([(0, rng.randint(1, 4)), (rng.randint(1, 4), 0),
                                           (rng.randint(1, 4), rng.randint(1, 4))])
        if new_line + new_count - 1 > length:
            break
        hunks.append(Hunk(old_start=old_line if old_count else old_line - 1, old_count=old_count,
                          new_start=new_line if new_count else new_line - 1, new_count=new_count))
        old_line, new_line = old_line + old_count, new_line + new_count
    return hunks, length - new_line + old_line


def test_counting_agrees_with_walking_every_span_through_every_hunk():
    rng = random.Random(20261128)
    for _case in range(300):
        length = rng.randint(5, 80)
        functions = []
        for index in range(rng.randint(1, 8)):
            start = rng.randint(1, length)
            functions.append(FunctionSpan(qualname=f"f{index % 5}", lineno=start,
                                          endline=min(length, start + rng.randint(0, 15))))
        history, counted = [], []
        for _commit in range(rng.randint(1, 10)):
            hunks, length = _random_hunks(rng, length)
            history.append(hunks)
            counted.append(rng.random() < 0.8)
            if length < 1:
                break
        assert count_function_changes(history, functions, counted=counted) == \
            _walk_every_span(history, functions, counted)
