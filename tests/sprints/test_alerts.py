"""The alert run: each alert fires once, at the right moment (time from an injected clock), by e-mail."""
from datetime import timedelta

import pytest

from sprints.choices import AlertKind
from sprints.ledger import day_start
from sprints.models import Sprint, SprintAlert, SprintItem, SprintSnapshot
from sprints.selectors.alerts import alert_banners
from sprints.selectors.teams import sprint_get
from sprints.services.alerts import sprint_alerts_run
from sprints.services.budgets import team_budget_set
from sprints.services.scheduling import sprint_item_schedule
from sprints.services.teams import team_area_add
from tests.sprints.conftest import make_item, make_team, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly(lead, repository):
    """1-week sprints, a fixed 10 h budget; sprint 1 runs from six days ago to today."""
    team = make_team(lead, days_into_sprint=6, length_weeks=1)
    team_area_add(team=team, actor=lead, repository_id=repository.pk, path_prefix="app/payments/")
    team_budget_set(team=team, actor=lead, mode="fixed", fixed_hours=10)
    return team


def kinds(result):
    return [(alert.sprint_number, alert.kind) for alert in result.sent]


def test_nothing_done_halfway_fires_once_after_half_the_sprint(weekly, mailoutbox):
    start = day_start(today() - timedelta(days=6))
    assert kinds(sprint_alerts_run(now=start + timedelta(days=3))) == []  # 3 of 7 days gone
    assert kinds(sprint_alerts_run(now=start + timedelta(days=3, hours=12))) == [(1, AlertKind.NOTHING_DONE_HALFWAY)]
    assert kinds(sprint_alerts_run(now=start + timedelta(days=4))) == []  # sent once
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lena@example.com"]
    assert "none of its 10 h debt budget is spent" in mailoutbox[0].body
    assert [b.kind for b in alert_banners(slug=weekly.slug, user=None)] == [AlertKind.NOTHING_DONE_HALFWAY]


def test_over_commitment_beyond_the_tolerance_fires_once(weekly, lead, repository, mailoutbox):
    sprint = sprint_get(team=weekly)
    sprint_item_schedule(sprint=sprint, item_id=make_item(repository, effort=11).pk, actor=lead)
    assert AlertKind.OVERCOMMITTED not in [k for _, k in kinds(sprint_alerts_run())]  # 11 h is within 10 % of 10 h
    sprint_item_schedule(sprint=sprint, item_id=make_item(repository, effort=1).pk, actor=lead)
    assert (1, AlertKind.OVERCOMMITTED) in kinds(sprint_alerts_run())
    assert (1, AlertKind.OVERCOMMITTED) not in kinds(sprint_alerts_run())
    assert SprintAlert.objects.filter(kind=AlertKind.OVERCOMMITTED).count() == 1
    assert "12 h committed or spent against a debt budget of 10 h" in SprintAlert.objects.get(
        kind=AlertKind.OVERCOMMITTED).message


def test_a_sprint_closed_under_spent_fires_once_and_is_closed_with_a_snapshot(weekly, lead, repository, mailoutbox):
    item = make_item(repository, effort=2)
    sprint_item_schedule(sprint=sprint_get(team=weekly), item_id=item.pk, actor=lead)
    after_end = day_start(today() + timedelta(days=1)) + timedelta(hours=1)
    result = sprint_alerts_run(now=after_end)
    assert result.closed == ((weekly.slug, 1),)
    assert kinds(result) == [(1, AlertKind.UNDERSPENT)]
    assert "the budget was eaten by feature work" in mailoutbox[-1].body
    sprint = Sprint.objects.get(team=weekly, number=1)
    assert sprint.closed_at == after_end and SprintSnapshot.objects.get(sprint=sprint).final
    assert SprintSnapshot.objects.get(sprint=sprint).open_principal_hours == 2.0
    assert not SprintItem.objects.filter(open=True).exists()  # the item may go into sprint 2 now
    again = sprint_alerts_run(now=after_end + timedelta(hours=1))
    assert (again.closed, again.sent) == ((), ())


def test_three_under_spent_sprints_in_a_row_fire_the_streak_alert_once(lead, repository, mailoutbox):
    team = make_team(lead, days_into_sprint=20, length_weeks=1)  # sprints 1 and 2 ended, 3 ends today
    team_budget_set(team=team, actor=lead, mode="fixed", fixed_hours=10)
    first = sprint_alerts_run()
    assert first.closed == ((team.slug, 1), (team.slug, 2))
    assert (2, AlertKind.UNDERSPENT) in kinds(first) and AlertKind.UNDERSPENT_STREAK not in dict(kinds(first)).values()
    after = sprint_alerts_run(now=day_start(today() + timedelta(days=1)))
    assert kinds(after) == [(3, AlertKind.UNDERSPENT), (3, AlertKind.UNDERSPENT_STREAK)]
    assert kinds(sprint_alerts_run(now=day_start(today() + timedelta(days=1)) + timedelta(hours=2))) == []
    assert "3 sprints in a row (Sprint 1, Sprint 2, Sprint 3)" in SprintAlert.objects.get(
        kind=AlertKind.UNDERSPENT_STREAK).message
