"""Work left on the shared pool when its taker goes away (a cancelled scan) is not analysed.

A live scan starts its whole commit on the pool before mining (metrics.services.scans.ahead). When the
scan is cancelled, or fails, mid-way, the block ends with an exception: the files still queued belong to
no one, and a worker that went on analysing them would hold the scan's task open for minutes (400 files
on one niced worker). Each analyzer call leaves a mark in a folder, so a test counts the files analysed.
"""
import time
from pathlib import Path

import pytest

from metrics.core.analysis import AnalysisConfig, FileAnalysis
from metrics.core.shared_pool import shared_pool, take_prefetched
from tests.metrics.core.test_pool_background import start_ahead

FILES = 40


def mark_then_wait(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    """A slow analyzer that leaves a mark (its file's name) in the folder its source names."""
    (Path(source.decode()) / path).touch()
    time.sleep(0.2)
    return FileAnalysis.failed(path, len(source), "internal", "marked")


def _start(folder: Path) -> list[tuple[str, str]]:
    return start_ahead(mark_then_wait, str(folder).encode(), count=FILES)


class Cancelled(Exception):
    pass


def test_a_block_left_by_an_exception_stops_its_workers_without_analysing_what_is_queued(tmp_path):
    with pytest.raises(Cancelled), shared_pool():
        _start(tmp_path)
        while not any(tmp_path.iterdir()):  # the worker is on its first file
            time.sleep(0.01)
        raise Cancelled
    time.sleep(0.5)  # a worker still alive would mark another file meanwhile
    analysed = len(list(tmp_path.iterdir()))
    assert 1 <= analysed <= 2  # the file in hand, perhaps the next; never the other 38


def test_a_scan_that_stops_taking_its_analyses_stops_the_rest(tmp_path):
    """Cancelled between two files: the stage raises while taking, out of the block, and nothing more runs."""
    with pytest.raises(Cancelled), shared_pool():
        keys = _start(tmp_path)
        for _key, analysis in take_prefetched(keys):
            assert analysis.error == "marked"
            raise Cancelled
    time.sleep(0.5)
    assert 1 <= len(list(tmp_path.iterdir())) <= 3  # the one taken, perhaps one or two in hand
