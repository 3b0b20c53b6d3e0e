"""Benchmark: `debtboard evaluate` (rank at a date, count the later fixes) against a raw `git log --numstat`.

    python bench/bench_evaluate.py [--repo PATH] [--at DATE] [--horizon DAYS] [--repeat 3] [--quick] [--json]

Without --repo it evaluates a small synthetic repository (bench.synthetic, 400 files, 400 commits over two
years) at the middle of its history. The runs happen in a child process with its own new SQLite database
(migrated before the clock starts): the first run analyses the cut commit's tree (a cold blob cache), the
others find it analysed (warm, as a second date or a re-run does). Reported: the median raw
`git log --numstat -M` of the whole history (the reference, measured in the same run), the cold run, the
median warm run, and the ratio warm / raw (target <= 4: an evaluation reads the history about twice —
the past of the cut and the commits after it — and parses what git prints).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from metrics.core.gitcmd import git_argv, git_env, run_git  # noqa: E402

TARGET_RATIO = 4.0
SYNTHETIC = {"files": 400, "commits": 400, "seed": 1}


def time_raw_log(repo: str) -> float:
    """Seconds git takes to write the whole history's `git log --numstat -M` to /dev/null."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(git_argv(repo, ["log", "--numstat", "-M", "HEAD", "--"]), env=git_env(), stdout=sink,
                       stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def middle_of_history(repo: str) -> str:
    """The moment halfway between the first and the last commit (ISO 8601)."""
    stamps = [int(value) for value in run_git(repo, ["log", "--format=%ct", "HEAD", "--"]).split()]
    return datetime.fromtimestamp((min(stamps) + max(stamps)) // 2, tz=timezone.utc).isoformat()


def child(repo: str, at: str, horizon: int, runs: int) -> None:
    """In the child: migrate the new database, run the evaluation `runs` times, print a JSON report."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from metrics.services.evaluation import repository_evaluate

    moment = datetime.fromisoformat(at)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    seconds = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = repository_evaluate(repo=repo, at=moment, horizon_days=horizon)
        seconds.append(time.perf_counter() - started)
    hotspot = result.rankings[0]
    print(json.dumps({"seconds": seconds, "files": len(result.files), "fix_commits": result.fix_commits,
                      "cut_sha": result.cut_sha, "hotspot_top_share": hotspot.top_share}))


def run_child(repo: str, at: str, horizon: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-") as scratch:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "debtboard.settings", "DJANGO_DEBUG": "true",
               "DEBTBOARD_DATA_DIR": scratch, "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3"}
        result = subprocess.run([sys.executable, __file__, "--child", repo, at, str(horizon), str(runs)], env=env,
                                cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"the evaluation child failed:\n{result.stderr[-4000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


def measure(repo: str, at: str, horizon: int, repeat: int) -> dict:
    """The reference `repeat` times, then one cold and `repeat` warm evaluations."""
    raw = statistics.median(time_raw_log(repo) for _ in range(repeat))
    report = run_child(repo, at, horizon, repeat + 1)
    cold, warm = report["seconds"][0], statistics.median(report["seconds"][1:])
    return {"repo": repo, "at": at, "horizon_days": horizon, **{k: v for k, v in report.items() if k != "seconds"},
            "raw_git_log_numstat": raw, "evaluate_cold": cold, "evaluate_warm": warm,
            "ratio": warm / max(raw, 1e-9)}


def report_text(result: dict) -> str:
    return "\n".join([
        f"evaluate benchmark: {result['repo']} at {result['at']}, horizon {result['horizon_days']} days",
        f"  cut {result['cut_sha'][:12]}, {result['files']} production files, {result['fix_commits']} fix commits, "
        f"hotspot top-10% share {result['hotspot_top_share']}",
        f"  raw git log --numstat -M > /dev/null   {result['raw_git_log_numstat']:8.3f} s  (reference)",
        f"  evaluate, cold blob cache             {result['evaluate_cold']:8.3f} s",
        f"  evaluate, warm (median)               {result['evaluate_warm']:8.3f} s",
        f"  ratio warm / raw                      {result['ratio']:8.2f}  (target <= {TARGET_RATIO:g})",
    ])


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation benchmark; return 0 when the warm ratio meets the target."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], int(argv[3]), int(argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", help="a git repository (default: a small synthetic repository)")
    parser.add_argument("--at", help="the evaluation date (default: the middle of the history)")
    parser.add_argument("--horizon", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one repetition")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options, _unknown = parser.parse_known_args(argv)
    if options.repo:
        repo = str(Path(options.repo).resolve())
    else:
        from bench.synthetic import make_synthetic_repo

        repo = str(make_synthetic_repo(**SYNTHETIC))
    at = options.at or middle_of_history(repo)
    result = measure(repo, at, options.horizon, 1 if options.quick else max(1, options.repeat))
    print(json.dumps(result, indent=2) if options.json else report_text(result))
    return 0 if result["ratio"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
