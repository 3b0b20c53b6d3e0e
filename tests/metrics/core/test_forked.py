"""Forked: a staged computation in a forked child, collected by the parent, finished in-process if the child fails."""
import logging
import os
import signal
import tempfile
import time

import pytest

from metrics.core.forked import Forked, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="forks only on Linux")


def test_the_stages_come_from_a_child_with_the_parents_memory():
    parent = os.getpid()
    inherited = list(range(1000))

    def stages():
        yield os.getpid()
        yield sum(inherited)

    with Forked(stages) as forked:
        folder = forked._folder
        assert folder.startswith(tempfile.gettempdir())
        assert forked.next() != parent
        assert forked.next() == sum(range(1000))
    assert forked.in_child
    assert not os.path.exists(folder)  # the result files are gone


def test_disabled_computes_in_this_process():
    with Forked(lambda: iter([os.getpid()]), enabled=False) as forked:
        assert forked.next() == os.getpid()
    assert not forked.in_child


def test_a_child_killed_between_stages_means_finishing_here(caplog):
    parent = os.getpid()
    computed = []

    def stages():
        computed.append("first")
        yield "first"
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        computed.append("second")
        yield "second"

    with caplog.at_level(logging.WARNING, logger="metrics.core.forked"), Forked(stages) as forked:
        assert forked.next() == "first"
        assert forked.next() == "second"
    assert not forked.in_child
    assert "computing the rest in-process" in caplog.text
    assert computed == ["first", "second"]  # here: the first stage again (to resume), then the second


def test_an_error_in_the_computation_reaches_the_parent():
    def stages():
        yield 1
        raise ValueError("bad input")

    with Forked(stages) as forked:
        assert forked.next() == 1
        with pytest.raises(ValueError, match="bad input"):
            forked.next()


def test_leaving_early_stops_and_reaps_the_child():
    started = time.monotonic()

    def stages():
        time.sleep(60)
        yield None

    with Forked(stages) as forked:
        pid, folder = forked._pid, forked._folder
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
    assert not os.path.exists(folder)
