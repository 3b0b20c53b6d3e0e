"""The change gate: a change passes when no touched file gets worse."""
import pytest

from metrics.core.gate import FileDelta, FileFigures, GateConfig, evaluate_change

CONFIG = GateConfig(max_complexity=10, mi_tolerance=1.0)
BASE = FileFigures(loc=100, complexity=20, violations=3, markers=1, mi=60.0, functions=(("f", 12), ("g", 4)))


def figures(**changes) -> FileFigures:
    values = {"loc": BASE.loc, "complexity": BASE.complexity, "violations": BASE.violations, "markers": BASE.markers,
              "mi": BASE.mi, "functions": BASE.functions}
    values.update(changes)
    return FileFigures(**values)


@pytest.mark.parametrize(
    ("after", "status", "rules"),
    [
        (BASE, "pass", []),
        (figures(violations=4), "fail", ["lint.increased"]),
        (figures(violations=1), "cleaner", ["lint.decreased"]),
        (figures(markers=2), "fail", ["markers.increased"]),
        (figures(mi=58.5), "fail", ["mi.dropped"]),
        (figures(mi=59.5), "pass", []),  # within tolerance
        (figures(mi=62.0), "cleaner", ["mi.rose"]),
        (figures(functions=(("f", 13), ("g", 4))), "fail", ["complexity.increased"]),
        (figures(functions=(("f", 12), ("g", 9))), "pass", []),  # g grew but stays under the limit
        (figures(functions=(("f", 8), ("g", 4))), "cleaner", ["complexity.decreased"]),
        (figures(functions=(("f", 12), ("g", 4), ("h", 11))), "fail", ["complexity.new_function"]),
        (figures(violations=2, markers=2), "fail", ["lint.decreased", "markers.increased"]),
    ],
)
def test_changed_file_verdicts(after, status, rules):
    verdict = evaluate_change([FileDelta("pkg/mod.py", BASE, after)], CONFIG)
    assert verdict.status == status
    assert [f.rule for f in verdict.findings] == rules


@pytest.mark.parametrize(
    ("after", "status", "rules"),
    [
        (FileFigures(loc=10, functions=(("a", 3),)), "pass", []),
        (FileFigures(loc=10, violations=1), "fail", ["lint.new_file"]),
        (FileFigures(loc=10, functions=(("a", 11),)), "fail", ["complexity.new_function"]),
        (FileFigures(loc=10, markers=1), "fail", ["markers.new_file"]),
    ],
)
def test_new_file_verdicts(after, status, rules):
    verdict = evaluate_change([FileDelta("new.py", None, after)], CONFIG)
    assert verdict.status == status
    assert [f.rule for f in verdict.findings] == rules


def test_deleting_a_file_is_cleaner():
    verdict = evaluate_change([FileDelta("old.py", BASE, None)], CONFIG)
    assert verdict.status == "cleaner"
    assert verdict.findings[0].rule == "file.deleted"


def test_markers_can_be_allowed_by_configuration():
    config = GateConfig(new_markers_fail=False)
    verdict = evaluate_change([FileDelta("a.py", BASE, figures(markers=5))], config)
    assert verdict.status == "pass"
    assert verdict.findings[0].severity == "info"


def test_one_failing_file_fails_the_change_even_when_another_improves():
    verdict = evaluate_change(
        [FileDelta("a.py", BASE, figures(violations=0)), FileDelta("b.py", BASE, figures(violations=9))], CONFIG
    )
    assert verdict.passed is False
    assert verdict.cleaner is True
    assert verdict.status == "fail"


def test_a_file_that_cannot_be_analysed_fails_with_the_reason():
    verdict = evaluate_change([FileDelta("broken.py", BASE, None, after_error="SyntaxError at line 3")], CONFIG)
    assert verdict.status == "fail"
    assert [(f.rule, f.message) for f in verdict.findings] == [
        ("analysis.failed", "The changed file could not be analysed: SyntaxError at line 3")]
