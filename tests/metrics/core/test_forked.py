"""Forked: a computation in a forked child, collected by the parent, computed in-process when the child fails."""
import glob
import logging
import os
import signal
import tempfile
import time

import pytest

from metrics.core.forked import Forked, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="forks only on Linux")


def leftovers() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "debtboard-forked-*")))


def test_the_result_comes_from_a_child_with_the_parents_memory():
    parent = os.getpid()
    inherited = list(range(1000))
    before = leftovers()
    with Forked(lambda: (os.getpid(), sum(inherited))) as forked:
        pid, total = forked.result()
    assert pid != parent and total == sum(range(1000))
    assert forked.in_child and forked.seconds >= 0
    assert leftovers() == before  # the result file is gone


def test_disabled_computes_in_this_process():
    with Forked(os.getpid, enabled=False) as forked:
        assert forked.result() == os.getpid()
    assert not forked.in_child


def test_a_killed_child_means_computing_here(caplog):
    parent = os.getpid()

    def compute():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "computed here"

    with caplog.at_level(logging.WARNING, logger="metrics.core.forked"), Forked(compute) as forked:
        assert forked.result() == "computed here"
    assert not forked.in_child
    assert "computing it in-process" in caplog.text


def test_an_error_in_the_computation_reaches_the_parent():
    def compute():
        raise ValueError("bad input")

    with Forked(compute) as forked, pytest.raises(ValueError, match="bad input"):
        forked.result()


def test_leaving_early_stops_and_reaps_the_child():
    before = leftovers()
    started = time.monotonic()
    with Forked(lambda: time.sleep(60)) as forked:
        pid = forked._pid
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
    assert leftovers() == before
