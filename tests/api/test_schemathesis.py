"""The schema and the API agree: schemathesis (all checks) against Django's live server finds no failure."""
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from api.tokens import api_token_create
from debt.services.comments import debt_item_comment
from debt.services.items import debt_item_create
from debt.data import LocationSpec
from metrics.data import ChangedFileFigures, ChangeSubmission
from metrics.services.gate import change_check_create
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.gitrepo import BASE_DATE

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
# Bounded so that `make test` stays quick: few examples per operation, a fixed seed, a hard time limit.
MAX_EXAMPLES = 5
SEED = 11
TIME_LIMIT_SECONDS = 80

ADA = "Ada Lovelace <ada@example.com>"
GRACE = "Grace Hopper <grace@example.com>"
PARSE = '''\
"""Parsing."""


def parse(text):
    # TODO: handle empty input
    if not text:
        return []
    return [word for word in text.split() if word]
'''


@pytest.fixture
def staff_token(django_user_model, git_repo, settings) -> str:
    """A staff user's API token; a real git repository registered as "shop", scanned, with debt items."""
    settings.DEBTBOARD_REPO_ROOTS = [git_repo.path.parent.resolve()]
    git_repo.commit("start", files={"app/__init__.py": "", "app/parse.py": '"""Parsing."""\n'}, author=ADA)
    git_repo.commit("parse words", files={"app/parse.py": PARSE}, author=GRACE, date=BASE_DATE + timedelta(days=3))
    staff = django_user_model.objects.create_user(username="lead", password=None, is_staff=True)
    repository = repository_create(source=str(git_repo.path), name="shop")
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.succeeded, scan.error
    repository.refresh_from_db()
    item = debt_item_create(repository=repository, actor=staff, title="Split the parser", impact=3,
                            locations=[LocationSpec(path="app/parse.py", qualname="parse")])
    debt_item_comment(item=item, body="Blocks the CSV work.", actor=staff)
    change_check_create(repository=repository, submitted_by=staff, idempotency_key="", submission=ChangeSubmission(
        revision="b" * 40, base_revision="", reference="ci",
        files=(ChangedFileFigures(path="app/parse.py", loc=8, total_complexity=3, violation_count=0, marker_count=1,
                                  mi=80.0, functions=(("parse", 3),)),)))
    return api_token_create(user=staff, name="schemathesis").secret


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure(live_server, staff_token, tmp_path, settings):
    # Throttling is tested on its own (tests/api/test_auth.py); here it would only slow the run down.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{live_server.url}/api/schema/", "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", "1", "--no-color",
        "--header", f"Authorization: Bearer {staff_token}", "--request-timeout", "20",
        "--max-time", str(TIME_LIMIT_SECONDS - 20), "--report-dir", str(tmp_path),
        "--generation-database", "none",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"}
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS, env=env,
                            cwd=tmp_path)
    print(f"schemathesis ran {time.monotonic() - started:.0f} s")
    print(result.stdout)
    assert result.returncode == 0, failure_summary(result.stdout) + result.stderr[-2000:]


def failure_summary(output: str) -> str:
    """Schemathesis's report without the reproduction commands and response bodies: what failed, where."""
    wanted = ("___", "- ", "[", "Expected", "Received", "Documented", "Hint", "`{")
    return "\n".join(line[:300] for line in output.splitlines() if line.strip().startswith(wanted))
