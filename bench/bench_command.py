"""Benchmark: the `debtboard` command as a user runs it (wall time of each command, in its own process).

    python bench/bench_command.py [--repo PATH] [--revision REV] [--repeat 5] [--backfill weekly:52]
                                  [--skip-full] [--quick] [--json]

Rows, each with its target, the reference measured in the same run, and "met" or "missed":
- start-up: `debtboard --help` and `debtboard hotspots REPO` on a scanned repository, < 0.5 s
  (reference: the interpreter's own start-up, `python -c pass`);
- full scan: `debtboard scan REPO` on a new database and data directory, <= 0.6x the sum of the reference
  tools on the same files: raw `git log --numstat` and the radon (cc, mi, raw) and flake8 command lines;
- one-commit rescan: `debtboard scan REPO` after one new commit, < 3 s wall (the post-scan step runs as
  a background task; `--wait` rows show it too);
- backfill: `debtboard scan REPO --backfill SPEC`, <= 0.3 s per past revision scanned (the median of the
  runs, each from the state the rescans left);
- memory: the peak RSS summed over the scan's process tree (sampled from /proc every 50 ms), < 1.5 GiB.

The repository is cloned into a scratch folder (the one-commit rescan commits to the clone, never to
PATH). Without --repo the synthetic repository of bench.synthetic is used.
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_scan import IDENTITY, add_one_commit, scratch_clone, synthetic_repo  # noqa: E402
from bench.command_timing import reference_tools, timed  # noqa: E402

STARTUP_TARGET = 0.5
RESCAN_TARGET = 3.0
FULL_RATIO_TARGET = 0.6
BACKFILL_TARGET = 0.3
MEMORY_TARGET = int(1.5 * 1024**3)
# What the console script `debtboard` runs (pyproject.toml).
DEBTBOARD = [sys.executable, "-c", "from debtboard.cli import entry; entry()"]


def median_of(argv: list[str], env: dict, repeat: int) -> float:
    return statistics.median(timed(argv, env)[0] for _ in range(repeat))


def measure(source: str, options: argparse.Namespace) -> dict:
    """Every row's figures, measured in one run on one scratch clone."""
    repeat = 2 if options.quick else options.repeat
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-command-") as scratch:
        repo = scratch_clone(source, Path(scratch), options.revision)
        env = {**os.environ, **IDENTITY, "DJANGO_DEBUG": "true", "DJANGO_LOG_LEVEL": "WARNING",
               "DEBTBOARD_DATA_DIR": f"{scratch}/data", "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
               "DEBTBOARD_POST_SCAN": "task"}
        timed([*DEBTBOARD, "migrate", "-v0"], env)
        timed([*DEBTBOARD, "addrepo", repo, "--name", "bench"], env)
        result: dict = {"repo": source, "revision": options.revision}
        result["full_seconds"], result["full_peak_bytes"], _ = timed([*DEBTBOARD, "scan", "bench"], env)
        result["full_stages"] = _stage_seconds(env)
        result["full_wait_seconds"] = timed([*DEBTBOARD, "scan", "bench", "--wait"], env)[0]  # no new commit
        result["reference"] = {} if options.skip_full else reference_tools(repo, env)
        result["python_seconds"] = median_of([sys.executable, "-c", "pass"], env, repeat)
        result["help_seconds"] = median_of([*DEBTBOARD, "--help"], env, repeat)
        result["hotspots_seconds"] = median_of([*DEBTBOARD, "hotspots", "bench", "--top", "10"], env, repeat)
        rescans, peaks = [], []
        for _number in range(repeat):
            add_one_commit(repo)
            seconds, peak, _ = timed([*DEBTBOARD, "scan", "bench"], env)
            rescans.append(seconds)
            peaks.append(peak)
            timed([*DEBTBOARD, "scan_worker", "--batch"], env)  # the post-scan task, as the worker runs it
        result["rescan_seconds"], result["rescan_runs"] = statistics.median(rescans), rescans
        result["rescan_stages"] = _stage_seconds(env)  # the last rescan's
        result["rescan_peak_bytes"] = max(peaks)
        if options.backfill:
            result.update(_backfill_runs(env, Path(scratch), options.backfill, repeat))
    return result


def _backfill_runs(env: dict, scratch: Path, spec: str, repeat: int) -> dict:
    """The backfill row: `repeat` runs, each from the same state (the database and data directory as the
    rescans left them, restored before each run: a backfill run once finds its points already scanned)."""
    saved = scratch / "before-backfill"
    saved.mkdir()
    state = [path for path in scratch.iterdir() if path.name.startswith("bench.sqlite3") or path.name == "data"]
    for path in state:
        _copy(path, saved / path.name)
    before = _scan_count(env)
    runs, peaks = [], []
    for number in range(repeat):
        if number:
            for path in state:
                _remove(path)
                _copy(saved / path.name, path)
        seconds, peak, _ = timed([*DEBTBOARD, "scan", "bench", "--backfill", spec], env)
        runs.append(seconds)
        peaks.append(peak)
    return {"backfill_seconds": statistics.median(runs), "backfill_runs": runs, "backfill_peak_bytes": max(peaks),
            "backfill_revisions": _scan_count(env) - before}


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target)


