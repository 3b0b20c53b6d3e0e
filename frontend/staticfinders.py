"""A staticfiles finder that serves the plotly.js bundle shipped inside the plotly Python package."""
import os
from collections.abc import Iterator
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly.min.js"


def plotly_bundle_path() -> Path:
    """Return the path of plotly.min.js inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Expose plotly's own `package_data/plotly.min.js` as the static file `vendor/plotly.min.js`.

    Nothing is copied into the repository: development servers, the live test server and
    `collectstatic` (then whitenoise, compressed) all read the file from the installed package.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bundle = plotly_bundle_path()
        self.storage = FileSystemStorage(location=str(self.bundle.parent))
        # collectstatic writes each listed file to os.path.join(storage.prefix, path).
        self.storage.prefix = os.path.dirname(PLOTLY_STATIC_PATH)

    def check(self, **kwargs) -> list[CheckMessage]:
        if not self.bundle.is_file():
            return [Error(f"plotly.min.js is missing at {self.bundle}; reinstall the plotly package.",
                          id="frontend.E001")]
        return []

    def find(self, path: str, find_all: bool = False) -> str | list[str]:
        """Return the bundle's absolute path for `vendor/plotly.min.js` (a list when find_all)."""
        match = str(self.bundle) if path == PLOTLY_STATIC_PATH and self.bundle.is_file() else None
        if find_all:
            return [match] if match else []
        return match or []

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        """Yield the one file this finder serves, relative to its storage."""
        if self.bundle.is_file():
            yield self.bundle.name, self.storage
