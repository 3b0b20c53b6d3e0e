"""Run every benchmark (`bench/bench_*.py`): `make bench BENCH_ARGS="--quick --repo PATH"`.

    python bench/run.py [--repo PATH] [--quick] [--only NAME ...] [extra arguments for the benchmarks]

Each module's `main(argv)` runs in its own Python process (benchmarks set Django up with their own
databases, which cannot share a process) and prints its own table of medians and ratios; `--repo` and
`--quick` are passed to the modules whose command line declares them, other arguments to all.
A summary table ends the run; the exit status is non-zero when a benchmark missed a target or failed.
Benchmarks are never part of the test suite.
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RUNNER = (
    "import importlib.util, sys\n"
    "root, name, path, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]\n"
    "sys.path.insert(0, root)\n"
    "sys.argv = [path, *args]\n"
    "spec = importlib.util.spec_from_file_location(name, path)\n"
    "module = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "sys.exit(module.main(args) or 0)\n"
)


def modules(only: list[str]) -> list[Path]:
    """The benchmark modules, by name, optionally only those named (`analysis` or `bench_analysis`)."""
    found = sorted(BENCH.glob("bench_*.py"))
    if only:
        wanted = {name.removeprefix("bench_").removesuffix(".py") for name in only}
        found = [path for path in found if path.stem.removeprefix("bench_") in wanted]
    return found


def accepted_options(path: Path) -> str:
    """The module's --help text (how we learn which of --repo and --quick it takes)."""
    result = subprocess.run([sys.executable, "-c", RUNNER, str(ROOT), path.stem, str(path), "--help"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    return result.stdout


def module_argv(path: Path, options: argparse.Namespace, extra: list[str]) -> list[str]:
    help_text = accepted_options(path)
    argv = list(extra)
    if options.repo and "--repo" in help_text:
        argv += ["--repo", options.repo]
    if options.quick and "--quick" in help_text:
        argv.append("--quick")
    return argv


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks one after the other and print a summary; 0 when all met their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", help="a git repository to measure instead of the synthetic one")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (where a benchmark supports it)")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME", help="run only these (e.g. analysis)")
    options, extra = parser.parse_known_args(argv)
    summary: list[tuple[str, str, float]] = []
    for path in modules(options.only):
        args = module_argv(path, options, extra)
        print(f"\n=== {path.stem} {' '.join(args)}".rstrip(), flush=True)
        started = time.perf_counter()
        try:
            code = subprocess.run([sys.executable, "-c", RUNNER, str(ROOT), path.stem, str(path), *args],
                                  cwd=ROOT).returncode
        except KeyboardInterrupt:
            code = 130
        status = {0: "ok", 130: "interrupted"}.get(code, "missed a target" if code == 1 else f"failed ({code})")
        summary.append((path.stem, status, time.perf_counter() - started))
        if code == 130:
            break
    width = max([len(name) for name, _, _ in summary] + [9])
    print(f"\n{'benchmark':{width}}  {'result':16} {'seconds':>8}")
    for name, status, seconds in summary:
        print(f"{name:{width}}  {status:16} {seconds:8.1f}")
    return 0 if all(status == "ok" for _, status, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
