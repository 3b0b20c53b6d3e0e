"""Scheduling items into sprints: status follows, refusals, conflicts, warnings, burn-down, permissions."""
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from debt.models import DebtItem
from debt.selectors.items import debt_item_timeline
from debt.services.lifecycle import debt_item_transition
from sprints.errors import (
    NotSchedulable,
    SprintItemConflict,
    SprintOverlap,
    TeamForbidden,
    TeamNotFound,
)
from sprints.models import Sprint, SprintItem
from sprints.selectors.history import team_history
from sprints.selectors.sprint_figures import sprint_figures
from sprints.selectors.teams import sprint_get, team_detail, team_list
from sprints.services.budgets import team_budget_set
from sprints.services.cadence import sprint_create
from sprints.services.scheduling import sprint_item_schedule, sprint_item_unschedule
from sprints.services.teams import team_area_add, team_member_add, team_update
from tests.debt.factories import make_repository
from tests.sprints.conftest import add_member, make_item, make_team, make_user

pytestmark = pytest.mark.django_db


def test_scheduling_plans_an_accepted_item_and_unscheduling_puts_it_back(team, lead, repository):
    item = make_item(repository)
    sprint = sprint_get(team=team)
    result = sprint_item_schedule(sprint=sprint, item_id=item.pk, actor=lead)
    assert (result.status, result.warnings, result.committed_hours) == ("planned", (), 2.0)
    assert DebtItem.objects.get(pk=item.pk).status == "planned"
    assert item.transitions.get().note == "scheduled into Payments Sprint 1"
    sprint_item_unschedule(sprint=sprint, item_id=item.pk, actor=lead)
    assert DebtItem.objects.get(pk=item.pk).status == "accepted"
    assert not SprintItem.objects.exists()


@pytest.mark.parametrize("status", ["done", "wont_fix", "proposed"])
def test_done_wont_fix_and_proposed_items_are_refused(team, lead, repository, status):
    item = make_item(repository, status="proposed")
    if status != "proposed":
        debt_item_transition(item=item, to_status=status)
    with pytest.raises(NotSchedulable) as caught:
        sprint_item_schedule(sprint=sprint_get(team=team), item_id=item.pk, actor=lead)
    assert caught.value.code == "sprint_item.not_schedulable"
    assert DebtItem.objects.get(pk=item.pk).status == status and not SprintItem.objects.exists()


def test_the_same_item_scheduled_twice_is_a_conflict_and_the_first_stays(team, lead, repository):
    member = add_member(team, lead, "omar")
    item = make_item(repository)
    sprint_item_schedule(sprint=sprint_get(team=team), item_id=item.pk, actor=lead)
    with pytest.raises(SprintItemConflict) as caught:  # the unique constraint decides
        sprint_item_schedule(sprint=sprint_get(team=team, number=2), item_id=item.pk, actor=member)
    assert caught.value.code == "sprint_item.conflict" and caught.value.extra["sprint"] == 1
    assert list(SprintItem.objects.values_list("sprint__number", "item_id")) == [(1, item.pk)]
    assert item.transitions.count() == 1


