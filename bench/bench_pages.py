"""Benchmark: server time of debtboard's main pages with 10,000 scored files in one repository.

    python bench/bench_pages.py [--files 10000] [--repeat 7] [--quick]

A new SQLite database in a temporary data directory is migrated and filled with bulk_create (the
frontend tests' builder), then each page is requested through Django's test client (the whole
request: middleware, views, queries, templates) once to warm up and `--repeat` times measured.
Reported per page: median and worst milliseconds, queries, response size. Target: every median
under 300 ms. Exit status 1 when a page misses it.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

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


def _setup_django(scratch: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "debtboard.settings"
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["DEBTBOARD_DATA_DIR"] = scratch
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(files: int) -> tuple[str, object]:
    """Create the repository, its debt and a user; return the repository name and the user."""
    from django.contrib.auth import get_user_model

    from tests.bench_data import bench_debt_items
    from tests.frontend.factories import bulk_scanned_repository

    built = bulk_scanned_repository(name="huge", files=files)
    bench_debt_items(repository=built.repository, paths=built.paths)
    user = get_user_model().objects.create_user("bench", password="bench-only-password")
    return built.repository.name, user


def _request(client, url: str, headers: dict) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, **headers)
        size = len(b"".join(response.streaming_content)) if response.streaming else len(response.content)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(queries), size


def main(argv: list[str] | None = None) -> int:
    """Run the page benchmark and print one line per page; return 1 when a median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="3 measured requests per page instead of --repeat")
    args, ignored = parser.parse_known_args(argv)
    if ignored:
        print(f"(ignoring arguments meant for other benchmarks: {' '.join(ignored)})")
    if args.quick:
        args.repeat = 3
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-pages-") as scratch:
        _setup_django(scratch)
        from django.test import Client

        started = time.perf_counter()
        name, user = _build(args.files)
        print(f"built {args.files:,} scored files in {time.perf_counter() - started:.1f} s (SQLite)")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        missed = []
        print(f"{'page':32} {'median ms':>10} {'worst ms':>9} {'queries':>8} {'bytes':>10}")
        for label, pattern, *extra in PAGES:
            url, headers = pattern.format(name=name), (extra[0] if extra else {})
            _request(client, url, headers)
            runs = [_request(client, url, headers) for _ in range(args.repeat)]
            median = statistics.median(run[0] for run in runs)
            print(f"{label:32} {median:10.1f} {max(run[0] for run in runs):9.1f} {runs[0][1]:8d} {runs[0][2]:10,d}")
            if median > TARGET_MS:
                missed.append(label)
        if missed:
            print(f"over {TARGET_MS:.0f} ms: {', '.join(missed)}")
            return 1
        print(f"every page under {TARGET_MS:.0f} ms (median)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
