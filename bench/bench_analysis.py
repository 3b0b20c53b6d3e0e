"""Benchmark: debtboard's static analysis of a revision against the radon and flake8 command lines.

    python bench/bench_analysis.py [--repo PATH] [--rev REV] [--repeat 3] [--quick] [--workers N] [--json]

Without --repo it analyses bench.synthetic's generated repository (2,000 files, about 300,000 lines).
On the same files of the same revision, side by side, each repetition times:

- the command lines: `radon cc -j`, `radon mi -j`, `radon raw -j` (single process each) and
  `flake8 -j auto` with debtboard's own flake8 arguments, over a checkout (`git archive`) of the revision;
- debtboard cold: `snapshot_analyze` with an empty cache (a fresh SQLite database), reading from git;
- debtboard warm: a new scan of the same revision (every blob cached: lookups and SnapshotFile rows only);
- debtboard after 5 changed files: a scan of a commit changing five files (five blobs analysed).

Every debtboard step runs in a fresh child process (Django set-up and migrations happen before its clock
starts; its pool's start-up is inside it). Reported: medians of wall seconds, the ratio cold / CLIs, and
peak memory: the largest resident set of the step's whole process tree (sampled from /proc) and
getrusage's maxima for the process and its children.
Targets: cold <= 1.0 x the CLIs (aim <= 0.6), warm < 1 s, 5 changed files < 2 s, peak memory < 1 GiB.
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
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.command_timing import crashed_file, left_out  # noqa: E402
from metrics.core.analysis import AnalysisConfig  # noqa: E402
from metrics.core.blobs import list_files, resolve_commit  # noqa: E402

BIN = Path(sys.executable).parent
TARGETS = {"ratio": 1.0, "aim": 0.6, "warm": 1.0, "changed": 2.0, "memory": 1024 ** 3}
AUTHOR_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_AUTHOR_DATE": "2025-01-01T12:00:00Z",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_COMMITTER_DATE": "2025-01-01T12:00:00Z", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


class TreeMemory:
    """Samples the summed resident memory of a process and all its descendants; keeps the peak."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root = root
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        parents: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
        tree, index = [self.root], 0
        while index < len(tree):
            tree += parents.get(tree[index], [])
            index += 1
        return tree

    def _sample(self) -> int:
        total = 0
        for pid in self._tree():
            try:
                with open(f"/proc/{pid}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * self._page
            except (OSError, ValueError, IndexError):
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)


def git(repo: str | Path, *args: str, stdin: bytes | None = None) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], input=stdin, check=True, capture_output=True,
                          env={**os.environ, **AUTHOR_ENV}).stdout.decode().strip()


def run_cli(argv: list[str], cwd: Path) -> dict:
    """Time one command line to completion; its wall seconds and peak memory.

    flake8 stops its whole run when a plugin raises on one file (pyflakes' RecursionError on sympy's
    deeply nested tables) and says so on its standard output: that file is left out and the command is
    timed again without it, so the reference covers every other file (debtboard records such a file as
    its error).
    """
    while True:
        with tempfile.TemporaryFile() as output:
            result = _run_cli_once(argv, cwd, output)
            output.seek(0)
            crashed = crashed_file(output.read().decode(errors="replace"), argv)
        if crashed is None:
            return result
        left_out(argv[0], crashed)
        argv = [arg for arg in argv if arg != crashed]


def _run_cli_once(argv: list[str], cwd: Path, output: Any) -> dict:
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=output, stderr=subprocess.PIPE)
    with TreeMemory(process.pid) as memory:
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime  # the command and every process it waited for
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0, 1):  # flake8 exits 1 when it finds violations
        raise RuntimeError(f"{argv[0]} failed ({process.returncode}): {stderr[-2000:]}")
    return {"seconds": seconds, "cpu": cpu, "tree_rss": memory.peak, "maxrss": usage.ru_maxrss * 1024}


def cli_steps(checkout: Path, files: list[str], config: AnalysisConfig) -> dict[str, list[str]]:
    """The baseline command lines over the checkout's selected files."""
    radon = str(BIN / "radon")
    return {
        "radon cc -j": [radon, "cc", "-j", *files],
        "radon mi -j": [radon, "mi", "-j", *files],
        "radon raw -j": [radon, "raw", "-j", *files],
        "flake8 -j auto": [str(BIN / "flake8"), *[a for a in config.flake8_argv() if a != "--jobs=1"],
                           "--jobs=auto", *files],
    }


