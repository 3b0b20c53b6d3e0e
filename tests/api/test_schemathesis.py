"""The schema and the API agree: schemathesis (all checks) against Django's live server finds no failure."""
import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.tokens import api_token_create
from debt.services.comments import debt_item_comment
from debt.services.items import debt_item_create
from debt.data import LocationSpec
from metrics.data import ChangedFileFigures, ChangeSubmission
from metrics.services.gate import change_check_create
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.choices import GoalKind
from sprints.selectors.teams import sprint_get
from sprints.services.cadence import sprint_generate
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_goal_add,
    refactorathon_participant_add,
)
from sprints.services.scheduling import sprint_item_schedule
from sprints.services.teams import team_area_add, team_create
from tests.debt.factories import make_repository
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


PLANNING_PATHS = "^/api/v1/(teams|refactorathons)/"


@pytest.fixture
def planning_token(django_user_model, settings) -> str:
    """A staff user's API token; the team "payments" (sprints, an area, a scheduled item) and the event "week".

    schemathesis.toml pins the path slugs of the team and refactorathon operations to these two, so that the
    generated requests reach real objects (random slugs would only ever see 404); the deletions get a team and
    an event "doomed" of their own.
    """
    staff = django_user_model.objects.create_user(username="lead", password=None, is_staff=True)
    repository = make_repository("shop")
    items = [debt_item_create(repository=repository, actor=staff, title=f"Tidy {name}", effort=2,
                              locations=[LocationSpec(path=f"app/{name}.py")]) for name in ("pay", "refund")]
    team = team_create(actor=staff, name="Payments", slug="payments", first_day=timezone.localdate(),
                       lead_capacity_hours=40)
    sprint_generate(team=team, actor=staff)
    team_area_add(team=team, actor=staff, repository_id=repository.pk, path_prefix="app/")
    sprint_item_schedule(sprint=sprint_get(team=team, number=None), actor=staff, item_id=items[0].pk)
    event = refactorathon_create(actor=staff, name="Week", slug="week", start=timezone.localdate(),
                                 end=timezone.localdate() + timedelta(days=4), scope=[(repository.pk, ["app/"])])
    refactorathon_participant_add(event=event, actor=staff, user_id=staff.pk, hours=8)
    refactorathon_goal_add(event=event, actor=staff, kind=GoalKind.ITEMS_DONE_AT_LEAST, target=1)
    team_create(actor=staff, name="Doomed", slug="doomed", first_day=timezone.localdate())  # for DELETE
    refactorathon_create(actor=staff, name="Doomed", slug="doomed", start=timezone.localdate(),
                         end=timezone.localdate(), scope=[(repository.pk, [])])
    return api_token_create(user=staff, name="schemathesis").secret


def run_schemathesis(server_url: str, token: str, report_dir: Path, *paths: str) -> subprocess.CompletedProcess:
    """Schemathesis (all checks, bounded) against the live server; `paths` select the operations.

    The schema is the one /api/schema/ serves, written to a file here: generating it takes seconds, and on a
    busy machine schemathesis's own download of it timed out.
    """
    schema = report_dir / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", str(schema), "--url", server_url, "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", "1", "--no-color",
        "--header", f"Authorization: Bearer {token}", "--request-timeout", "20",
        "--max-time", str(TIME_LIMIT_SECONDS - 20), "--report-dir", str(report_dir),
        "--generation-database", "none", *paths,
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"}
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS, env=env,
                            cwd=report_dir)
    print(f"schemathesis ran {time.monotonic() - started:.0f} s")
    print(result.stdout)
    return result


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure(live_server, staff_token, tmp_path, settings):
    # Throttling is tested on its own (tests/api/test_auth.py); here it would only slow the run down.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    result = run_schemathesis(live_server.url, staff_token, tmp_path, "--exclude-path-regex", PLANNING_PATHS)
    assert result.returncode == 0, failure_summary(result.stdout) + result.stderr[-2000:]
    assert selected_operations(result.stdout) == schema_operations(tmp_path / "schema.json", planning=False)


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure_in_teams_sprints_and_refactorathons(live_server, planning_token, tmp_path,
                                                                           settings):
    """The planning operations in a run of their own (each run bounded in time), against a real team and event."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    result = run_schemathesis(live_server.url, planning_token, tmp_path, "--include-path-regex", PLANNING_PATHS)
    assert result.returncode == 0, failure_summary(result.stdout) + result.stderr[-2000:]
    assert selected_operations(result.stdout) == schema_operations(tmp_path / "schema.json", planning=True)


def selected_operations(output: str) -> int:
    """How many operations the run tested ("Operations: 43 selected / 94 total")."""
    found = re.search(r"Operations:\s+(\d+) selected", output)
    assert found, output[:2000]
    return int(found.group(1))


def schema_operations(schema: Path, *, planning: bool) -> int:
    """The schema's operations on the planning paths, or off them: the two runs together test every operation.

    A block of schemathesis.toml that switched operations off would make a run select fewer, and fail here.
    """
    paths = json.loads(schema.read_text())["paths"]
    methods = {"get", "put", "post", "patch", "delete"}
    return sum(1 for path, operations in paths.items() if bool(re.match(PLANNING_PATHS, path)) == planning
               for method in operations if method in methods)


def failure_summary(output: str) -> str:
    """Schemathesis's report without the reproduction commands and response bodies: what failed, where."""
    wanted = ("___", "- ", "[", "Expected", "Received", "Documented", "Hint", "`{")
    return "\n".join(line[:300] for line in output.splitlines() if line.strip().startswith(wanted))
