"""PostgreSQL connections: a real server under 30 parallel requests stays within its pool, then shrinks."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg")

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("DEBTBOARD_TEST_PG", "postgres://postgres@127.0.0.1:5432")
POOL_MIN, POOL_MAX = 1, 4


def admin():
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """A migrated database of our own on the local PostgreSQL (skipped when there is none)."""
    try:
        connection = admin()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {SERVER}: {exc}")
    name = f"debtboard_ops_{os.getpid()}"
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DEBTBOARD_"))}
    env = {**base, "DJANGO_DEBUG": "true", "DATABASE_URL": f"{SERVER}/{name}",
           "DEBTBOARD_DATA_DIR": str(tmp_path_factory.mktemp("pg-data"))}
    try:
        migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=300)
        assert migrated.returncode == 0, migrated.stderr
        yield name, env
    finally:
        with admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connections_to(name: str) -> int:
    with admin() as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'", [name]
        ).fetchone()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    """`manage.py runserver --noreload` (a thread per request) on a free loopback port."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def parallel_requests(url: str, name: str, count: int = 30) -> tuple[list[int], int]:
    """Fire `count` requests at once; return their statuses and the most connections seen meanwhile."""
    seen = 0
    with ThreadPoolExecutor(max_workers=count) as executor:
        futures = [executor.submit(lambda: urllib.request.urlopen(url, timeout=60).status) for _ in range(count)]
        while not all(future.done() for future in futures):
            seen = max(seen, connections_to(name))
            time.sleep(0.02)
        return [future.result() for future in futures], max(seen, connections_to(name))


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_thirty_parallel_requests_stay_within_the_pool_and_it_shrinks_back_to_its_minimum(database):
    name, env = database
    pooled = {**env, "DEBTBOARD_DB_POOL_MIN": str(POOL_MIN), "DEBTBOARD_DB_POOL_MAX": str(POOL_MAX),
              "DEBTBOARD_DB_POOL_MAX_IDLE": "0.5"}
    with server(pooled) as url:
        statuses, most = parallel_requests(url, name)
        assert statuses == [200] * 30
        assert POOL_MIN <= most <= POOL_MAX
        assert wait_for(lambda: connections_to(name) == POOL_MIN, seconds=15), connections_to(name)


def test_without_the_pool_every_request_thread_keeps_a_connection(database):
    """What the pool replaces (DEBTBOARD_DB_POOL=false: persistent connections, one per thread)."""
    name, env = database
    with server({**env, "DEBTBOARD_DB_POOL": "false"}) as url:
        statuses, most = parallel_requests(url, name)
        assert statuses == [200] * 30
        assert most > POOL_MAX