def child(spec_json: str) -> None:
    """In a fresh process: set Django up on the given database, then time one snapshot_analyze."""
    spec = json.loads(spec_json)
    import django

    django.setup()
    from metrics.data import RepositoryConfig
    from metrics.services.analysis import analysis_config_from, snapshot_analyze
    from tests.bench_data import bench_succeeded_scan

    scan = bench_succeeded_scan(path=spec["repo"], commit=spec["commit"])
    config = analysis_config_from(config=RepositoryConfig())
    before = resource.getrusage(resource.RUSAGE_SELF)
    with TreeMemory(os.getpid()) as memory:
        started = time.perf_counter()
        result = snapshot_analyze(scan=scan, repo_path=spec["repo"], commit_sha=spec["commit"], config=config,
                                  workers=spec["workers"])
        seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    # The pool's workers are children of the forkserver: stop it (a private method CPython's own tests use)
    # so that their CPU time reaches this process's RUSAGE_CHILDREN.
    from multiprocessing import forkserver

    forkserver._forkserver._stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    cpu = own + children.ru_utime + children.ru_stime
    print(json.dumps({
        "seconds": seconds, "cpu": cpu, "files": result.files, "analysed": result.analysed, "cached": result.cached,
        "errors": result.errors, "tree_rss": memory.peak,
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "children_maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }))


def run_child(database: Path, repo: str, commit: str, workers: int, scratch: Path) -> dict:
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "debtboard.settings", "DJANGO_DEBUG": "true",
        "DJANGO_LOG_LEVEL": "WARNING", "DEBTBOARD_DATA_DIR": str(scratch / "data"),
        "DATABASE_URL": f"sqlite:///{database}",
    }
    spec = json.dumps({"repo": repo, "commit": commit, "workers": workers})
    result = subprocess.run([sys.executable, __file__, "--child", spec], env=env, cwd=ROOT, capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise RuntimeError(f"the analysis child failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def migrated_database(scratch: Path) -> Path:
    """An empty, migrated SQLite database to copy for every cold run."""
    template = scratch / "template.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "debtboard.settings", "DJANGO_DEBUG": "true",
           "DATABASE_URL": f"sqlite:///{template}", "DEBTBOARD_DATA_DIR": str(scratch / "data")}
    subprocess.run([sys.executable, "manage.py", "migrate", "--skip-checks", "-v0"], env=env, cwd=ROOT, check=True)
    return template


def changed_commit(repo: str, commit: str, files: list[str], scratch: Path) -> tuple[str, str]:
    """A clone with one more commit changing five of the files; its path and commit id."""
    clone = scratch / "changed"
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", repo, str(clone)], check=True,
                   env={**os.environ, **AUTHOR_ENV})
    git(clone, "checkout", "-q", "--detach", commit)
    for index, path in enumerate(files[:: max(1, len(files) // 5)][:5]):
        with (clone / path).open("a", encoding="utf-8") as handle:
            handle.write(f"\n\ndef bench_changed_{index}(value):\n    if value:\n        return {index}\n"
                         "    return 0\n")
        git(clone, "add", "--", path)
    git(clone, "commit", "-q", "-m", "bench: change five files")
    return str(clone), git(clone, "rev-parse", "HEAD")


def synthetic_repo() -> str:
    from bench.synthetic import make_synthetic_repo

    return str(make_synthetic_repo())


def measure(repo: str, revision: str, repeat: int, workers: int) -> dict:
    """Time every step `repeat` times (interleaved) and return medians and ratios."""
    config = AnalysisConfig()
    commit = resolve_commit(repo, revision)
    listing = list_files(repo, commit, include=config.include, exclude=config.exclude)
    files = [entry.path for entry in listing.files]
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-analysis-") as name:
        scratch = Path(name)
        checkout = scratch / "checkout"
        checkout.mkdir()
        archive = subprocess.run(["git", "-C", repo, "archive", "--format=tar", commit], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive, check=True)
        lines = sum((checkout / path).read_bytes().count(b"\n") for path in files)
        template = migrated_database(scratch)
        changed_repo, changed = changed_commit(repo, commit, files, scratch)
        runs: dict[str, list[dict]] = {}
        for index in range(repeat):
            for label, argv in cli_steps(checkout, files, config).items():
                runs.setdefault(label, []).append(run_cli(argv, checkout))
            database = scratch / f"run{index}.sqlite3"
            shutil.copyfile(template, database)
            runs.setdefault("cold", []).append(run_child(database, repo, commit, workers, scratch))
            runs.setdefault("warm", []).append(run_child(database, repo, commit, workers, scratch))
            runs.setdefault("changed", []).append(run_child(database, changed_repo, changed, workers, scratch))
    return summarise(runs, repo=repo, commit=commit, files=len(files), lines=lines, workers=workers, repeat=repeat)


def _per_step(runs: dict[str, list[dict]], key: str, combine=statistics.median) -> dict[str, float]:
    """One figure per step: `combine` (median, max) of `key` over the step's runs."""
    return {label: combine(run[key] for run in values) for label, values in runs.items()}


def summarise(runs: dict[str, list[dict]], **facts: object) -> dict:
    medians, cpu, memory = _per_step(runs, "seconds"), _per_step(runs, "cpu"), _per_step(runs, "tree_rss", max)
    cli_steps = [label for label in runs if label not in ("cold", "warm", "changed")]
    cli = sum(medians[label] for label in cli_steps)
    cli_cpu = sum(cpu[label] for label in cli_steps)
    counts = {label: {key: runs[label][-1][key] for key in ("files", "analysed", "cached", "errors")}
              for label in ("cold", "warm", "changed")}
    return {**facts, "medians": medians, "cli_total": cli, "ratio": medians["cold"] / cli, "tree_rss": memory,
            "cpu": cpu, "cli_cpu": cli_cpu, "cpu_ratio": cpu["cold"] / cli_cpu,
            "maxrss": _per_step(runs, "maxrss", max),
            "counts": counts, "cpus": os.cpu_count(), "load": os.getloadavg()}


def report(result: dict) -> str:
    """The result as a table of medians, ratios and peak memory."""
    medians, cpu, memory = result["medians"], result["cpu"], result["tree_rss"]
    mib = 1024 * 1024
    lines = [
        f"analysis benchmark: {result['repo']} @ {result['commit'][:12]}",
        f"{result['files']:,} Python files, {result['lines']:,} lines; {result['cpus']} CPUs, workers "
        f"{result['workers'] or 'auto'}; median of {result['repeat']} run(s); load average "
        f"{result['load'][0]:.1f}",
        "",
        f"{'step':34} {'wall s':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6} {'peak MiB':>9}  target",
    ]
    for label in ("radon cc -j", "radon mi -j", "radon raw -j", "flake8 -j auto"):
        lines.append(f"{label:34} {medians[label]:7.2f} {'':>6} {cpu[label]:7.2f} {'':>6} {memory[label] / mib:9.0f}")
    lines.append(f"{'radon + flake8 CLIs (sum)':34} {result['cli_total']:7.2f} {1:6.2f} {result['cli_cpu']:7.2f} "
                 f"{1:6.2f}")
    rows = (
        ("cold", f"debtboard cold ({result['counts']['cold']['analysed']} blobs)", "<= 1.00 x CLIs (aim <= 0.60)"),
        ("warm", f"debtboard warm ({result['counts']['warm']['cached']} cached)", "< 1 s"),
        ("changed", f"debtboard 5 files changed ({result['counts']['changed']['analysed']} new)", "< 2 s"),
    )
    for key, label, target in rows:
        lines.append(f"{label:34} {medians[key]:7.2f} {medians[key] / result['cli_total']:6.2f} {cpu[key]:7.2f} "
                     f"{cpu[key] / result['cli_cpu']:6.2f} {memory[key] / mib:9.0f}  {target}")
    verdict = verdicts(result)
    lines += ["", "peak MiB: the largest summed resident memory of the step's process tree (workers included)",
              "targets: " + ("all met" if not verdict else "missed: " + ", ".join(verdict))]
    return "\n".join(lines)


def verdicts(result: dict) -> list[str]:
    missed = []
    if result["ratio"] > TARGETS["ratio"]:
        missed.append(f"cold ratio {result['ratio']:.2f} > {TARGETS['ratio']}")
    if result["medians"]["warm"] >= TARGETS["warm"]:
        missed.append(f"warm {result['medians']['warm']:.2f} s")
    if result["medians"]["changed"] >= TARGETS["changed"]:
        missed.append(f"5 changed {result['medians']['changed']:.2f} s")
    if max(result["tree_rss"][label] for label in ("cold", "warm", "changed")) >= TARGETS["memory"]:
        missed.append("peak memory >= 1 GiB")
    return missed


def main(argv: list[str] | None = None) -> int:
    """Run the analysis benchmark; return 0 when every target is met."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        child(argv[1])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", help="a git repository to analyse (default: the synthetic repository)")
    parser.add_argument("--rev", default="HEAD", help="revision to analyse (default HEAD)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; medians are reported (default 3)")
    parser.add_argument("--quick", action="store_true", help="one repetition")
    parser.add_argument("--workers", type=int, default=0, help="analysis processes (default 0: one per CPU)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options, _unknown = parser.parse_known_args(argv)
    repo = options.repo or synthetic_repo()
    result = measure(repo, options.rev, 1 if options.quick else max(1, options.repeat), options.workers)
    print(json.dumps(result, indent=2) if options.json else report(result))
    return 0 if not verdicts(result) else 1


if __name__ == "__main__":
    sys.exit(main())
