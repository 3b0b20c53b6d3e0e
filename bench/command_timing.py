"""Timing `debtboard` commands and the reference tools they are compared with (bench_command, bench_analysis).

Each command runs in its own process; its wall time and the peak resident memory of its whole process
tree (sampled from /proc every 50 ms) are kept. The reference tools are raw `git log --numstat` and the
radon (cc, mi, raw) and flake8 command lines over the same files.
"""
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from bench.bench_scan import git

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# flake8's report of a plugin that raised on one file, after which it stops its whole run.
CRASHED = re.compile(r'^(?P<path>[^\n:]+): "[^"]+" failed during execution', re.MULTILINE)


def crashed_file(output: str, files: Sequence[str]) -> str | None:
    """The file among `files` a reference command stopped on (flake8: `PATH: "plugin" failed during execution`)."""
    found = CRASHED.search(output)
    return found["path"] if found is not None and found["path"] in files else None


def left_out(command: str, path: str) -> None:
    """Say, beside the table, that `path` is not in the reference because `command` crashed on it."""
    print(f"  ({Path(command).name} crashed on {path}: left out of the reference)", file=sys.stderr)


def tree_rss(pid: int) -> int:
    """The resident memory of a process and all its descendants (bytes; 0 once it is gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def timed(argv: list[str], env: dict, cwd: str | Path = ROOT) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak RSS of its process tree, stdout); fail on a non-zero exit."""
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        # flake8 writes a plugin's crash to stdout when that is a pipe: both are kept.
        raise RuntimeError(f"{' '.join(map(str, argv))} failed ({process.returncode}):\n{err[-3000:]}{out[-3000:]}")
    return elapsed, peak[0], out


def reference_tools(repo: str, env: dict) -> dict[str, float]:
    """The reference command lines on the scanned files: git log --numstat, radon cc/mi/raw, flake8."""
    files = [path for path in git(repo, "ls-files", "-z", "--", "*.py").split("\0") if path]
    files = [path for path in files if (Path(repo) / path).is_file() and not (Path(repo) / path).is_symlink()]
    listed = Path(repo).parent / "files.txt"
    listed.write_text("\n".join(files))
    seconds = {"git log --numstat": timed(["git", "-C", repo, "log", "-z", "--numstat", "--no-renames",
                                           "--format=%H%x00%an%x00%ae%x00%at", "HEAD"], env)[0]}
    for name, argv in {
        "radon cc": [str(BIN / "radon"), "cc", "-j"], "radon mi": [str(BIN / "radon"), "mi", "-j"],
        "radon raw": [str(BIN / "radon"), "raw", "-j"],
        "flake8": [str(BIN / "flake8"), "--isolated", "--exit-zero", "--jobs=auto", "--max-complexity=10"],
    }.items():
        seconds[name] = sum(_reference_run(argv, chunk, env, repo) for chunk in _chunks(files, 400))
    return seconds


def _reference_run(argv: list[str], files: list[str], env: dict, repo: str) -> float:
    """The wall time of one reference command over `files`, without the files it crashes on.

    flake8 stops its whole run when a plugin raises on one file (pyflakes' RecursionError on sympy's
    deeply nested generated tables): such a file is left out of the reference and named, and the run
    is timed again; debtboard's own scan records it as that file's error.
    """
    files = list(files)
    while True:
        try:
            return timed([*argv, *files], env, cwd=repo)[0]
        except RuntimeError as exc:
            crashed = crashed_file(str(exc), files)
            if crashed is None:
                raise
            left_out(argv[0], crashed)
            files.remove(crashed)


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start:start + size] for start in range(0, len(items), size)] or [[]]