def test_the_database_keeps_an_item_in_one_open_sprint(team, lead, repository):
    item = make_item(repository)
    now = timezone.now()
    SprintItem.objects.create(sprint=sprint_get(team=team), item=item, scheduled_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        SprintItem.objects.create(sprint=sprint_get(team=team, number=2), item=item, scheduled_at=now)


@pytest.mark.django_db(transaction=True)
def test_two_people_scheduling_the_same_item_at_once_end_in_one_success_and_one_conflict():
    """Real concurrent transactions (PostgreSQL); SQLite serialises writers and is covered above."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the unique-constraint test covers the same path there")
    lead = make_user("lena")
    team = make_team(lead)
    item = make_item(make_repository("shop"))
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def schedule(number: int) -> None:
        try:
            sprint = Sprint.objects.get(team=team, number=number)
            barrier.wait(timeout=10)
            sprint_item_schedule(sprint=sprint, item_id=item.pk, actor=lead)
            outcomes[number] = "scheduled"
        except SprintItemConflict:
            outcomes[number] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=schedule, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "scheduled"]
    assert SprintItem.objects.filter(item=item).count() == 1
    assert DebtItem.objects.get(pk=item.pk).transitions.count() == 1


def test_an_item_outside_the_teams_areas_is_scheduled_with_a_warning(team, lead, repository):
    elsewhere = make_item(make_repository("other"), path="lib/x.py")
    result = sprint_item_schedule(sprint=sprint_get(team=team), item_id=elsewhere.pk, actor=lead)
    assert result.warnings == ("item.outside_areas",)
    assert SprintItem.objects.filter(item=elsewhere).exists()


def test_over_committing_is_allowed_but_flagged(team, lead, repository):
    team_budget_set(team=team, actor=lead, mode="fixed", fixed_hours=3)
    sprint = sprint_get(team=team)
    assert sprint_item_schedule(sprint=sprint, item_id=make_item(repository).pk, actor=lead).warnings == ()
    result = sprint_item_schedule(sprint=sprint, item_id=make_item(repository).pk, actor=lead)
    assert result.warnings == ("sprint.over_committed",) and (result.committed_hours, result.budget_hours) == (4, 3)
    figures = sprint_figures(slug=team.slug, user=lead)
    assert figures.over_committed and figures.left_hours == -1.0


def test_the_burn_down_falls_when_an_item_is_finished(team, lead, repository):
    sprint = sprint_get(team=team)
    first, second = make_item(repository, effort=3, owner=lead), make_item(repository, effort=5)
    for item in (first, second):
        sprint_item_schedule(sprint=sprint, item_id=item.pk, actor=lead)
    first.refresh_from_db()
    debt_item_transition(item=first, to_status="done")
    figures = sprint_figures(slug=team.slug, user=lead)
    points = figures.burndown
    assert len(points) == sprint.days + 1
    assert (points[0].ideal_hours, points[-1].ideal_hours) == (8.0, 0.0)
    assert points[0].remaining_hours == 0.0  # nothing was scheduled when the sprint began
    assert points[-1].remaining_hours == 5.0  # today, the last day: 8 h scheduled, 3 h done
    assert {row.key: (row.committed_hours, row.spent_hours) for row in figures.by_member} == {
        "lena": (0.0, 3.0), "(unassigned)": (5.0, 0.0)}
    assert [(row.key, row.committed_hours, row.spent_hours) for row in figures.by_area] == [
        ("shop:app/payments/", 5.0, 3.0)]


def test_a_non_member_cannot_change_or_schedule_into_a_team(team, lead, repository):
    stranger = make_user("sam")
    with pytest.raises(TeamForbidden) as caught:
        team_update(team=team, actor=stranger, name="Mine now")
    assert caught.value.code == "team.forbidden"
    with pytest.raises(TeamForbidden):
        team_member_add(team=team, actor=stranger, user_id=stranger.pk, capacity_hours=10)
    with pytest.raises(TeamForbidden):
        sprint_item_schedule(sprint=sprint_get(team=team), item_id=make_item(repository).pk, actor=stranger)
    member = add_member(team, lead, "omar")
    with pytest.raises(TeamForbidden):  # members schedule, leads change settings
        team_budget_set(team=team, actor=member, share_percent=50)
    staff = make_user("root", staff=True)
    team_update(team=team, actor=staff, name="Payments & Billing")
    assert team_detail(slug=team.slug, user=member).name == "Payments & Billing"


def test_a_member_of_team_a_cannot_see_private_team_bs_budget(team, lead):
    other_lead = make_user("bea")
    private = make_team(other_lead, name="Billing", private=True)
    for read in (sprint_figures, team_history, team_detail):
        with pytest.raises(TeamNotFound) as caught:
            read(slug=private.slug, user=lead)
        assert caught.value.code == "team.not_found"
    assert [t.slug for t in team_list(user=lead)] == ["payments"]
    assert sprint_figures(slug=private.slug, user=other_lead).sprint.number == 1
    assert sorted(t.slug for t in team_list(user=make_user("root", staff=True))) == ["billing", "payments"]


def test_overlapping_sprints_are_refused_and_nothing_is_created(team, lead):
    existing = sprint_get(team=team, number=2)
    count = Sprint.objects.filter(team=team).count()
    with pytest.raises(SprintOverlap) as caught:
        sprint_create(team=team, actor=lead, start=existing.end, end=existing.end)
    assert caught.value.code == "sprint.overlap" and caught.value.extra["sprint"] == 2
    assert Sprint.objects.filter(team=team).count() == count


def test_a_private_teams_name_never_reaches_the_items_history(lead, repository):
    team = make_team(lead, name="Skunkworks", private=True)
    team_area_add(team=team, actor=lead, repository_id=repository.pk, path_prefix="app/payments/")
    item = make_item(repository)
    sprint = team.sprints.order_by("number").first()
    sprint_item_schedule(sprint=sprint, item_id=item.pk, actor=lead)
    sprint_item_unschedule(sprint=sprint, item_id=item.pk, actor=lead)
    notes = " ".join(entry.note for entry in debt_item_timeline(item=item))
    assert "Skunkworks" not in notes
    assert "a private team's sprint" in notes
