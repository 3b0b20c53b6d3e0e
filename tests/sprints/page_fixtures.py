"""Fixtures shared by the sprint API and page tests: lead Lena, repository shop, and her team three days into
sprint 1 with the area shop:app/payments/. Imported by name into those test modules."""
import pytest

from sprints.services.teams import team_area_add
from tests.debt.factories import make_repository
from tests.sprints.conftest import make_team, make_user


@pytest.fixture
def lead():
    return make_user("lena")


@pytest.fixture
def shop():
    return make_repository("shop")


@pytest.fixture
def team(lead, shop):
    team = make_team(lead, days_into_sprint=3)
    team_area_add(team=team, actor=lead, repository_id=shop.pk, path_prefix="app/payments/")
    return team
