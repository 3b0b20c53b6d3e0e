"""Scoring formulas on hand-computed inputs (docs/scoring.md)."""
import math

import pytest

from metrics.core.scoring import (
    HEALTH_WEIGHTS,
    FileFacts,
    HealthInput,
    HotspotInput,
    code_health,
    function_hotspot_score,
    health_band,
    lint_density,
    log_normalise,
    score_hotspots,
    summarise,
)


@pytest.mark.parametrize(("value", "maximum", "normalised"), [
    (0, 10, 0.0), (10, 10, 1.0), (3, 15, 0.5), (15, 255, 0.5), (5, 0, 0.0), (20, 10, 1.0), (-1, 10, 0.0),
])
def test_log_normalise(value, maximum, normalised):
    assert log_normalise(value, maximum) == pytest.approx(normalised)


def test_hotspot_scores_and_ranks():
    scores = score_hotspots([
        HotspotInput("b.py", 3, 15, 15),
        HotspotInput("c.py", 0, 255, 255),
        HotspotInput("a.py", 15, 255, 255),
        HotspotInput("e.py", 3, 255, 255),
        HotspotInput("f.py", 15, 15, 255),
        HotspotInput("d.py", 15, 0, 255),
    ])
    half = round(100 * 0.5 ** (1 / 3), 2)  # one factor at half of the log scale, two at the top: 79.37
    assert {path: (item.score, item.rank) for path, item in scores.items()} == {
        "a.py": (100.0, 1),
        "f.py": (half, 2),  # ties with e.py; the higher change frequency ranks first
        "e.py": (half, 3),
        "b.py": (50.0, 4),  # every factor at half: 100 * cbrt(1/8)
        "d.py": (0.0, 5),  # ties at zero rank by change frequency, then complexity, then path
        "c.py": (0.0, 6),
    }
    assert scores["e.py"].breakdown == {
        "inputs": {"change_frequency": 3, "complexity": 255, "sloc": 255},
        "maxima": {"change_frequency": 15, "complexity": 255, "sloc": 255},
        "normalised": {"change_frequency": 0.5, "complexity": 1.0, "sloc": 1.0},
        "formula": "100 * cbrt(norm(change_frequency) * norm(complexity) * norm(sloc)), "
                   "norm(x) = log(1+x) / log(1+max)",
        "dominant": "complexity",  # complexity and size share the top: the first of them
    }
    assert scores["b.py"].breakdown["dominant"] == "balanced"
    assert scores["d.py"].breakdown["dominant"] == "change_frequency"
    assert scores["f.py"].breakdown["dominant"] == "change_frequency"


@pytest.mark.parametrize(("small", "big", "expected"), [
    # Same change frequency and complexity: the bigger file ranks first (size is a factor of its own).
    pytest.param((7, 40, 100), (7, 40, 800), ["big.py", "small.py"], id="size-breaks-what-used-to-tie"),
    # A big, complex file changed once does not outrank a mid-sized one changed every month.
    pytest.param((12, 30, 200), (1, 300, 3000), ["small.py", "big.py"], id="frequency-still-counts"),
    # Any factor at zero gives zero: an empty module (no source lines) is never a hotspot.
    pytest.param((7, 40, 100), (7, 40, 0), ["small.py", "big.py"], id="no-source-lines-no-score"),
])
def test_hotspot_score_is_the_geometric_mean_of_frequency_complexity_and_size(small, big, expected):
    scores = score_hotspots([HotspotInput("small.py", *small), HotspotInput("big.py", *big)])
    assert sorted(scores, key=lambda path: scores[path].rank) == expected
    maxima = [max(a, b) for a, b in zip(small, big)]
    for path, inputs in (("small.py", small), ("big.py", big)):
        product = math.prod(log_normalise(value, top) for value, top in zip(inputs, maxima))
        assert scores[path].score == round(100 * product ** (1 / 3), 2)


def test_no_files_no_scores():
    assert score_hotspots([]) == {}


@pytest.mark.parametrize(("facts", "health", "dominant"), [
    pytest.param(HealthInput(mi=80, worst_function_complexity=5, violations=0, loc=100, coupling_sum=0), 10.0, None,
                 id="clean"),
    pytest.param(HealthInput(mi=0, worst_function_complexity=50, violations=200, loc=2000, coupling_sum=5), 1.0,
                 "maintainability", id="everything at its worst"),
    pytest.param(HealthInput(mi=40, worst_function_complexity=25, violations=10, loc=200, coupling_sum=0.75), 6.51,
                 "maintainability", id="mixed: 10 - 9 * (.3*.5 + .25*.5 + .15*.5 + .15*0 + .15*.25)"),
    pytest.param(HealthInput(mi=None, worst_function_complexity=40, violations=0, loc=900, coupling_sum=0), 7.075,
                 "function_complexity", id="unknown MI: 10 - 9 * (.25*1 + .15*.5)"),
    pytest.param(HealthInput(mi=70, worst_function_complexity=10, violations=3, loc=0, coupling_sum=0), 8.65,
                 "lint_density", id="violations in an empty file: 10 - 9 * .15"),
])
def test_code_health(facts, health, dominant):
    value, breakdown = code_health(facts)
    assert value == pytest.approx(health, abs=0.006)
    assert breakdown["dominant"] == dominant
    assert breakdown["weights"] == HEALTH_WEIGHTS
    assert set(breakdown["penalties"]) == set(HEALTH_WEIGHTS)
    assert breakdown["missing"] == ([] if facts.mi is not None else ["mi"])


def test_health_weights_sum_to_one():
    assert sum(HEALTH_WEIGHTS.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(("health", "band"), [
    (10, "healthy"), (8, "healthy"), (7.99, "warning"), (4, "warning"), (3.99, "alert"), (1, "alert"),
])
def test_health_bands(health, band):
    assert health_band(health) == band


@pytest.mark.parametrize(("violations", "loc", "density"), [(0, 0, 0.0), (5, 100, 5.0), (3, 0, 300.0), (1, 400, 0.25)])
def test_lint_density(violations, loc, density):
    assert lint_density(violations, loc) == density


@pytest.mark.parametrize(("complexity", "changes", "score"), [(5, 3, 15.0), (12, 0, 0.0), (1, 1, 1.0)])
def test_function_hotspot_score(complexity, changes, score):
    assert function_hotspot_score(complexity, changes) == score


def test_summary():
    files = [
        FileFacts(loc=100, complexity=10, violations=2, markers=1, health=9.0, hotspot_score=80.0, sloc=70),
        FileFacts(loc=50, complexity=4, violations=0, markers=0, health=5.0, hotspot_score=50.0),
        FileFacts(loc=300, complexity=40, violations=9, markers=3, health=2.0, hotspot_score=49.99),
        FileFacts(loc=0, complexity=0, violations=0, markers=0, health=10.0, hotspot_score=0.0, analysed=False),
    ]
    assert summarise(files, window_days=365) == {
        "window_days": 365, "files": 4, "unanalysed": 1, "loc": 450, "sloc": 70, "total_complexity": 54,
        "violations": 11, "markers": 4, "hotspots": 2, "hotspot_threshold": 50.0,
        "health_bands": {"healthy": 1, "warning": 1, "alert": 1}, "mean_health": 5.33,
    }
    assert summarise([], window_days=90)["mean_health"] is None
