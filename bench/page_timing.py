"""What the page benchmarks share: a throwaway SQLite debtboard, their arguments, and the timed page table."""
import argparse
import gc
import os
import statistics
import time
from collections.abc import Iterable


def page_arguments(description: str, argv: list[str] | None, *, files: int | None = None, repeat: int = 7,
                   quick: int = 3) -> argparse.Namespace:
    """--repeat (default `repeat`), --quick (`quick` measured requests) and, for benchmarks that build files,
    --files."""
    parser = argparse.ArgumentParser(description=description)
    if files is not None:
        parser.add_argument("--files", type=int, default=files)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--quick", action="store_true", help=f"{quick} measured requests per page instead of --repeat")
    args, ignored = parser.parse_known_args(argv)
    if ignored:
        print(f"(ignoring arguments meant for other benchmarks: {' '.join(ignored)})")
    if args.quick:
        args.repeat = quick
    return args


def setup_django(scratch: str) -> None:
    """Point debtboard at a new SQLite database in `scratch` (local-memory cache) and migrate it."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "debtboard.settings"
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["DEBTBOARD_DATA_DIR"] = scratch
    for name in ("DATABASE_URL", "DEBTBOARD_CACHE_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed_get(client, url: str, headers: dict | None = None) -> tuple[float, int, int]:
    """One GET through the test client: (milliseconds, queries, body bytes); exits unless it answers 200."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # a build fills the query log: a full log would make the count 0
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, **(headers or {}))
        size = len(b"".join(response.streaming_content)) if response.streaming else len(response.content)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(queries), size


def time_pages(client, pages: Iterable[tuple], repeat: int) -> int:
    """Warm each (label, url, target ms, headers[, before]) page once, time it `repeat` times and print a table
    of medians; `before`, when given, runs ahead of every measured request (to time a cold cache, say).
    Return 1 when a median misses its target."""
    missed = []
    print(f"{'page':36} {'median ms':>10} {'worst ms':>9} {'target':>7} {'queries':>8} {'bytes':>10}")
    for label, url, target, headers, *before in pages:
        gc.collect()  # the build's garbage is collected here, not inside the first page's timings
        timed_get(client, url, headers)
        runs = []
        for _ in range(repeat):
            for step in before:
                step()
            runs.append(timed_get(client, url, headers))
        median = statistics.median(run[0] for run in runs)
        print(f"{label:36} {median:10.1f} {max(run[0] for run in runs):9.1f} {target:7.0f} {runs[0][1]:8d} "
              f"{runs[0][2]:10,d}")
        if median > target:
            missed.append(label)
    if missed:
        print(f"over target: {', '.join(missed)}")
        return 1
    print("every page under its target (median)")
    return 0
