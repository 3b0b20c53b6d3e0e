"""The lock retry: a short write retried while another connection holds SQLite's write lock, bounded."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a child against a file database: another connection holds the write lock (BEGIN IMMEDIATE) for
# HOLD seconds; Django's connection waits only 0.05 s itself, so every try meets "database is locked".
SCRIPT = """
import logging, sqlite3, sys, threading, time
from django.db import IntegrityError, OperationalError, connection
from debtboard.db_locks import write_retrying

HOLD = float(sys.argv[1])
connection.settings_dict["OPTIONS"]["timeout"] = 0.05
connection.close()  # opened again with the short busy timeout
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (n INTEGER PRIMARY KEY)")
holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False)
holder.execute("BEGIN IMMEDIATE")
threading.Timer(HOLD, lambda: holder.execute("COMMIT")).start()
tries = []  # calls of write (a try can fail earlier, at BEGIN IMMEDIATE)
retries = []


class Count(logging.Handler):
    def emit(self, record):
        retries.append(record)


logging.getLogger("debtboard.db_locks").addHandler(Count())

def write():
    tries.append(time.monotonic())
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO probe (n) VALUES (1)")
    return "written"

started = time.monotonic()
try:
    outcome = write_retrying(write, attempts=6, max_seconds=2.0, pause=0.05)
except OperationalError as error:
    outcome = f"raised {error}"
print(f"{outcome}|{len(retries) + 1}|{time.monotonic() - started:.2f}")
time.sleep(max(0.0, HOLD - (time.monotonic() - started)) + 0.1)
with connection.cursor() as cursor:
    cursor.execute("INSERT OR IGNORE INTO probe (n) VALUES (1)")
tries.clear()
try:
    write_retrying(write)
except IntegrityError:
    print(f"integrity after {len(tries)} try")
"""


def run(tmp_path: Path, hold: float) -> list[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DEBTBOARD_"))}
    env = {**base, "DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'locks.sqlite3'}",
           "DEBTBOARD_DATA_DIR": str(tmp_path / "data")}
    script = tmp_path / "locks.py"
    script.write_text(SCRIPT)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", f"import sys; sys.argv = ['x', '{hold}']; "
                                                     f"exec(open({str(script)!r}).read())"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "|" in line or line.startswith("integrity")]


def test_a_write_that_meets_a_short_lock_is_retried_until_it_gets_through(tmp_path):
    outcome, tries, seconds = run(tmp_path, hold=0.3)[0].split("|")
    assert outcome == "written"
    assert int(tries) >= 2
    assert float(seconds) < 2.0


def test_a_lock_held_too_long_raises_after_the_time_bound_and_other_errors_are_not_retried(tmp_path):
    lines = run(tmp_path, hold=4.0)
    outcome, tries, seconds = lines[0].split("|")
    assert outcome == "raised database is locked"
    assert 2 <= int(tries) <= 6
    assert float(seconds) < 2.5  # no new try after max_seconds
    assert lines[1] == "integrity after 1 try"  # not a lock: never tried again
