"""SQLite under write load: a large import in one process, writes and a scan in another, on a real file database."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.gitrepo import init_repo

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000
CHUNK = 250  # debt.services.transfer.IMPORT_CHUNK


def environment(db: Path, data: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DEBTBOARD_"))}
    return {**base, "DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{db}", "DEBTBOARD_DATA_DIR": str(data),
            "DEBTBOARD_ANALYSIS_WORKERS": "1"}


def manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def start(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, Path]:
    """A migrated file database with the repository `demo` registered (a real git repository)."""
    folder = tmp_path_factory.mktemp("sqlite-load")
    repo = init_repo(folder / "demo")
    repo.commit("one", files={"app.py": "def run(x):\n    if x:\n        return 1\n    return 2\n"})
    db = folder / "template.sqlite3"
    env = environment(db, folder / "data")
    result = manage("migrate", "--no-input", env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    result = manage("addrepo", str(repo.path), "--name", "demo", env=env)
    assert result.returncode == 0, result.stderr
    return db, repo.path


@pytest.fixture
def database(template, tmp_path) -> tuple[dict[str, str], Path]:
    db = tmp_path / "debtboard.sqlite3"
    shutil.copy(template[0], db)  # the template's last connection closed: no -wal file is left beside it
    return environment(db, tmp_path / "data"), db


def write_import_file(folder: Path) -> Path:
    rows = [{"external_id": f"LOAD-{n}", "title": f"Imported debt {n}", "kind": "code", "impact": 1 + n % 5,
             "effort": "2", "labels": ["load"], "locations": [{"path": f"pkg/mod{n % 40}.py"}]} for n in range(ROWS)]
    path = folder / "register.json"
    path.write_text(json.dumps({"items": rows}))
    return path


def count(db: Path, where: str) -> int:
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(f"SELECT count(*) FROM debt_debtitem WHERE {where}").fetchone()[0]


def write_locked(db: Path) -> bool:
    """Whether another connection holds the write lock now (BEGIN IMMEDIATE fails without waiting)."""
    connection = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


def wait_until(predicate, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


WRITER = """
import time
from debt.services.items import debt_item_create
from metrics.selectors.repositories import repository_get
repository = repository_get(name="demo")
slowest = 0.0
for n in range(30):
    started = time.monotonic()
    debt_item_create(repository=repository, title=f"Concurrent {n}")
    slowest = max(slowest, time.monotonic() - started)
print(f"slowest {slowest:.3f}")
"""


def test_sqlite_file_database_is_in_wal_mode_with_immediate_transactions(database):
    env, _db = database
    probe = ("from django.db import connection\n"
             "with connection.cursor() as cursor:\n"
             "    cursor.execute('PRAGMA journal_mode')\n"
             "    print(cursor.fetchone()[0], connection.transaction_mode)")
    result = manage("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["wal", "IMMEDIATE"]


def test_a_large_import_leaves_room_for_other_writers_and_a_scan(database, tmp_path):
    env, db = database
    importing = start("debt_import", "demo", str(write_import_file(tmp_path)), env=env)
    try:
        assert wait_until(lambda: write_locked(db), seconds=30)  # the import is writing
        writer = manage("shell", "-c", WRITER, env=env, timeout=60)
        scan = manage("scan", "demo", env=env, timeout=60)
        imported_out, imported_err = importing.communicate(timeout=60)
    finally:
        importing.kill()
    assert importing.returncode == 0, imported_err
    assert f"{ROWS} created, 0 updated, 0 unchanged" in imported_out
    assert writer.returncode == 0, writer.stderr
    assert scan.returncode == 0, scan.stdout + scan.stderr
    assert "locked" not in imported_err + writer.stderr + scan.stdout + scan.stderr
    # No write waited for the whole import (one transaction of about 5 s before): each got the lock
    # between two of its chunks.
    assert float(writer.stdout.split("slowest")[-1]) < 2.0
    assert count(db, "external_id LIKE 'LOAD-%'") == ROWS
    assert count(db, "title LIKE 'Concurrent %'") == 30


def test_an_import_killed_between_chunks_keeps_whole_chunks_and_the_same_file_completes_it(database, tmp_path):
    env, db = database
    path = write_import_file(tmp_path)
    importing = start("debt_import", "demo", str(path), env=env)
    try:
        assert wait_until(lambda: count(db, "external_id LIKE 'LOAD-%'") >= CHUNK, seconds=30)
        importing.send_signal(signal.SIGKILL)
    finally:
        importing.kill()
        importing.communicate(timeout=30)
    written = count(db, "external_id LIKE 'LOAD-%'")
    assert 0 < written < ROWS, "the import finished before it could be killed"
    assert written % CHUNK == 0  # a chunk is written whole or not at all
    again = manage("debt_import", "demo", str(path), env=env)
    assert again.returncode == 0, again.stderr
    assert f"{ROWS - written} created, 0 updated, {written} unchanged" in again.stdout
    assert count(db, "external_id LIKE 'LOAD-%'") == ROWS
    once_more = manage("debt_import", "demo", str(path), env=env)
    assert f"0 created, 0 updated, {ROWS} unchanged" in once_more.stdout
