"""Budgets and spend: last-day spend, reopened items, unplanned spend, carry-over and its cap, points."""
from datetime import timedelta

import pytest

from debt.services.lifecycle import debt_item_transition
from metrics.data import repository_config_from_json
from metrics.errors import RepositoryInvalid
from sprints.errors import BudgetInvalid, CapacityInvalid
from sprints.models import Team
from sprints.selectors.history import team_history
from sprints.selectors.sprint_figures import sprint_figures
from sprints.selectors.teams import sprint_get
from sprints.services.budgets import team_budget_set
from sprints.services.cadence import sprint_update
from sprints.services.scheduling import sprint_item_schedule
from sprints.services.teams import team_area_add, team_member_add
from tests.debt.factories import make_repository
from tests.sprints.conftest import add_member, make_item, make_user, today

pytestmark = pytest.mark.django_db


def finish(item):
    debt_item_transition(item=item, to_status="in_progress")
    debt_item_transition(item=item, to_status="done")


def test_share_budget_is_the_share_of_the_members_capacity(team, lead):
    add_member(team, lead, "omar", capacity=60)
    team_budget_set(team=team, actor=lead, mode="share", share_percent=20)
    figures = sprint_figures(slug=team.slug, user=lead)
    assert figures.sprint.number == 1 and figures.sprint.end == today()
    assert (figures.budget.capacity_hours, figures.budget.total_hours) == (100.0, 20.0)


def test_an_item_finished_on_the_sprints_last_day_counts_and_a_reopened_one_gives_its_spend_back(
        team, lead, repository):
    sprint = sprint_get(team=team)
    kept, reopened = make_item(repository, effort=3), make_item(repository, effort=5)
    for item in (kept, reopened):
        sprint_item_schedule(sprint=sprint, item_id=item.pk, actor=lead)
        item.refresh_from_db()
        finish(item)
    debt_item_transition(item=reopened, to_status="in_progress")  # reopened: done -> in progress

    figures = sprint_figures(slug=team.slug, user=lead)
    assert figures.sprint.end == today()  # finished on the last day of the sprint
    assert figures.done_hours == 3.0 and figures.spent_hours == 3.0
    assert figures.committed_hours == 5.0  # the reopened item is committed again
    assert [line.item_id for line in figures.items if line.done_at] == [kept.pk]


def test_items_finished_in_the_teams_areas_without_a_plan_count_as_unplanned_spend(team, lead, repository):
    inside = make_item(repository, effort=2, path="app/payments/refund.py")
    outside = make_item(repository, effort=7, path="app/search/index.py")
    finish(inside)
    finish(outside)
    figures = sprint_figures(slug=team.slug, user=lead)
    assert (figures.done_hours, figures.unplanned_hours, figures.spent_hours) == (0.0, 2.0, 2.0)
    assert [(line.item_id, line.planned) for line in figures.unplanned_items] == [(inside.pk, False)]


def test_carry_over_adds_what_the_previous_sprint_left_up_to_the_cap(team, lead, repository):
    team_budget_set(team=team, actor=lead, mode="fixed", fixed_hours=10, carry_over=True, carry_cap_hours=4)
    item = make_item(repository, effort=8)
    sprint_item_schedule(sprint=sprint_get(team=team), item_id=item.pk, actor=lead)
    item.refresh_from_db()
    finish(item)
    # Sprint 1 leaves 10 - 8 = 2 h: carried whole (below the 4 h cap).
    assert sprint_figures(slug=team.slug, user=lead, number=2).budget.carry_in_hours == 2.0
    debt_item_transition(item=item, to_status="in_progress")  # reopened: sprint 1 now leaves 10 h, capped at 4
    budget = sprint_figures(slug=team.slug, user=lead, number=2).budget
    assert (budget.base_hours, budget.carry_in_hours, budget.total_hours) == (10.0, 4.0, 14.0)
    team_budget_set(team=team, actor=lead, carry_over=False)
    assert sprint_figures(slug=team.slug, user=lead, number=2).budget.carry_in_hours == 0.0


