"""Benchmark: mining history (parse + store into a fresh SQLite database) against a raw `git log --numstat`.

    python bench/bench_mining.py [--repo PATH] [--revision REV] [--repeat 3] [--quick] [--json]

Without --repo it mines bench.synthetic's generated repository. Each mining run happens in a child
process with its own new SQLite database (created and migrated before the clock starts), so nothing
is cached between runs and the parent's Django set-up does not matter. Reported: the median of the
runs for the raw `git log --numstat`, for the miner's own git command alone, for parsing alone and
for the whole mine, and the ratio mine / raw (target <= 3, aim <= 2).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from metrics.core.git_history import iter_commits, log_args  # noqa: E402
from metrics.core.gitcmd import git_argv, git_env, run_git  # noqa: E402

TARGET_RATIO = 3.0


def resolve(repo: str, revision: str) -> str:
    """The full commit id of `revision` in `repo`."""
    return run_git(repo, ["rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}"]).decode().strip()


def time_git_to_devnull(repo: str, args: list[str]) -> float:
    """Seconds git takes to write `git <args>` to /dev/null."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(git_argv(repo, args), env=git_env(), stdout=sink, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def time_parse(repo: str, sha: str) -> tuple[float, int, int]:
    """Seconds to stream and parse the miner's git log without storing; commits and file changes seen."""
    started = time.perf_counter()
    commits = changes = 0
    for record in iter_commits(repo, sha):
        commits += 1
        changes += len(record.changes)
    return time.perf_counter() - started, commits, changes


def time_mine(repo: str, sha: str) -> dict:
    """Run one mine in a child process against a new SQLite database; return its report."""
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-") as scratch:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "debtboard.settings",
            "DJANGO_DEBUG": "true",
            "DEBTBOARD_DATA_DIR": scratch,
            "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
        }
        result = subprocess.run(
            [sys.executable, __file__, "--child", repo, sha], env=env, cwd=ROOT, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"the mining child failed:\n{result.stderr[-4000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


def child(repo: str, sha: str) -> None:
    """In the child: migrate the new database, then time history_mine alone and print a JSON report."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from metrics.data import RepositoryConfig
    from metrics.services.history import history_mine
    from tests.bench_data import bench_repository, file_change_count

    repository = bench_repository(path=repo)
    started = time.perf_counter()
    result = history_mine(repository=repository, repo_path=repo, commit_sha=sha, config=RepositoryConfig())
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "seconds": elapsed, "commits": result.new_commits,
        "file_changes": file_change_count(repository=repository),
    }))


def synthetic_repo() -> str:
    """bench.synthetic's generated repository (built once and cached under var/bench/)."""
    from bench.synthetic import make_synthetic_repo

    return str(make_synthetic_repo())


def measure(repo: str, revision: str, repeat: int) -> dict:
    """Time every variant `repeat` times and return the medians and the ratio."""
    sha = resolve(repo, revision)
    raw, miner_git, parse, mine = [], [], [], []
    counts: dict = {}
    for _ in range(repeat):
        raw.append(time_git_to_devnull(repo, ["log", "--numstat", sha, "--"]))
        miner_git.append(time_git_to_devnull(repo, log_args(sha)))
        seconds, commits, changes = time_parse(repo, sha)
        parse.append(seconds)
        report = time_mine(repo, sha)
        mine.append(report["seconds"])
        counts = {"commits": report["commits"], "file_changes": report["file_changes"], "parsed_commits": commits,
                  "parsed_changes": changes}
    medians = {
        "raw_git_log_numstat": statistics.median(raw),
        "miner_git_only": statistics.median(miner_git),
        "parse_only": statistics.median(parse),
        "mine_parse_and_store": statistics.median(mine),
    }
    return {"repo": repo, "sha": sha, **counts, **medians,
            "ratio": medians["mine_parse_and_store"] / max(medians["raw_git_log_numstat"], 1e-9)}


def report(result: dict) -> str:
    lines = [
        f"mining benchmark: {result['repo']} @ {result['sha'][:12]}",
        f"  commits {result['commits']}, file changes {result['file_changes']}",
        f"  raw git log --numstat > /dev/null   {result['raw_git_log_numstat']:8.3f} s",
        f"  miner's git log alone > /dev/null   {result['miner_git_only']:8.3f} s",
        f"  stream + parse (no storage)         {result['parse_only']:8.3f} s",
        f"  mine: parse + store (fresh SQLite)  {result['mine_parse_and_store']:8.3f} s",
        f"  ratio mine / raw                    {result['ratio']:8.2f}  (target <= {TARGET_RATIO:g}, aim <= 2)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the mining benchmark; return 0 when the ratio meets the target."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", help="a git repository to mine (default: the synthetic repository)")
    parser.add_argument("--revision", default="HEAD")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one repetition")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options, _unknown = parser.parse_known_args(argv)
    repo = options.repo or synthetic_repo()
    result = measure(str(Path(repo).resolve()), options.revision, 1 if options.quick else max(1, options.repeat))
    print(json.dumps(result, indent=2) if options.json else report(result))
    return 0 if result["ratio"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
