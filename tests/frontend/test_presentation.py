"""Pure presentation logic of the frontend: treemap aggregation, scatter quadrants, palette, summaries, formatting."""
import math

import pytest

from debtboard.spreadsheets import defuse_formula
from frontend import palette
from frontend.scatter import churn_complexity
from frontend.sparklines import sparkline_svg
from frontend.summaries import summary_of
from frontend.templatetags.debtboard_ui import breakdown_items
from frontend.treemap import hotspot_map


def shop_map():
    """Two files in src/ and an empty one at the root: (map data, node index by id)."""
    data = hotspot_map(
        [("src/a.py", 100, 80.0, 2.0), ("src/b.py", 300, 20.0, 10.0), ("setup.py", 0, 5.0, 9.0)],
        root_label="shop",
    )
    return data, {node: i for i, node in enumerate(data["ids"])}


def test_hotspot_map_places_files_under_their_folders():
    data, index = shop_map()
    assert data["ids"][0] == "/" and data["root"] == "shop" and data["files"] == 3
    assert data["parents"][index["src/"]] == index["/"]
    assert data["parents"][index["src/a.py"]] == index["src/"]
    assert data["parents"][index["setup.py"]] == index["/"]


def test_hotspot_map_aggregates_folders_by_lines_weighted_score_and_health():
    data, index = shop_map()
    assert data["loc"][index["src/"]] == 400
    assert data["loc"][index["setup.py"]] == 1  # an empty file still gets an area
    assert data["loc"][index["/"]] == 401
    assert data["score"][index["src/"]] == pytest.approx((80.0 * 100 + 20.0 * 300) / 400, abs=0.01)
    assert data["health"][index["src/"]] == pytest.approx((2.0 * 100 + 10.0 * 300) / 400, abs=0.01)


def test_hotspot_map_marks_each_folders_hottest_file():
    data, index = shop_map()
    assert data["hottest"][index["src/"]] == index["src/a.py"]
    assert data["hottest"][index["/"]] == index["src/a.py"]
    assert data["hottest"][index["setup.py"]] == -1


@pytest.mark.parametrize(("paths", "start", "folders"), [
    (["a.py"], "", []),
    (["a/b/c/d.py"], "a/b/c/", []),
    (["a/x.py", "a/y.py", "b/z.py"], "", ["a/", "b/"]),
    (["src/pkg/a.py", "src/pkg/b.py", "src/pkg/sub/c.py"], "src/pkg/", ["src/pkg/sub/"]),
    (["src/pkg/a.py", "setup.py"], "", ["src/pkg/"]),  # src/ only leads to pkg/: one node
    (["x/a.py", "x/deep/er/b.py"], "x/", ["x/deep/er/"]),
])
def test_hotspot_map_collapses_single_folder_chains(paths, start, folders):
    data = hotspot_map([(path, 10, 1.0, 5.0) for path in paths], root_label="r")
    assert data["start"] == start and data["ids"][0] == (start or "/")
    assert data["root"] == ("r" + (f" · {start}" if start else ""))
    assert [node for node in data["ids"][1:] if node.endswith("/")] == folders
    assert sorted(node for node in data["ids"] if not node.endswith("/")) == sorted(paths)
    assert len(data["ids"]) == len(set(data["ids"])) == 1 + len(folders) + len(paths)
    assert all(data["parents"][i] < i for i in range(1, len(data["ids"])))  # parents come first


def test_hotspot_map_of_no_files_is_only_the_root():
    assert hotspot_map([], root_label="r")["ids"] == ["/"]


def test_churn_complexity_uses_medians_of_all_rows_and_draws_the_hottest():
    rows = [(f"f{i}.py", i * 10, i, float(i), 5.0) for i in range(1, 8)]
    data = churn_complexity(rows, limit=3)
    assert data["total"] == 7 and data["shown"] == 3
    assert data["median_churn"] == 40 and data["median_complexity"] == 4
    assert data["path"] == ["f7.py", "f6.py", "f5.py"]


def test_churn_complexity_of_nothing_is_empty():
    assert churn_complexity([])["total"] == 0


@pytest.mark.parametrize(("health", "step"), [(None, 0), (1.0, 0), (3.9, 2), (5.0, 3), (8.0, 4), (9.9, 5), (10.0, 5)])
def test_health_steps_are_dark_when_unhealthy(health, step):
    assert palette.health_step(health) == step


@pytest.mark.parametrize(("score", "step"), [(0.0, 5), (None, 5), (10.0, 5), (50.0, 2), (99.0, 0), (100.0, 0),
                                             (math.nan, 5)])
def test_hotspot_steps_are_dark_when_hot(score, step):
    assert palette.hotspot_step(score) == step


def test_palette_text_has_enough_contrast_on_every_step():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for background, text in palette.STEPS:
        light, dark = sorted((luminance(background), luminance(text)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, background


def test_summary_reads_bands_and_totals():
    summary = summary_of({"files": 10, "loc": 900, "mean_health": 7.5, "total_complexity": 40, "violations": 3,
                          "markers": 2, "hotspots": 1, "health_bands": {"healthy": 6, "warning": 3, "alert": 1}})
    assert (summary.files, summary.loc, summary.mean_health, summary.complexity) == (10, 900, 7.5, 40)
    assert [(band.key, band.count) for band in summary.bands] == [("healthy", 6), ("warning", 3), ("alert", 1)]
    assert sum(band.share for band in summary.bands) == pytest.approx(1.0)


@pytest.mark.parametrize("raw", [None, {}, {"files": "many", "mean_health": float("nan"), "health_bands": []},
                                 {"health_bands": {"healthy": 0, "warning": 0, "alert": 0}}])
def test_summary_tolerates_missing_or_bad_figures(raw):
    summary = summary_of(raw)
    assert summary.files is None and summary.mean_health is None and summary.bands == ()


def test_sparkline_escapes_its_label_and_skips_missing_points():
    svg = sparkline_svg([1.0, None, 3.0, float("inf")], label="<b>trend</b>")
    assert "&lt;b&gt;trend&lt;/b&gt;" in svg and "<polyline" in svg
    assert svg.count(",") == 2  # two drawn points
    assert "no trend" in sparkline_svg([None], label="x")


@pytest.mark.parametrize(("value", "expected"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+1", "'+1"), ("-x", "'-x"), ("@sum", "'@sum"),
    ("src/a.py", "src/a.py"), (12, 12), (None, None),
])
def test_csv_cells_that_look_like_formulas_are_defused(value, expected):
    assert defuse_formula(value) == expected


def test_breakdown_items_flatten_nested_json():
    assert breakdown_items({"frequency": 0.81234, "complexity": {"total": 14, "normalised": 0.5}, "ok": True}) == [
        ("frequency", "0.812"), ("complexity · total", "14"), ("complexity · normalised", "0.5"), ("ok", "yes"),
    ]
