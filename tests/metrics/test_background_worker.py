"""The background worker in its own process, against a file SQLite database and real git repositories.

Requests return at once (202) while `manage.py scan_worker` runs the scan; a worker killed with SIGKILL
mid-scan leaves the previous results current and the reaper's retry runs to success; a cancelled running
scan leaves no partial rows; a burst of 100 requests runs one scan; a due scheduled rescan is queued and run by
the worker's own runner; a real Celery worker runs a queued scan.
"""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.gitrepo import init_repo

ROOT = Path(__file__).resolve().parents[2]
SCAN_SECONDS = 180  # the bound on any one wait below; a slow shared machine needs far less


def environment(db: Path, data: Path, **extra: str) -> dict[str, str]:
    prefixes = ("DJANGO_", "DATABASE_URL", "DEBTBOARD_", "CELERY_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    # PYTHONPATH: this checkout's code, also where Celery drops the working directory from sys.path.
    return {**base, "PYTHONPATH": str(ROOT), "DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{db}",
            "DEBTBOARD_DATA_DIR": str(data), "DEBTBOARD_ANALYSIS_WORKERS": "1", "DEBTBOARD_SCAN_RETRY_BACKOFF": "0",
            **extra}


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def shell(code: str, env: dict[str, str]) -> object:
    """Run Django code in a fresh process; it prints one JSON value last."""
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def start(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """A worker in its own session (its analysis processes die with it), logging to a file."""
    log = open(Path(env["DEBTBOARD_DATA_DIR"]) / f"{Path(args[0]).name}.log", "a")
    return subprocess.Popen(list(args), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


SCAN_QUERY = """
SELECT s.id, s.status, s.stage, s.progress_done, s.attempt, s.retry_of_id, r.current_scan_id,
       (SELECT count(*) FROM metrics_filescore WHERE scan_id = s.id)
       + (SELECT count(*) FROM metrics_snapshotfile WHERE scan_id = s.id)
       + (SELECT count(*) FROM metrics_functionscore WHERE scan_id = s.id)
FROM metrics_scan s JOIN metrics_repository r ON r.id = s.repository_id ORDER BY s.id
"""
FIELDS = ("id", "status", "stage", "done", "attempt", "retry_of", "current", "rows")


def scans(env: dict[str, str]) -> list[dict]:
    """The scans, read straight from the file database (fast enough to poll a running scan)."""
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=30) as connection:
        return [dict(zip(FIELDS, row)) for row in connection.execute(SCAN_QUERY)]


def heartbeats(env: dict[str, str]) -> list[str]:
    """The kinds of the workers with a heartbeat row."""
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=30) as connection:
        return [kind for (kind,) in connection.execute("SELECT kind FROM metrics_workerheartbeat")]


def wait_for(env: dict[str, str], *, until, seconds: float = SCAN_SECONDS) -> list[dict]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = scans(env)
        if until(value):
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out; last value {value!r}")


def running_tasks(env: dict[str, str]) -> int:
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=30) as connection:
        return connection.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                                  "WHERE status = 'RUNNING'").fetchone()[0]


REQUEST = """
import json, time
from django.test import Client
from django.contrib.auth import get_user_model
from api.tokens import api_token_create
staff = get_user_model().objects.get(username="lead")
api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer " + api_token_create(user=staff, name="t").secret)
ui = Client(HTTP_HOST="localhost"); ui.force_login(staff)
started = time.monotonic()
if "{via}" == "api":
    response = api.post("/api/v1/repositories/demo/scans/", {{}}, content_type="application/json")
    out = dict(code=response.status_code, location=response.get("Location"), id=response.json().get("id"))
else:
    response = ui.post("/repos/demo/scan/", HTTP_HX_REQUEST="true")
    out = dict(code=response.status_code, notice="Scan requested." in response.content.decode())
out["seconds"] = time.monotonic() - started
print(json.dumps(out))
"""


