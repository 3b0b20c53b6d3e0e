"""Benchmark: a full scan (fetching, mining, analysis, scoring) and an incremental scan after one new commit.

    python bench/bench_scan.py [--repo PATH] [--revision REV] [--repeat 3] [--json]

Without --repo it scans bench.synthetic's generated repository. The repository is cloned into a scratch
folder first (the incremental run commits to the clone, never to PATH). Each run happens in a child
process with its own new SQLite database and data directory (created and migrated before the clock
starts), so the full scan finds no mined history and no blob cache. Reported: medians of the full and
the incremental scan with their stages (from scan.counts["seconds"]) and the time spent in scan listeners
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


def child(repo: str) -> None:
    """In the child: migrate a new database, time a full then an incremental scan, print a JSON report."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from metrics.services.repositories import repository_create
    from metrics.services.scans import scan_request, scan_run

    repository = repository_create(source=repo, name="bench")
    report: dict = {}
    for label in ("full", "incremental"):
        if label == "incremental":
            report["changed_path"] = add_one_commit(repo)
        started = time.perf_counter()
        scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
        elapsed = time.perf_counter() - started
        if scan.status != "succeeded":
            raise SystemExit(f"the {label} scan {scan.status}: {scan.error}")
        stages = {**scan.counts.get("seconds", {}),
                  "listeners": round(sum(scan.counts.get("listener_seconds", {}).values()), 3)}
        report[label] = {"seconds": elapsed, "stages": stages,
                         "analysis": scan.counts.get("analysis", {}), "mining": scan.counts.get("mining", {}),
                         "scoring": {k: v for k, v in scan.counts.get("scoring", {}).items() if k != "duration"}}
    report["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    report["peak_worker_rss_bytes"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps(report))


def run_child(repo: str) -> dict:
    """Run one full + incremental measurement in a child process with a new database."""
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-") as scratch:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "debtboard.settings",
            "DJANGO_DEBUG": "true",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DEBTBOARD_DATA_DIR": scratch,
            "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
        }
        result = subprocess.run([sys.executable, __file__, "--child", repo], env=env, cwd=ROOT,
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


def measure(source: str, revision: str, repeat: int) -> dict:
    """Clone once per run (the incremental commit changes the clone) and collect medians."""
    runs = []
    for number in range(repeat):
        with tempfile.TemporaryDirectory(prefix="debtboard-bench-clone-") as scratch:
            repo = scratch_clone(source, Path(scratch), revision)
            runs.append(run_child(repo))
    last = runs[-1]

    def median(label: str, stage: str | None = None) -> float:
        if stage is None:
            return statistics.median(run[label]["seconds"] for run in runs)
        return statistics.median(run[label]["stages"].get(stage, 0.0) for run in runs)

    return {
        "repo": source, "revision": revision, "runs": len(runs),
        "files": last["full"]["analysis"].get("files"), "commits": last["full"]["mining"].get("total_commits"),
        "full_seconds": median("full"), "full_stages": {stage: median("full", stage) for stage in STAGES},
        "incremental_seconds": median("incremental"),
        "full_scan_seconds": statistics.median(sum(run["full"]["stages"].get(stage, 0.0) for stage in SCAN_STAGES)
                                               for run in runs),
        "incremental_scan_seconds": statistics.median(
            sum(run["incremental"]["stages"].get(stage, 0.0) for stage in SCAN_STAGES) for run in runs),
        "incremental_stages": {stage: median("incremental", stage) for stage in STAGES},
        "peak_rss_bytes": max(run["peak_rss_bytes"] for run in runs),
        "peak_worker_rss_bytes": max(run["peak_worker_rss_bytes"] for run in runs),
        "full_runs": [run["full"]["seconds"] for run in runs],
        "incremental_runs": [run["incremental"]["seconds"] for run in runs],
    }


def report(result: dict) -> str:
    """The figures as a short text report."""
    def stages(values: dict) -> str:
        return ", ".join(f"{stage} {values[stage]:.2f}" for stage in STAGES)

    mib = 1024 * 1024
    return "\n".join([
        f"scan benchmark: {result['repo']} @ {result['revision']} ({result['runs']} runs, medians)",
        f"  {result['commits']} commits, {result['files']} Python files",
        "  (scan = fetching + mining + analysis + scoring, the targets' measure; wall = the whole call, with the",
        "   scan listeners (the debt register's post-scan step) that run after the results are visible)",
        f"  full scan          {result['full_scan_seconds']:8.2f} s scan, {result['full_seconds']:.2f} s wall"
        f"   ({stages(result['full_stages'])})",
        f"  incremental scan   {result['incremental_scan_seconds']:8.2f} s scan, "
        f"{result['incremental_seconds']:.2f} s wall"
        f"   ({stages(result['incremental_stages'])})   target < {INCREMENTAL_TARGET_SECONDS:g} s scan",
        f"  peak memory        {result['peak_rss_bytes'] / mib:8.0f} MiB scanning process, "
        f"{result['peak_worker_rss_bytes'] / mib:.0f} MiB largest analysis worker"
        f"   target < {MEMORY_TARGET_BYTES / mib:.0f} MiB",
    ])


def main(argv: list[str] | None = None) -> int:
    """Run the scan benchmark; return 0 when the incremental scan and memory meet their targets."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        child(argv[1])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", help="a git repository to scan (default: the synthetic repository)")
    parser.add_argument("--revision", default="HEAD")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options, _unknown = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-repo-") as scratch:
        source = options.repo or synthetic_repo(Path(scratch))
        result = measure(str(Path(source).resolve()), options.revision, max(1, options.repeat))
    print(json.dumps(result, indent=2) if options.json else report(result))
    peak = max(result["peak_rss_bytes"], result["peak_worker_rss_bytes"])
    return 0 if result["incremental_scan_seconds"] < INCREMENTAL_TARGET_SECONDS and peak < MEMORY_TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
