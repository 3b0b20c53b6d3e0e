"""Benchmark: server time of debtboard's main pages with 10,000 scored files in one repository.

    python bench/bench_pages.py [--files 10000] [--repeat 7] [--quick]

A new SQLite database in a temporary data directory is migrated and filled with bulk_create (the
frontend tests' builder), then each page is requested through Django's test client (the whole
request: middleware, views, queries, templates) once to warm up and `--repeat` times measured.
Reported per page: median and worst milliseconds, queries, response size. Target: every median
under 300 ms. Exit status 1 when a page misses it.
"""
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.page_timing import page_arguments, setup_django, time_pages  # noqa: E402  (after the sys.path fix)

TARGET_MS = 300.0
PAGES = (
    ("repository list", "/"),
    ("dashboard", "/repos/{name}/"),
    ("hotspot map JSON", "/repos/{name}/hotspot-map.json"),
    ("hotspot ranking", "/repos/{name}/hotspots/"),
    ("ranking, filtered and sorted", "/repos/{name}/hotspots/?path=pkg03/&sort=-churn&page=2"),
    ("ranking, htmx swap", "/repos/{name}/hotspots/?min_score=20&sort=health", {"HTTP_HX_REQUEST": "true",
                                                                                "HTTP_HX_TARGET": "results"}),
    ("function ranking", "/repos/{name}/functions/?sort=-complexity"),
    ("file page", "/repos/{name}/files/pkg00/mod00/file00000.py"),
    ("ranking CSV export", "/repos/{name}/hotspots.csv"),
    ("debt register", "/repos/{name}/debt/?status=all"),
    ("debt board", "/repos/{name}/board/"),
    ("proposals inbox", "/repos/{name}/proposals/"),
)


def _build(files: int) -> tuple[str, object]:
    """Create the repository, its debt and a user; return the repository name and the user."""
    from django.contrib.auth import get_user_model

    from tests.bench_data import bench_debt_items
    from tests.frontend.factories import bulk_scanned_repository

    built = bulk_scanned_repository(name="huge", files=files)
    bench_debt_items(repository=built.repository, paths=built.paths)
    user = get_user_model().objects.create_user("bench", password="bench-only-password")
    return built.repository.name, user


def main(argv: list[str] | None = None) -> int:
    """Run the page benchmark and print one line per page; return 1 when a median misses the target."""
    args = page_arguments(__doc__.splitlines()[0], argv, files=10_000)
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-pages-") as scratch:
        setup_django(scratch)
        from django.test import Client

        started = time.perf_counter()
        name, user = _build(args.files)
        print(f"built {args.files:,} scored files in {time.perf_counter() - started:.1f} s (SQLite)")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        pages = [(label, pattern.format(name=name), TARGET_MS, extra[0] if extra else {})
                 for label, pattern, *extra in PAGES]
        return time_pages(client, pages, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
