"""Benchmark: a full scan (fetching, mining, analysis, scoring) and incremental scans after one new commit each.

    python bench/bench_scan.py [--repo PATH] [--revision REV] [--repeat 3] [--increments 3] [--quick] [--json]

Without --repo it scans bench.synthetic's generated repository. The repository is cloned into a scratch
folder first (the incremental run commits to the clone, never to PATH). Each run happens in a child
process with its own new SQLite database and data directory (created and migrated before the clock
starts), so the full scan finds no mined history and no blob cache; then `--increments` times, one commit
is added and scanned. Reported: medians of the full and the incremental scans with their stages (from
scan.counts["seconds"]), scoring's phases, the time spent in scan listeners
(the debt register's post-scan step), and peak memory (ru_maxrss of the
scanning process and of the largest analysis worker). Targets: incremental under 3 s and peak memory
under 1.5 GiB on any repository; a full scan of sympy under 3 minutes on 2 cores.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

INCREMENTAL_TARGET_SECONDS = 3.0
MEMORY_TARGET_BYTES = int(1.5 * 1024**3)
STAGES = ("fetching", "mining", "analysis", "scoring", "listeners")
SCAN_STAGES = ("fetching", "mining", "analysis", "scoring")  # what the targets time; listeners run after the swap
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench Mark", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench Mark", "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull, "GIT_TERMINAL_PROMPT": "0",
}


def git(repo: str, *args: str) -> str:
    """Run git in `repo` (the benchmark's own scratch clone) and return its output."""
    env = {**os.environ, **IDENTITY}
    return subprocess.run(["git", "-C", repo, *args], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def scratch_clone(source: str, scratch: Path, revision: str) -> str:
    """Clone `source` into `scratch` with a work tree checked out at `revision`; return the clone's path."""
    target = scratch / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", "--", source, str(target)], check=True,
                   env={**os.environ, **IDENTITY})
    sha = git(source, "rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}")
    git(str(target), "checkout", "--quiet", "-B", "bench", sha)
    return str(target)


def add_one_commit(repo: str) -> str:
    """Append a small function to the first tracked .py file and commit it; return the changed path."""
    listed = git(repo, "ls-files", "-z", "--", "*.py").split("\0")
    path = next((p for p in listed if p and (Path(repo) / p).is_file() and not (Path(repo) / p).is_symlink()), "")
    target = Path(repo) / (path or "bench_added.py")
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\ndef bench_added_{int(time.time() * 1000)}(value):\n"
                     "    if value:\n        return 1\n    return 0\n")
    git(repo, "add", "--", str(target.relative_to(repo)))
    git(repo, "commit", "--quiet", "-m", "bench: one more commit")
    return str(target.relative_to(repo))


def child(repo: str, increments: int) -> None:
    """In the child: migrate a new database, time a full scan then `increments` one-commit scans, print JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from metrics.services.repositories import repository_create
    from metrics.data import ScanCounts
    from metrics.services.scans.requests import scan_request
    from metrics.services.scans.runs import scan_run

    repository = repository_create(source=repo, name="bench")
    report: dict = {"incremental": []}
    for number in range(1 + increments):
        if number:
            report["changed_path"] = add_one_commit(repo)
        started = time.perf_counter()
        scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
        elapsed = time.perf_counter() - started
        if not scan.succeeded:
            raise SystemExit(f"scan {number} {scan.status}: {scan.error}")
        counts = ScanCounts.from_json(scan.counts).as_json()
        stages = {**counts.get("seconds", {}), "listeners": round(sum(counts.get("listener_seconds", {}).values()), 3)}
        measured = {"seconds": elapsed, "stages": stages,
                    "analysis": counts.get("analysis", {}), "mining": counts.get("mining", {}),
                    "scoring": {k: v for k, v in counts.get("scoring", {}).items() if k != "duration"}}
        if number:
            report["incremental"].append(measured)
        else:
            report["full"] = measured
    report["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    report["peak_worker_rss_bytes"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps(report))


def run_child(repo: str, increments: int) -> dict:
    """Run one full scan and `increments` incremental scans in a child process with a new database."""
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-") as scratch:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "debtboard.settings",
            "DJANGO_DEBUG": "true",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DEBTBOARD_DATA_DIR": scratch,
            "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
            # The post-scan step in the scan's process, timed as "listeners" (bench_command times the
            # command as users run it, with the step as a background task).
            "DEBTBOARD_POST_SCAN": "inline",
        }
        result = subprocess.run([sys.executable, __file__, "--child", repo, str(increments)], env=env, cwd=ROOT,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"the scan child failed:\n{result.stderr[-4000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


def synthetic_repo(scratch: Path) -> str:
    """Generate bench.synthetic's repository in `scratch`."""
    try:
        from bench.synthetic import make_synthetic_repo
    except ImportError:
        raise SystemExit("bench.synthetic is not available: pass --repo PATH") from None
    made = make_synthetic_repo(scratch / "synthetic")
    return str(getattr(made, "path", made) or scratch / "synthetic")


