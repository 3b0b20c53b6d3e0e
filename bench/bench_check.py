"""Benchmark: start-up and run time of `debtboard check --local` on a 5-file change.

    python bench/bench_check.py [--repo PATH] [--repeat 5] [--quick] [--json]

It clones the repository (default: debtboard itself; the issue's reference is flask) into a temporary folder,
commits a change to five Python files (a small function appended to each) and times the whole command,
`python -m debtboard.cli check --local --base HEAD~1`, in a clean environment (no settings, no database),
as CI would run it. Reported: the median wall time and its breakdown (the interpreter alone, Django's
set-up, the rest: git, analysis of ten blobs, the gate, the output). Target: < 2 s wall. The CPU time is
printed too: on a loaded machine wall time is mostly waiting.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_AUTHOR_DATE": "2025-01-01T12:00:00Z",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_COMMITTER_DATE": "2025-01-01T12:00:00Z", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
SETUP = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'debtboard.settings'); django.setup()"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True,
                          text=True).stdout


def five_file_change(source: Path, workdir: Path) -> Path:
    """A clone of `source` whose HEAD changes five Python files of HEAD~1."""
    clone = workdir / "repo"
    _git(workdir, "clone", "-q", "--no-hardlinks", str(source), str(clone))
    files = [path for path in _git(clone, "ls-files", "*.py").splitlines() if (clone / path).stat().st_size > 200][:5]
    for path in files:
        with (clone / path).open("a", encoding="utf-8") as handle:
            handle.write("\n\ndef bench_added(value):\n    if value:\n        return value\n    return None\n")
    _git(clone, "commit", "-q", "-am", "bench: five files")
    return clone


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the child and its children) and exit status of one run."""
    started, cpu = time.perf_counter(), _cpu()
    code = subprocess.run(argv, cwd=cwd, env=env, capture_output=True).returncode
    return time.perf_counter() - started, _cpu() - cpu, code


def measure(repo: Path, data_dir: Path, repeat: int) -> dict[str, float]:
    env = {"PATH": os.environ["PATH"], "HOME": str(data_dir), "PYTHONPATH": str(ROOT),
           "DEBTBOARD_DATA_DIR": str(data_dir), "DEBTBOARD_LOCAL_SECRET_KEY": "true"}
    steps = {
        "interpreter": [sys.executable, "-c", "pass"],
        "django_setup": [sys.executable, "-c", SETUP],
        "check": [sys.executable, "-m", "debtboard.cli", "check", "--local", "--base", "HEAD~1", "--format", "json"],
    }
    _timed(steps["check"], repo, env)  # warm the file system cache and create the local secret key
    times: dict[str, list[float]] = {name: [] for name in [*steps, "check_cpu"]}
    for _ in range(repeat):
        for name, argv in steps.items():
            seconds, cpu, code = _timed(argv, repo, env)
            if code not in (0, 1):
                raise SystemExit(f"{name} exited {code}")
            times[name].append(seconds)
        times["check_cpu"].append(cpu)
    medians = {name: statistics.median(values) for name, values in times.items()}
    medians["work"] = medians["check"] - medians["django_setup"]
    medians["django_setup"] -= medians["interpreter"]
    return medians


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when the median wall time of the command is under the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT), help="a git repository (default: debtboard itself)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="three repetitions")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-check-"))
    try:
        repo = five_file_change(Path(options.repo), workdir)
        data_dir = workdir / "data"
        data_dir.mkdir()
        result = measure(repo, data_dir, 3 if options.quick else options.repeat)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    met = result["check"] < TARGET_SECONDS
    if options.json:
        print(json.dumps({**result, "target": TARGET_SECONDS, "met": met}))
    else:
        print(f"debtboard check --local, 5 changed files of {options.repo}: median {result['check']:.2f} s wall")
        print(f"  interpreter {result['interpreter']:.2f} s, Django set-up {result['django_setup']:.2f} s, "
              f"git + analysis + gate + output {result['work']:.2f} s")
        print(f"  CPU time of the command {result['check_cpu']:.2f} s (wall far above it: a loaded machine)")
        print(f"target < {TARGET_SECONDS:.0f} s: {'met' if met else 'missed'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
