"""Builders for sprints tests: users, repositories, teams whose current sprint holds today, items."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from debt.data import LocationSpec
from debt.services.items import debt_item_create
from sprints.services.cadence import sprint_generate
from sprints.services.teams import team_area_add, team_create, team_member_add
from tests.debt.factories import make_repository


def today():
    return timezone.localdate()


def make_user(username: str, *, staff: bool = False):
    return get_user_model().objects.create_user(username=username, email=f"{username}@example.com",
                                                password=None, is_staff=staff)


def make_team(lead, *, name: str = "Payments", days_into_sprint: int = 13, length_weeks: int = 2,
              capacity: float = 40, private: bool = False, generate: bool = True):
    """A team whose sprint 1 began `days_into_sprint` days ago (13 in 2 weeks: today is its last day)."""
    team = team_create(actor=lead, name=name, first_day=today() - timedelta(days=days_into_sprint),
                       length_weeks=length_weeks, lead_capacity_hours=capacity, is_private=private)
    if generate:
        sprint_generate(team=team, actor=lead)
    return team


def make_item(repository, *, effort=2, path: str = "app/payments/pay.py", status: str = "accepted", owner=None,
              title: str = "Untangle"):
    return debt_item_create(repository=repository, title=title, effort=Decimal(str(effort)), status=status,
                            owner=owner, locations=[LocationSpec(path=path)] if path else [])


@pytest.fixture
def lead(db):
    return make_user("lena")


@pytest.fixture
def repository(db):
    return make_repository("shop")


@pytest.fixture
def team(lead, repository):
    """Payments: lead Lena (40 h), area shop:app/payments/, 2-week sprints, today the last day of sprint 1."""
    team = make_team(lead)
    team_area_add(team=team, actor=lead, repository_id=repository.pk, path_prefix="app/payments/")
    return team


def add_member(team, lead, username: str, capacity: float = 40):
    user = make_user(username)
    team_member_add(team=team, actor=lead, user_id=user.pk, capacity_hours=capacity)
    return user
