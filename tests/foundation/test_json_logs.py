"""Log lines as JSON with DJANGO_LOG_FORMAT=json; every line emitted during a scan names the scan and repository."""
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from debtboard.logs import JsonLineFormatter, ScanContextFilter
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.gitrepo import BASE_DATE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines():
    """The root logger's lines, formatted and filtered as the console handler does with DJANGO_LOG_FORMAT=json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScanContextFilter())
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.django_db
def test_every_line_of_a_scan_carries_its_scan_id_and_repository(git_repo, settings, json_lines):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    git_repo.commit("start", files={"a.py": "def f():\n    return 1\n"}, date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="logged")
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    logging.getLogger("metrics.after").info("after the scan")

    lines = json_lines()
    during = [line for line in lines if line["message"] != "after the scan" and line["logger"] != "metrics.services"
              ".repositories"]
    assert any(line["message"].startswith(f"Scan {scan.pk} of logged started") for line in during)
    assert any(line["logger"].startswith("debt.") for line in during)  # another app's receiver, same fields
    assert {(line["scan_id"], line["repository"]) for line in during} == {(scan.pk, "logged")}
    assert {"time", "level", "logger", "message", "process"} <= set(lines[-1])
    assert (lines[-1]["scan_id"], lines[-1]["repository"]) == (None, None)


def test_django_log_format_json_makes_the_console_handler_write_json_lines(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DEBTBOARD_"))}
    env.update(DJANGO_DEBUG="true", DJANGO_LOG_FORMAT="json", DEBTBOARD_DATA_DIR=str(tmp_path),
               DATABASE_URL="sqlite://:memory:", PYTHONPATH=str(ROOT))
    code = "import logging; logging.getLogger('metrics.demo').warning('hello %s', 'there')"
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert {key: line[key] for key in ("level", "logger", "message", "scan_id")} == {
        "level": "WARNING", "logger": "metrics.demo", "message": "hello there", "scan_id": None}
