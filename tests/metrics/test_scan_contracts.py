"""The scan JSON contracts (metrics.data.ScanCounts, ScanSummary): round trips and tolerant reading."""
import math

import pytest

from metrics.data import (
    AnalysisCounts,
    CodeOwnersProblem,
    ListenerError,
    MiningCounts,
    ScanCounts,
    ScanSummary,
    ScoringCounts,
)
from metrics.services.analysis import SnapshotResult
from metrics.services.history import MiningResult

PROBLEM = CodeOwnersProblem(line=6, text="*.py", message="no owners")

FULL_COUNTS = ScanCounts(
    mining=MiningCounts(new_commits=3, total_commits=10, remined=False, excluded_commits=1, duration=0.25),
    analysis=AnalysisCounts(files=4, analysed=2, cached=2, errors=1, duration=1.5),
    scoring=ScoringCounts(files=4, commits=10, codeowners_file="CODEOWNERS", codeowners_errors=1,
                          history_from_cache=True, seconds={"history": 0.1, "store": 0.2}),
    seconds={"fetching": 0.1, "total": 3.0},
    codeowners_errors=(PROBLEM,),
    error_code="",
    listener_seconds={"debt.services.scan_hooks.debt_scan_receiver": 0.4},
    listener_errors=(ListenerError(listener="x.explode", error="ValueError: boom"),),
)

FULL_SUMMARY = ScanSummary(
    window_days=365, files=3, unanalysed=0, loc=23, total_complexity=8, violations=3, markers=1, hotspots=2,
    hotspot_threshold=50.0, health_bands={"healthy": 3, "warning": 0, "alert": 0}, mean_health=8.75,
    hotspots_by_window={"90": 2, "365": 2, "0": 2}, knowledge_islands=2, function_hotspots=5,
    codeowners_file="CODEOWNERS", codeowners_errors=(PROBLEM,),
)


@pytest.mark.parametrize("contract", [FULL_COUNTS, ScanCounts(), ScanCounts(error_code="scan.interrupted")])
def test_scan_counts_round_trip(contract):
    assert ScanCounts.from_json(contract.as_json()) == contract


@pytest.mark.parametrize("contract", [FULL_SUMMARY, ScanSummary()])
def test_scan_summary_round_trip(contract):
    assert ScanSummary.from_json(contract.as_json()) == contract


def test_scan_counts_json_has_the_stored_shape():
    assert set(FULL_COUNTS.as_json()) == {"mining", "analysis", "scoring", "seconds", "codeowners_errors",
                                          "listener_seconds", "listener_errors"}
    assert FULL_COUNTS.as_json()["listener_errors"] == [{"listener": "x.explode", "error": "ValueError: boom"}]
    assert FULL_COUNTS.as_json()["codeowners_errors"] == [{"line": 6, "text": "*.py", "message": "no owners"}]
    assert ScanCounts().as_json() == {}  # nothing recorded, nothing written
    assert ScanCounts(error_code="scan.internal_error").as_json() == {"error_code": "scan.internal_error"}


def test_scan_summary_json_has_the_stored_shape():
    data = FULL_SUMMARY.as_json()
    assert data["codeowners"] == {"file": "CODEOWNERS", "errors": [{"line": 6, "text": "*.py", "message": "no owners"}]}
    assert data["health_bands"] == {"healthy": 3, "warning": 0, "alert": 0}
    assert "codeowners_file" not in data and "codeowners_errors" not in data


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, ScanCounts()),
        ([], ScanCounts()),
        ({"error_code": "scan.interrupted"}, ScanCounts(error_code="scan.interrupted")),
        # An old row: a stage missing a key written later, a timing that is not a number.
        ({"mining": {"new_commits": 2}, "seconds": {"total": 1.0, "bad": "x"}},
         ScanCounts(mining=MiningCounts(new_commits=2), seconds={"total": 1.0})),
        ({"analysis": {"files": "many", "cached": True, "duration": math.inf}}, ScanCounts(analysis=AnalysisCounts())),
        ({"listener_errors": [{"listener": "a.b"}, "junk"]},
         ScanCounts(listener_errors=(ListenerError(listener="a.b", error=""),))),
    ],
)
def test_scan_counts_read_any_stored_row(raw, expected):
    assert ScanCounts.from_json(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, ScanSummary()),
        ({"files": "many", "mean_health": float("nan"), "health_bands": []}, ScanSummary()),
        ({"files": 2, "mean_health": None, "loc": True}, ScanSummary(files=2)),
        ({"codeowners": {"errors": [{"line": 6}]}},
         ScanSummary(codeowners_errors=(CodeOwnersProblem(line=6, text="", message=""),))),
    ],
)
def test_scan_summary_reads_any_stored_row(raw, expected):
    assert ScanSummary.from_json(raw) == expected


def test_stage_counts_take_the_fields_of_a_stage_result():
    mining = MiningResult(new_commits=5, total_commits=9, remined=True, excluded_commits=0, duration=float("nan"))
    assert MiningCounts.of(mining) == MiningCounts(new_commits=5, total_commits=9, remined=True, duration=0.0)
    analysis = SnapshotResult(files=3, analysed=1, cached=2, errors=0, skipped_symlinks=1, skipped_submodules=0,
                              excluded=4, duration=0.5)
    assert AnalysisCounts.of(analysis).as_json() == {
        "files": 3, "analysed": 1, "cached": 2, "errors": 0, "skipped_symlinks": 1, "skipped_submodules": 0,
        "excluded": 4, "duration": 0.5,
    }
