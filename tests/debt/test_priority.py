"""The interest and WSJF formula as a table (no database): figures in, terms and priority out."""
import math

import pytest

from debt.priority import InterestFigures, priority_of


@pytest.mark.parametrize(
    ("impact", "effort", "figures", "interest", "cost_of_delay", "priority"),
    [
        # docs/debt.md's worked example.
        (3, 4, InterestFigures(revisions=6, authors=2, health=4, hotspot_score=70), 5.8167, 11.8167, 2.9542),
        # Healthy, quiet code: interest 0, cost of delay from impact alone.
        (1, 1, InterestFigures(), 0.0, 2.0, 2.0),
        (5, 10, InterestFigures(), 0.0, 10.0, 1.0),
        # Every term saturated: interest 10.
        (5, 2, InterestFigures(revisions=40, authors=9, health=1, hotspot_score=100), 10.0, 20.0, 10.0),
        # A job smaller than one unit counts as one unit.
        (2, 0.25, InterestFigures(revisions=12), 4.0, 8.0, 8.0),
        # Out-of-range figures are clamped, not trusted.
        (2, 1, InterestFigures(revisions=-3, authors=-1, health=15, hotspot_score=-5), 0.0, 4.0, 4.0),
    ],
)
def test_priority_table(impact, effort, figures, interest, cost_of_delay, priority):
    result = priority_of(impact=impact, effort=effort, figures=figures)
    assert result.interest == pytest.approx(interest, abs=1e-4)
    assert result.cost_of_delay == pytest.approx(cost_of_delay, abs=1e-4)
    assert result.priority == pytest.approx(priority, abs=1e-4)
    assert result.interest == pytest.approx(
        result.changes_term + result.authors_term + result.health_term + result.hotspot_term, abs=1e-3)


@pytest.mark.parametrize(
    ("impact", "effort", "figures"),
    [
        (0, 1, InterestFigures()),
        (6, 1, InterestFigures()),
        (True, 1, InterestFigures()),
        (3, 0, InterestFigures()),
        (3, -2, InterestFigures()),
        (3, math.inf, InterestFigures()),
        (3, 1, InterestFigures(health=math.nan)),
        (3, 1, InterestFigures(hotspot_score=math.inf)),
    ],
)
def test_priority_refuses_bad_numbers(impact, effort, figures):
    with pytest.raises(ValueError):
        priority_of(impact=impact, effort=effort, figures=figures)
