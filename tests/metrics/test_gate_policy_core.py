"""The gate's policy rules, as tables: tolerances, the strict hotspot rule, new-file thresholds, the deciding rule."""
import pytest

from metrics.core.gate import FileDelta, FileFigures, GateConfig, evaluate_change, file_change

BEFORE = FileFigures(loc=10, complexity=5, violations=2, markers=1, mi=60.0, functions=(("f", 5),))


def changed(**after) -> list[FileDelta]:
    figures = {"loc": 10, "complexity": 5, "violations": 2, "markers": 1, "mi": 60.0, "functions": (("f", 5),)}
    return [FileDelta("a.py", BEFORE, FileFigures(**{**figures, **after}))]


@pytest.mark.parametrize("after, config, status, decided_by", [
    ({}, GateConfig(), "pass", "gate.no_worse"),
    ({"violations": 3}, GateConfig(), "fail", "lint.increased"),
    ({"violations": 3}, GateConfig(violations_tolerance=1), "pass", "gate.no_worse"),
    ({"violations": 1}, GateConfig(), "cleaner", "lint.decreased"),
    ({"markers": 3}, GateConfig(markers_tolerance=1), "fail", "markers.increased"),
    ({"markers": 2}, GateConfig(markers_tolerance=1), "pass", "gate.no_worse"),
    ({"complexity": 9}, GateConfig(), "pass", "gate.no_worse"),
    ({"complexity": 9}, GateConfig(complexity_tolerance=3), "fail", "complexity.file_increased"),
    ({"complexity": 8}, GateConfig(complexity_tolerance=3), "pass", "gate.no_worse"),
    ({"mi": 57.0}, GateConfig(mi_tolerance=5.0), "pass", "gate.no_worse"),
    ({"mi": 57.0}, GateConfig(mi_tolerance=2.0), "fail", "mi.dropped"),
    ({"functions": (("f", 7),)}, GateConfig(max_complexity=6), "fail", "complexity.increased"),
    ({}, GateConfig(hotspot_paths=frozenset({"a.py"})), "fail", "hotspot.not_improved"),
    ({"violations": 1}, GateConfig(hotspot_paths=frozenset({"a.py"})), "cleaner", "lint.decreased"),
    ({}, GateConfig(hotspot_paths=frozenset({"b.py"})), "pass", "gate.no_worse"),
])
def test_policy_rules_decide_the_verdict(after, config, status, decided_by):
    verdict = evaluate_change(changed(**after), config)
    assert (verdict.status, verdict.decided_by) == (status, decided_by)


@pytest.mark.parametrize("figures, config, status", [
    (FileFigures(violations=1), GateConfig(), "fail"),
    (FileFigures(violations=1), GateConfig(new_file_max_violations=1), "pass"),
    (FileFigures(markers=2), GateConfig(new_file_max_markers=2), "pass"),
    (FileFigures(functions=(("g", 8),)), GateConfig(new_file_max_complexity=5), "fail"),
    (FileFigures(functions=(("g", 8),)), GateConfig(), "pass"),
])
def test_new_file_thresholds(figures, config, status):
    assert evaluate_change([FileDelta("new.py", None, figures)], config).status == status


def test_file_change_reports_deltas_and_deleted_files():
    assert file_change(changed(complexity=3, violations=0, mi=70.0)[0]) == {
        "path": "a.py", "complexity": -2, "violations": -2, "markers": 0, "mi": 10.0, "new": False,
        "deleted": False}
    assert file_change(FileDelta("a.py", BEFORE, None)) == {
        "path": "a.py", "complexity": -5, "violations": -2, "markers": -1, "mi": None, "new": False,
        "deleted": True}