def _scan_count(env: dict) -> int:
    probe = "from metrics.models import Scan; print(Scan.objects.count())"
    return int(timed([*DEBTBOARD, "shell", "--no-imports", "-c", probe], env)[2].strip().splitlines()[-1])


def _stage_seconds(env: dict) -> dict[str, float]:
    """The stage seconds the newest live scan recorded (fetching, mining, analysis, scoring, total)."""
    probe = ("import json; from metrics.models import Scan; "
             "print(json.dumps(Scan.objects.filter(is_backfill=False).latest('pk').counts.get('seconds', {})))")
    return json.loads(timed([*DEBTBOARD, "shell", "--no-imports", "-c", probe], env)[2].strip().splitlines()[-1])


def _breakdown(label: str, wall: float, stages: dict[str, float]) -> str:
    """`label`: the stages' seconds, and the rest of the command's wall time (start-up, output, exit)."""
    parts = ", ".join(f"{name} {stages[name]:.2f}" for name in ("fetching", "mining", "analysis", "scoring")
                      if name in stages)
    total = stages.get("total", 0.0)
    return f"  {label}: {wall:.2f} s wall = stages {total:.2f} s ({parts}) + start-up and the rest {wall - total:.2f} s"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def rows(result: dict) -> list[tuple[str, str, str, bool]]:
    """(what, measured, target and reference, met) per target."""
    out = [
        ("start-up: debtboard --help", f"{result['help_seconds']:.2f} s",
         f"< {STARTUP_TARGET} s (python -c pass: {result['python_seconds']:.2f} s)",
         result["help_seconds"] < STARTUP_TARGET),
        ("start-up: debtboard hotspots", f"{result['hotspots_seconds']:.2f} s",
         f"< {STARTUP_TARGET} s (python -c pass: {result['python_seconds']:.2f} s)",
         result["hotspots_seconds"] < STARTUP_TARGET),
        ("one-commit rescan (debtboard scan)", f"{result['rescan_seconds']:.2f} s",
         f"< {RESCAN_TARGET} s wall (runs {', '.join(f'{s:.2f}' for s in result['rescan_runs'])})",
         result["rescan_seconds"] < RESCAN_TARGET),
    ]
    reference = sum(result["reference"].values())
    if reference:
        ratio = result["full_seconds"] / reference
        parts = ", ".join(f"{name} {seconds:.1f}" for name, seconds in result["reference"].items())
        out.append(("full scan (debtboard scan)", f"{result['full_seconds']:.1f} s = {ratio:.2f}x",
                    f"<= {FULL_RATIO_TARGET}x reference {reference:.1f} s ({parts})", ratio <= FULL_RATIO_TARGET))
    if result.get("backfill_revisions"):
        per = result["backfill_seconds"] / result["backfill_revisions"]
        runs = ", ".join(f"{seconds / result['backfill_revisions']:.2f}" for seconds in result["backfill_runs"])
        out.append(("backfill per past revision", f"{per:.2f} s",
                    f"<= {BACKFILL_TARGET} s ({result['backfill_revisions']} revisions in "
                    f"{result['backfill_seconds']:.1f} s; runs {runs}; full scan {result['full_seconds']:.1f} s)",
                    per <= BACKFILL_TARGET))
    peak = max(result["full_peak_bytes"], result["rescan_peak_bytes"], result.get("backfill_peak_bytes", 0))
    out.append(("peak memory, process tree", f"{peak / 1024**2:.0f} MiB", f"< {MEMORY_TARGET / 1024**2:.0f} MiB",
                peak < MEMORY_TARGET))
    return out


def report(result: dict) -> str:
    table = rows(result)
    width = max(len(row[0]) for row in table)
    lines = [f"debtboard command benchmark: {result['repo']} @ {result['revision']} (wall time of each command; "
             f"--wait after the full scan: {result['full_wait_seconds']:.2f} s)"]
    lines += [f"  {what:<{width}}  {measured:>14}  {verdict(met):6}  {target}" for what, measured, target, met in table]
    if result.get("full_stages"):
        lines.append(_breakdown("full scan", result["full_seconds"], result["full_stages"]))
    if result.get("rescan_stages"):
        lines.append(_breakdown("last one-commit rescan", result["rescan_runs"][-1], result["rescan_stages"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command benchmark; 0 when every target is met."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", help="a git repository (default: the synthetic repository)")
    parser.add_argument("--revision", default="HEAD")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the start-up, rescan and backfill rows")
    parser.add_argument("--backfill", default="weekly:52", help="backfill spec ('' to skip the row)")
    parser.add_argument("--skip-full", action="store_true", help="skip the reference tools (the full-scan row)")
    parser.add_argument("--quick", action="store_true", help="2 runs of the start-up, rescan and backfill rows")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-repo-") as scratch:
        source = options.repo or synthetic_repo(Path(scratch))
        result = measure(str(Path(source).resolve()), options)
    print(json.dumps(result, indent=2) if options.json else report(result))
    return 0 if all(met for *_rest, met in rows(result)) else 1


if __name__ == "__main__":
    sys.exit(main())
