"""metrics.core.block_memo: answers kept for one block of work, and only within it."""
import threading

import pytest

from metrics.core.block_memo import memo_block, remembered


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)
    return calls, compute


def test_outside_a_block_every_question_is_computed():
    calls, compute = counter()
    assert [remembered("k", compute), remembered("k", compute)] == [1, 2]


def test_within_a_block_an_answer_is_computed_once_per_key_until_the_block_ends():
    calls, compute = counter()
    with memo_block():
        assert [remembered("k", compute), remembered("k", compute), remembered("other", compute)] == [1, 1, 2]
        with memo_block():  # a nested block uses the outer one's answers
            assert remembered("k", compute) == 1
        assert remembered("other", compute) == 2
    assert remembered("k", compute) == 3
    assert len(calls) == 3


def test_a_failure_is_not_kept():
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("git went away")
        return "listed"

    with memo_block():
        with pytest.raises(OSError):
            remembered("k", flaky)
        assert remembered("k", flaky) == "listed"
        assert remembered("k", flaky) == "listed"
    assert len(attempts) == 2


def test_a_block_keeps_answers_for_its_own_thread_only():
    calls, compute = counter()
    seen = []
    with memo_block():
        remembered("k", compute)
        other = threading.Thread(target=lambda: seen.append(remembered("k", compute)))
        other.start()
        other.join()
        assert remembered("k", compute) == 1
    assert seen == [2]