def measure(source: str, revision: str, repeat: int, increments: int = 3) -> dict:
    """Clone once per run (the incremental commits change the clone) and collect medians."""
    runs = []
    for number in range(repeat):
        with tempfile.TemporaryDirectory(prefix="debtboard-bench-clone-") as scratch:
            repo = scratch_clone(source, Path(scratch), revision)
            runs.append(run_child(repo, increments))
    last = runs[-1]
    fulls = [run["full"] for run in runs]
    steps = [step for run in runs for step in run["incremental"]]

    def medians(measured: list[dict]) -> dict:
        stages = {stage: statistics.median(item["stages"].get(stage, 0.0) for item in measured) for stage in STAGES}
        phases = dict.fromkeys(phase for item in measured for phase in item["scoring"].get("seconds", {}))
        return {
            "wall": statistics.median(item["seconds"] for item in measured),
            "scan": statistics.median(sum(item["stages"].get(stage, 0.0) for stage in SCAN_STAGES)
                                      for item in measured),
            "stages": stages,
            "scoring_phases": {phase: statistics.median(item["scoring"].get("seconds", {}).get(phase, 0.0)
                                                        for item in measured) for phase in phases},
            "runs": [round(sum(item["stages"].get(stage, 0.0) for stage in SCAN_STAGES), 3) for item in measured],
        }

    full, incremental = medians(fulls), medians(steps)
    return {
        "repo": source, "revision": revision, "runs": len(runs), "increments": len(steps),
        "files": last["full"]["analysis"].get("files"), "commits": last["full"]["mining"].get("total_commits"),
        "full_seconds": full["wall"], "full_scan_seconds": full["scan"], "full_stages": full["stages"],
        "full_scoring_phases": full["scoring_phases"], "full_runs": full["runs"],
        "incremental_seconds": incremental["wall"], "incremental_scan_seconds": incremental["scan"],
        "incremental_stages": incremental["stages"], "incremental_scoring_phases": incremental["scoring_phases"],
        "incremental_runs": incremental["runs"],
        "incremental_from_cache": all(step["scoring"].get("history_from_cache") for step in steps),
        "peak_rss_bytes": max(run["peak_rss_bytes"] for run in runs),
        "peak_worker_rss_bytes": max(run["peak_worker_rss_bytes"] for run in runs),
    }


def report(result: dict) -> str:
    """The figures as a short text report."""
    def stages(values: dict) -> str:
        return ", ".join(f"{stage} {values[stage]:.2f}" for stage in STAGES)

    def phases(values: dict) -> str:
        return ", ".join(f"{phase} {seconds:.2f}" for phase, seconds in values.items())

    mib = 1024 * 1024
    return "\n".join([
        f"scan benchmark: {result['repo']} @ {result['revision']} ({result['runs']} runs of a full scan and "
        f"{result['increments'] // max(1, result['runs'])} one-commit scans each, medians)",
        f"  {result['commits']} commits, {result['files']} Python files",
        "  (scan = fetching + mining + analysis + scoring, the targets' measure; wall = the whole call, with the",
        "   scan listeners (the debt register's post-scan step) that run after the results are visible)",
        f"  full scan          {result['full_scan_seconds']:8.2f} s scan, {result['full_seconds']:.2f} s wall"
        f"   ({stages(result['full_stages'])})",
        f"  incremental scan   {result['incremental_scan_seconds']:8.2f} s scan, "
        f"{result['incremental_seconds']:.2f} s wall"
        f"   ({stages(result['incremental_stages'])})   target < {INCREMENTAL_TARGET_SECONDS:g} s scan",
        f"  incremental runs   {', '.join(f'{seconds:.2f}' for seconds in result['incremental_runs'])} s scan; "
        f"scoring built on the previous scan's history: {'yes' if result['incremental_from_cache'] else 'NO'}",
        f"  scoring phases     full: {phases(result['full_scoring_phases'])}",
        f"                     incremental: {phases(result['incremental_scoring_phases'])}",
        f"  peak memory        {result['peak_rss_bytes'] / mib:8.0f} MiB scanning process, "
        f"{result['peak_worker_rss_bytes'] / mib:.0f} MiB largest analysis worker"
        f"   target < {MEMORY_TARGET_BYTES / mib:.0f} MiB",
    ])


def main(argv: list[str] | None = None) -> int:
    """Run the scan benchmark; return 0 when the incremental scan and memory meet their targets."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        child(argv[1], int(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", help="a git repository to scan (default: the synthetic repository)")
    parser.add_argument("--revision", default="HEAD")
    parser.add_argument("--repeat", type=int, default=3, help="full scans (each on a new database)")
    parser.add_argument("--increments", type=int, default=3, help="one-commit scans after each full scan")
    parser.add_argument("--quick", action="store_true", help="one full scan (--repeat 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options, _unknown = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-repo-") as scratch:
        source = options.repo or synthetic_repo(Path(scratch))
        repeat = 1 if options.quick else max(1, options.repeat)
        result = measure(str(Path(source).resolve()), options.revision, repeat,
                         max(1, options.increments))
    print(json.dumps(result, indent=2) if options.json else report(result))
    peak = max(result["peak_rss_bytes"], result["peak_worker_rss_bytes"])
    return 0 if result["incremental_scan_seconds"] < INCREMENTAL_TARGET_SECONDS and peak < MEMORY_TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
