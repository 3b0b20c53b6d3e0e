"""Benchmark: server time of the folder pages and of the file page with its annotated source, 10,000 scored files.

    python bench/bench_source_pages.py [--files 10000] [--repeat 7] [--quick]

Built like bench_pages.py (bulk-created scores in a new SQLite database); one file of the current scan is
a real 2,000-line blob in a git repository made in the scratch folder, with a function every 20 lines,
a violation every 10 and a marker every 50. The annotated source is timed cold (the highlighting cache
cleared before every request) as well as warm. Targets (medians): folder pages 150 ms; the file page and
each page of its annotated source 300 ms. Exit status 1 when a median misses its target.
"""
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.page_timing import page_arguments, setup_django, time_pages  # noqa: E402  (after the sys.path fix)

FOLDER_MS = 150.0
FILE_MS = 300.0
SOURCE_PATH = "pkg00/mod00/big_module.py"
SOURCE_LINES = 2000
PAGES = (
    # label, url pattern, target, clear the cache before each request
    ("folder page, root (10,000 files)", "/repos/{name}/folders/", FOLDER_MS, False),
    ("folder page, pkg03/ (500 files)", "/repos/{name}/folders/pkg03/", FOLDER_MS, False),
    ("folder page, pkg03/mod04/", "/repos/{name}/folders/pkg03/mod04/", FOLDER_MS, False),
    ("file page (2,000-line file)", "/repos/{name}/files/" + SOURCE_PATH, FILE_MS, False),
    ("annotated source p1, cold", "/repos/{name}/source/" + SOURCE_PATH, FILE_MS, True),
    ("annotated source p2, cold", "/repos/{name}/source/" + SOURCE_PATH + "?page=2", FILE_MS, True),
    ("annotated source p1, warm", "/repos/{name}/source/" + SOURCE_PATH, FILE_MS, False),
    ("coupling matrix JSON", "/repos/{name}/coupling.json", FILE_MS, False),
)


# Nineteen lines of ordinary code (about 7 tokens a line, like Django's own modules): the highlighting cost
# is per token, so a page of dense one-liners would measure something no repository looks like.
_BLOCK = """\
def handler_{n}(request, items=None):
    \"\"\"Handle request {n}: <b>escaped</b> & counted.\"\"\"
    total = 0
    seen = set()
    for item in items or []:
        if item.code in seen:
            continue
        seen.add(item.code)
        if item.free:
            continue
        total += item.price
    # TODO: move the tax rules out of here
    result = {{"total": total, "count": len(seen)}}
    if request.user.is_staff:
        result["debug"] = True
    log.info("handled %s", {n})
    return result


"""


def _source_text(lines: int) -> str:
    """A Python module of exactly `lines` lines: a 17-line function every 19 lines."""
    text = "".join(_BLOCK.format(n=n) for n in range(lines // 19 + 1))
    return "".join(text.splitlines(keepends=True)[:lines])


def _build(files: int, scratch: str) -> tuple[str, object]:
    from django.contrib.auth import get_user_model

    from tests.bench_data import bench_debt_items
    from tests.bench_source_data import bench_source_file
    from tests.frontend.factories import bulk_scanned_repository
    from tests.gitrepo import init_repo

    built = bulk_scanned_repository(name="huge", files=files)
    bench_debt_items(repository=built.repository, paths=built.paths)
    repo = init_repo(Path(scratch) / "source-repo")
    text = _source_text(SOURCE_LINES)
    repo.commit("big module", files={SOURCE_PATH: text})
    blob = repo.git("rev-parse", f"HEAD:{SOURCE_PATH}").strip()
    bench_source_file(repository=built.repository, scan=built.scan, repo_path=str(repo.path), path=SOURCE_PATH,
                      blob_sha=blob, lines=SOURCE_LINES, size_bytes=len(text.encode()))
    user = get_user_model().objects.create_user("bench", password="bench-only-password")
    return built.repository.name, user


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per page; return 1 when a median misses its target."""
    args = page_arguments(__doc__.splitlines()[0], argv, files=10_000)
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-source-") as scratch:
        setup_django(scratch)
        from django.test import Client

        started = time.perf_counter()
        name, user = _build(args.files, scratch)
        print(f"built {args.files:,} scored files in {time.perf_counter() - started:.1f} s (SQLite)")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        from django.core.cache import cache

        pages = [(label, pattern.format(name=name), target, {}, *([cache.clear] if cold else []))
                 for label, pattern, target, cold in PAGES]
        return time_pages(client, pages, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
