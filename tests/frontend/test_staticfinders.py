"""plotly.js is served from the installed plotly package, never copied into the repository."""
from pathlib import Path

from django.contrib.staticfiles import finders

from frontend.staticfinders import PLOTLY_STATIC_PATH, PlotlyFinder, plotly_bundle_path

REPO = Path(__file__).resolve().parents[2]


def test_the_finder_exposes_the_package_bundle_as_vendor_plotly():
    found = finders.find(PLOTLY_STATIC_PATH)
    assert found == str(plotly_bundle_path())
    assert Path(found).stat().st_size > 1_000_000
    assert finders.find(PLOTLY_STATIC_PATH, find_all=True) == [found]
    assert PlotlyFinder().find("vendor/other.js") == []


def test_collectstatic_gets_the_bundle_under_vendor():
    finder = PlotlyFinder()
    listed = list(finder.list(None))
    assert [(path, storage.prefix) for path, storage in listed] == [("plotly.min.js", "vendor")]
    assert listed[0][1].path("plotly.min.js") == str(plotly_bundle_path())
    assert finder.check() == []


def test_no_copy_of_plotly_lives_in_the_repository():
    assert not list((REPO / "frontend").rglob("plotly*.js"))
