"""Benchmark: 50 synthetic repositories scanned by 1, then 2 Celery workers on loopback (PostgreSQL + Redis).

    python bench/bench_scale.py [--repos 50] [--workers 1 2] [--files 40] [--commits 60] [--quick]

For each worker count: a fresh PostgreSQL database (DEBTBOARD_BENCH_PG, default
postgres://postgres@127.0.0.1:5432, database debtboard_bench, dropped and created) so the analysis cache
starts empty, N `celery worker --pool solo` processes on a Redis queue of their own (DEBTBOARD_BENCH_REDIS,
default redis://127.0.0.1:6379/11), the repositories registered, then every scan requested at once (the
burst a fleet-wide rescan makes). Reported: repositories per minute (scans / time from the first request
to the last finish), queue wait (started - requested) median and p95, scan time median, and the stage
medians, database rows written per scan and the machine's load, which tell what limits (docs/operations.md,
"Scale, measured"). The repositories come from bench/synthetic.py (one seed each). Skipped (exit 0) when
PostgreSQL or Redis does not answer.
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG = os.environ.get("DEBTBOARD_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("DEBTBOARD_BENCH_REDIS", "redis://127.0.0.1:6379/11")
DATABASE = "debtboard_bench"
QUEUE = f"debtboard-bench-scale-{os.getpid()}"
STAGES = ("fetching", "mining", "analysis", "scoring")


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def environment(scratch: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "debtboard.settings", "DJANGO_DEBUG": "true",
            "DEBTBOARD_DATA_DIR": scratch, "DATABASE_URL": f"{PG}/{DATABASE}", "CELERY_BROKER_URL": REDIS,
            "DEBTBOARD_CELERY_QUEUE": QUEUE, "DEBTBOARD_ANALYSIS_WORKERS": "1", "PYTHONPATH": str(ROOT),
            "DJANGO_LOG_LEVEL": "WARNING"}


def fresh_database() -> None:
    import psycopg
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    call_command("migrate", verbosity=0)


def start_workers(count: int, env: dict[str, str], scratch: str) -> list[subprocess.Popen]:
    celery = str(Path(sys.executable).with_name("celery"))
    workers = []
    for number in range(count):
        log = open(Path(scratch) / f"worker{number}.log", "a")
        workers.append(subprocess.Popen(
            [celery, "-A", "debtboard.celery", "worker", "--pool", "solo", "-n", f"bench{number}@%h",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    return workers


def wait_until(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.5)


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=120)


def rows_inserted() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT tup_inserted FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def one_run(workers_count: int, repos: list[Path], env: dict[str, str], scratch: str) -> dict:
    """Scan every repository with `workers_count` workers; return the figures."""
    from metrics.selectors.monitoring import scan_queue_figures, worker_heartbeat_list
    from metrics.selectors.repositories import scan_list_all
    from metrics.services.repositories import repository_create
    from metrics.services.scans.requests import scan_request

    fresh_database()
    registered = [repository_create(source=str(path), name=f"r{number:03d}") for number, path in enumerate(repos)]
    workers = start_workers(workers_count, env, scratch)
    try:
        wait_until(lambda: len(worker_heartbeat_list()) >= workers_count, 300, "the workers to start")
        inserted, load = rows_inserted(), os.getloadavg()[0]
        started = time.perf_counter()
        for repository in registered:
            scan_request(repository=repository)
        wait_until(lambda: not any(scan_queue_figures().by_status[status] for status in ("queued", "running")),
                   3600, "the scans")
        elapsed = time.perf_counter() - started
        load = max(load, os.getloadavg()[0])
    finally:
        stop_workers(workers)
    return figures(list(scan_list_all()), elapsed, rows_inserted() - inserted, load)


def figures(scans: list, elapsed: float, inserted: int, load: float) -> dict:
    succeeded = [scan for scan in scans if scan.status == "succeeded"]
    waits = sorted((scan.started_at - scan.created_at).total_seconds() for scan in succeeded)
    runs = [(scan.finished_at - scan.started_at).total_seconds() for scan in succeeded]
    stage = {name: statistics.median(float(scan.counts.get("seconds", {}).get(name, 0)) for scan in succeeded)
             for name in STAGES} if succeeded else {}
    return {"scans": len(scans), "succeeded": len(succeeded), "elapsed": elapsed,
            "per_minute": len(succeeded) / elapsed * 60, "wait_median": statistics.median(waits) if waits else 0,
            "wait_p95": p95(waits), "scan_median": statistics.median(runs) if runs else 0, "stages": stage,
            "rows_per_scan": inserted / max(1, len(succeeded)), "load": load}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else sum(values)


def build_repos(count: int, files: int, commits: int, scratch: str) -> list[Path]:
    from bench.synthetic import make_synthetic_repo

    return [make_synthetic_repo(Path(scratch) / "repos" / f"r{seed:03d}", files=files, commits=commits, seed=seed)
            for seed in range(1, count + 1)]


def main(argv: list[str] | None = None) -> int:
    """Run the scale benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--commits", type=int, default=60)
    parser.add_argument("--quick", action="store_true", help="10 repositories")
    args, _ = parser.parse_known_args(argv)
    if args.quick:
        args.repos = 10
    if not (reachable(PG, 5432) and reachable(REDIS, 6379)):
        print(f"skipped: PostgreSQL ({PG}) or Redis ({REDIS}) does not answer")
        return 0
    with tempfile.TemporaryDirectory(prefix="debtboard-bench-scale-") as scratch:
        env = environment(scratch)
        os.environ.update(env)
        import django

        django.setup()
        repos = build_repos(args.repos, args.files, args.commits, scratch)
        print(f"{args.repos} synthetic repositories ({args.files} files, {args.commits} commits each); "
              f"{os.cpu_count()} CPUs; load before: {os.getloadavg()[0]:.1f}")
        results = [(count, one_run(count, repos, env, scratch)) for count in args.workers]
    _print(results)
    return 0


def _print(results: list[tuple[int, dict]]) -> None:
    print(f"{'workers':>7} {'scans ok':>8} {'seconds':>8} {'repos/min':>9} {'wait med s':>10} {'wait p95 s':>10} "
          f"{'scan med s':>10} {'rows/scan':>9} {'max load':>8}  stage medians s (fetch/mine/analyse/score)")
    for count, run in results:
        stages = "/".join(f"{run['stages'].get(name, 0):.2f}" for name in STAGES)
        print(f"{count:7d} {run['succeeded']:4d}/{run['scans']:<3d} {run['elapsed']:8.1f} {run['per_minute']:9.1f} "
              f"{run['wait_median']:10.1f} {run['wait_p95']:10.1f} {run['scan_median']:10.2f} "
              f"{run['rows_per_scan']:9.0f} {run['load']:8.1f}  {stages}")
    if len(results) > 1:
        base = results[0][1]["per_minute"]
        for count, run in results[1:]:
            print(f"{count} workers: {run['per_minute'] / base:.2f}x the repositories per minute of {results[0][0]}")


if __name__ == "__main__":
    sys.exit(main())