def many_files(count: int) -> dict[str, str]:
    body = "".join(f"def f{n}(x):\n    if x > {n}:\n        return x - {n}\n    return x\n\n\n" for n in range(8))
    # Each file differs (its own blob), so analysing them takes seconds: long enough to stop a scan midway.
    return {f"pkg/mod{n:04d}.py": f"# module {n}\n" + body for n in range(count)}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("worker-template")
    db = folder / "template.sqlite3"
    env = environment(db, folder / "data")
    result = manage("migrate", "--no-input", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    shell("import json; from django.contrib.auth import get_user_model; "
          "get_user_model().objects.create_user(username='lead', password='x-123-not-used', is_staff=True); "
          "print(json.dumps(1))", env)
    return db


@pytest.fixture
def site(template, tmp_path) -> tuple[dict[str, str], object]:
    """A copy of the template database with the repository `demo` registered; (environment, git repository)."""
    db = tmp_path / "debtboard.sqlite3"
    shutil.copy(template, db)
    repo = init_repo(tmp_path / "demo")
    repo.commit("one", files={"app.py": "def run(x):\n    if x:\n        return 1\n    return 2\n"})
    env = environment(db, tmp_path / "data")
    result = manage("addrepo", str(repo.path), "--name", "demo", env=env)
    assert result.returncode == 0, result.stderr
    return env, repo


def request(env: dict[str, str], via: str) -> dict:
    return shell(REQUEST.format(via=via), env)


def test_scans_queued_from_the_api_and_the_ui_run_in_the_worker_while_the_request_returns_at_once(site):
    env, _repo = site
    queued = request(env, "api")
    assert queued["code"] == 202 and queued["location"].endswith(f"/api/v1/scans/{queued['id']}/")
    assert queued["seconds"] < 5
    assert scans(env)[0]["status"] == "queued"  # nothing ran in the request
    worker = start(sys.executable, "manage.py", "scan_worker", "--interval", "0.2", env=env)
    try:
        done = wait_for(env, until=lambda s: s[0]["status"] not in ("queued", "running"))
        assert done[0]["status"] == "succeeded" and done[0]["current"] == queued["id"]
        from_ui = request(env, "ui")
        assert from_ui["code"] == 200 and from_ui["notice"] and from_ui["seconds"] < 5
        done = wait_for(env, until=lambda s: len(s) == 2 and s[1]["status"] not in ("queued", "running"))
        assert done[1]["status"] == "succeeded" and done[1]["current"] == done[1]["id"]
        beating = heartbeats(env)  # the worker says it is alive (/healthz, /metrics)
    finally:
        stop(worker)
    # Stopped on purpose: its heartbeat row is gone (a stopped worker is not a stale one).
    assert (worker.returncode, beating, heartbeats(env)) == (0, ["database-queue"], [])


def test_the_embedded_worker_queues_and_runs_due_scheduled_rescans(site):
    env, _repo = site
    env = {**env, "DEBTBOARD_RESCAN_INTERVAL": "0.2"}
    shell("import json; from datetime import timedelta; from django.utils import timezone; "
          "from metrics.models import Repository; Repository.objects.filter(name='demo').update("
          "rescan_kind='hourly', rescan_set_at=timezone.now() - timedelta(hours=2)); print(json.dumps(1))", env)
    worker = start(sys.executable, "manage.py", "scan_worker", "--interval", "0.2", env=env)
    try:
        done = wait_for(env, until=lambda s: len(s) == 1 and s[0]["status"] not in ("queued", "running"))
        assert done[0]["status"] == "succeeded" and done[0]["current"] == done[0]["id"]
    finally:
        stop(worker)
    assert worker.returncode == 0
    assert len(scans(env)) == 1  # fired once for this hour, not on every poll
    log = (Path(env["DEBTBOARD_DATA_DIR"]) / f"{Path(sys.executable).name}.log").read_text()
    assert f"Scheduled rescan of demo: queued (scan {done[0]['id']})" in log


def _first_scan_then_a_big_commit(env, repo) -> int:
    assert manage("scan_worker", "--batch", env=env).returncode == 0  # nothing queued yet: exits at once
    first = request(env, "api")["id"]
    result = manage("scan_worker", "--batch", env=env, timeout=SCAN_SECONDS)
    assert result.returncode == 0, result.stderr
    assert scans(env)[0]["status"] == "succeeded"
    repo.commit("many", files=many_files(400))
    return first


def test_a_worker_killed_mid_scan_leaves_the_previous_results_and_the_retry_succeeds(site):
    env, repo = site
    first = _first_scan_then_a_big_commit(env, repo)
    second = request(env, "api")["id"]
    worker = start(sys.executable, "manage.py", "scan_worker", "--interval", "0.2", env=env)
    try:
        # Any moment after the worker claimed the scan is "mid-scan"; a quiet machine may finish analysing
        # 400 files between two progress writes, so the stage itself is not waited for.
        wait_for(env, until=lambda s: (s[-1]["id"], s[-1]["status"]) == (second, "running"))
    finally:
        stop(worker, signal.SIGKILL)
    after_kill = scans(env)
    assert after_kill[-1]["id"] == second and after_kill[-1]["status"] == "running"
    assert after_kill[-1]["current"] == first  # the previous results stay current
    # Time passes: the dead worker's heartbeat grows old (stale after 15 minutes).
    shell(f"import json; from datetime import timedelta; from django.utils import timezone; "
          f"from metrics.models import Scan; Scan.objects.filter(pk={second}).update("
          f"heartbeat_at=timezone.now() - timedelta(hours=1)); print(json.dumps(1))", env)
    result = manage("scan_worker", "--batch", env=env, timeout=SCAN_SECONDS)  # reaps at start, runs the retry
    assert result.returncode == 0, result.stderr
    killed, retry = scans(env)[-2:]
    assert killed["id"] == second and killed["status"] == "interrupted" and killed["rows"] == 0
    assert retry["retry_of"] == second and retry["attempt"] == 2
    assert retry["status"] == "succeeded" and retry["current"] == retry["id"]


def test_a_cancelled_running_scan_leaves_no_partial_rows_and_the_previous_scan_stays_current(site):
    env, repo = site
    first = _first_scan_then_a_big_commit(env, repo)
    second = request(env, "api")["id"]
    worker = start(sys.executable, "manage.py", "scan_worker", "--interval", "0.2", env=env)
    try:
        # Django starts first, then waits for the worker to be mining or analysing and cancels at once.
        cancelled = shell(f"""
import json, time
from django.test import Client
from django.contrib.auth import get_user_model
from api.tokens import api_token_create
from metrics.models import Scan
staff = get_user_model().objects.get(username="lead")
api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer " + api_token_create(user=staff, name="c").secret)
deadline = time.monotonic() + {SCAN_SECONDS}
while not Scan.objects.filter(pk={second}, status="running", stage__in=["mining", "analysis"]).exists():
    assert time.monotonic() < deadline
    time.sleep(0.02)
response = api.post("/api/v1/scans/{second}/cancel/")
print(json.dumps([response.status_code, response.json()["status"]]))
""", env)
        assert cancelled == [200, "cancelled"]
        # The worker stops at its next file batch and drops what it wrote; its task ends.
        deadline = time.monotonic() + 60
        while running_tasks(env) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running_tasks(env) == 0
    finally:
        stop(worker)
    cancelled_scan = scans(env)[-1]
    assert cancelled_scan["id"] == second and cancelled_scan["status"] == "cancelled"
    assert cancelled_scan["rows"] == 0 and cancelled_scan["current"] == first


BURST = """
import json, threading, time
from django.db import connection
from django.test import Client
from django.contrib.auth import get_user_model
from api.tokens import api_token_create
staff = get_user_model().objects.get(username="lead")
secret = api_token_create(user=staff, name="burst").secret
answers, lock, gate = [], threading.Lock(), threading.Barrier(4)
def ask():
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer " + secret)
    gate.wait()
    try:
        for _ in range(25):
            response = client.post("/api/v1/repositories/demo/scans/", {}, content_type="application/json")
            body = response.json()
            scan = body.get("id") if response.status_code == 202 else body["extra"]["live_scan"]["id"]
            with lock:
                answers.append([response.status_code, scan])
    finally:
        connection.close()
started = time.monotonic()
threads = [threading.Thread(target=ask) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps(dict(answers=answers, seconds=time.monotonic() - started)))
"""


def test_a_hundred_requests_for_one_repository_run_one_scan(site):
    env, _repo = site
    env = {**env, "DEBTBOARD_SCAN_RATE": "10000/minute", "DEBTBOARD_API_RATE": "10000/minute"}
    burst = shell(BURST, env)
    codes = [code for code, _ in burst["answers"]]
    assert len(codes) == 100 and codes.count(202) == 1 and codes.count(409) == 99, codes
    assert len({scan for _, scan in burst["answers"]}) == 1
    assert len(scans(env)) == 1
    assert shell("import json; from django_tasks_db.models import DBTaskResult; "
                 "print(json.dumps(DBTaskResult.objects.count()))", env) == 1


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_a_real_celery_worker_runs_a_queued_scan(site, tmp_path):
    env, _repo = site
    queue = f"debtboard-test-{os.getpid()}-{time.monotonic_ns()}"
    env = {**env, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "DEBTBOARD_CELERY_QUEUE": queue}
    queued = request(env, "api")
    assert queued["code"] == 202 and scans(env)[0]["status"] == "queued"
    celery = str(Path(sys.executable).with_name("celery"))
    worker = start(celery, "-A", "debtboard.celery", "worker", "--pool", "solo", "--loglevel", "INFO",
                   "--without-gossip", "--without-mingle", env=env)
    try:
        done = wait_for(env, until=lambda s: s[0]["status"] not in ("queued", "running"))
        beating = heartbeats(env)
    finally:
        stop(worker)
    assert done[0]["status"] == "succeeded" and done[0]["current"] == queued["id"]
    assert beating == ["celery"]