def test_a_skipped_sprint_has_no_budget_and_carry_over_passes_it_by(team, lead):
    team_budget_set(team=team, actor=lead, mode="fixed", fixed_hours=10, carry_over=True, carry_cap_hours=50)
    sprint_update(sprint=sprint_get(team=team, number=2), actor=lead, skipped=True)
    assert sprint_figures(slug=team.slug, user=lead, number=2).budget.total_hours == 0.0
    assert sprint_figures(slug=team.slug, user=lead, number=3).budget.carry_in_hours == 10.0


def test_a_shortened_sprint_has_a_pro_rated_capacity_and_budget(team, lead):
    team_budget_set(team=team, actor=lead, mode="share", share_percent=50)
    sprint = sprint_get(team=team, number=2)
    sprint_update(sprint=sprint, actor=lead, end=sprint.start + timedelta(days=6), name="Holidays")
    budget = sprint_figures(slug=team.slug, user=lead, number=2).budget
    assert (budget.capacity_hours, budget.total_hours) == (20.0, 10.0)


def test_points_are_converted_with_the_repositorys_factor(team, lead):
    pointed = make_repository("app", effort_unit="points", config={"points_to_hours": 3})
    team_area_add(team=team, actor=lead, repository_id=pointed.pk)
    item = make_item(pointed, effort=2, path="api/views.py")
    sprint_item_schedule(sprint=sprint_get(team=team), item_id=item.pk, actor=lead)
    figures = sprint_figures(slug=team.slug, user=lead)
    line = figures.items[0]
    assert (line.effort, line.effort_unit, line.hours_per_unit, line.hours) == (2.0, "points", 3.0, 6.0)
    assert figures.committed_hours == 6.0
    assert [(c.repository_name, c.hours_per_unit) for c in figures.conversions] == [("app", 3.0)]


def test_points_to_hours_must_be_positive():
    assert repository_config_from_json({}).points_to_hours == 4.0
    for bad in (0, -1, "4", float("nan"), 5000):
        with pytest.raises(RepositoryInvalid) as caught:
            repository_config_from_json({"points_to_hours": bad})
        assert caught.value.extra["key"] == "points_to_hours"


@pytest.mark.parametrize("hours", [-1, 200.5, float("inf"), "lots", True])
def test_capacity_outside_0_to_200_hours_is_refused_and_nothing_changes(team, lead, hours):
    user = make_user("ivan")
    with pytest.raises(CapacityInvalid) as caught:
        team_member_add(team=team, actor=lead, user_id=user.pk, capacity_hours=hours)
    assert caught.value.code == "team.capacity_invalid"
    assert not team.members.filter(user=user).exists()


@pytest.mark.parametrize("share", [-0.1, 100.1, float("nan")])
def test_a_share_outside_0_to_100_percent_is_refused_and_the_budget_is_kept(team, lead, share):
    team_budget_set(team=team, actor=lead, mode="share", share_percent=25)
    with pytest.raises(BudgetInvalid) as caught:
        team_budget_set(team=team, actor=lead, share_percent=share)
    assert caught.value.code == "team.budget_invalid"
    assert Team.objects.get(pk=team.pk).share_percent == 25


def test_history_shows_allocated_spent_committed_and_the_capacity_share(team, lead, repository):
    team_budget_set(team=team, actor=lead, mode="share", share_percent=20)
    item = make_item(repository, effort=4)
    sprint_item_schedule(sprint=sprint_get(team=team), item_id=item.pk, actor=lead)
    item.refresh_from_db()
    finish(item)
    history = team_history(slug=team.slug, user=lead)
    assert len(history.rows) == 1
    row = history.rows[0]
    assert (row.allocated_hours, row.spent_hours, row.committed_hours, row.capacity_share_spent) == (
        8.0, 4.0, 4.0, 10.0)
