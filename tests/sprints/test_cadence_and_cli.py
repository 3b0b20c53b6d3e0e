"""Sprint generation and editing, and the `sprint` command (status, alerts, generate)."""
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from debt.services.lifecycle import debt_item_transition
from sprints.errors import CadenceInvalid, SprintInvalid, SprintOverlap
from sprints.models import Sprint
from sprints.selectors.teams import sprint_get
from sprints.services.budgets import team_budget_set
from sprints.services.cadence import sprint_generate, sprint_update, team_cadence_set
from sprints.services.scheduling import sprint_item_schedule
from tests.sprints.conftest import make_item, make_team, today

pytestmark = pytest.mark.django_db


def test_generation_reaches_the_sprints_ahead_and_is_idempotent(lead):
    team = make_team(lead, days_into_sprint=30, generate=False)  # sprint 3 holds today
    result = sprint_generate(team=team, actor=lead)
    assert result.created == (1, 2, 3, 4, 5, 6) and result.current == 3
    assert sprint_generate(team=team, actor=lead).created == ()
    starts = list(Sprint.objects.filter(team=team).values_list("start", flat=True))
    assert all((b - a).days == 14 for a, b in zip(starts, starts[1:]))


def test_a_shortened_sprint_keeps_the_cadence_and_a_longer_one_may_not_overlap(team, lead):
    sprint = sprint_get(team=team, number=2)
    following = sprint_get(team=team, number=3)
    sprint_update(sprint=sprint, actor=lead, end=sprint.start + timedelta(days=4))
    assert sprint_get(team=team, number=3).start == following.start
    with pytest.raises(SprintOverlap):
        sprint_update(sprint=sprint, actor=lead, end=following.start)
    with pytest.raises(SprintInvalid):
        sprint_update(sprint=sprint, actor=lead, end=sprint.start - timedelta(days=1))
    assert Sprint.objects.get(pk=sprint.pk).end == sprint.start + timedelta(days=4)


def test_the_first_day_cannot_move_once_sprints_exist(team, lead):
    with pytest.raises(CadenceInvalid) as caught:
        team_cadence_set(team=team, actor=lead, first_day=today())
    assert caught.value.code == "team.cadence_invalid"
    with pytest.raises(CadenceInvalid):
        team_cadence_set(team=team, actor=lead, length_weeks=5)


def test_sprint_status_prints_budget_committed_done_and_the_burn_down(team, lead, repository):
    team_budget_set(team=team, actor=lead, mode="fixed", fixed_hours=10)
    item = make_item(repository, effort=4)
    sprint_item_schedule(sprint=sprint_get(team=team), item_id=item.pk, actor=lead)
    item.refresh_from_db()
    debt_item_transition(item=item, to_status="done")
    out = StringIO()
    call_command("sprint", "status", team.slug, stdout=out)
    text = out.getvalue()
    assert "Payments — Sprint 1" in text and "budget         10.00 h" in text and "done            4.00 h" in text
    assert f"{today():%Y-%m-%d}     0.00        0.00" in text
    out = StringIO()
    call_command("sprint", "status", team.slug, "--sprint", "1", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["budget"]["total_hours"], data["done_hours"], len(data["burndown"])) == (10.0, 4.0, 15)


def test_sprint_alerts_and_generate_commands(team, lead):
    out = StringIO()
    call_command("sprint", "generate", team.slug, stdout=out)
    assert "created sprints: none; current sprint: 1" in out.getvalue()
    out = StringIO()
    call_command("sprint", "alerts", "--now", (today() + timedelta(days=1)).isoformat() + "T01:00", stdout=out)
    assert f"closed {team.slug} sprint 1" in out.getvalue()
    assert "underspent sent to 1" in out.getvalue()
    with pytest.raises(CommandError, match="No team 'nope'"):
        call_command("sprint", "status", "nope")
    with pytest.raises(CommandError, match="--sprint is 'current' or a sprint number"):
        call_command("sprint", "status", team.slug, "--sprint", "last")
