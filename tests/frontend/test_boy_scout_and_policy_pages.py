"""The Boy Scout pages (repository and team) and the settings page's change-check policy section."""
from datetime import date

import pytest

from metrics.models import ChangeCheck, Repository
from metrics.data import ChangedFileFigures, ChangeSubmission
from metrics.services.gate import change_check_create
from sprints.services.teams import team_area_add, team_create
from tests.frontend.factories import UserFactory, scanned_repository

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(git_repo, settings):
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"
    git_repo.write(".mailmap", "Ada Lovelace <ada@example.com> <ada@laptop.local>\n")
    git_repo.commit("start", files={"a.py": "x = 1\n"})
    repository = scanned_repository(name="shop").repository
    Repository.objects.filter(pk=repository.pk).update(path=str(git_repo.path))
    repository.refresh_from_db()
    for revision, email, violations in (("1" * 40, "ada@laptop.local", 0), ("2" * 40, "bob@example.com", 5)):
        change_check_create(repository=repository, submission=ChangeSubmission(
            revision=revision, author_name="someone", author_email=email,
            files=(ChangedFileFigures(path="src/shop/cart.py", loc=120, total_complexity=14,
                                      violation_count=violations, marker_count=1, mi=55.0,
                                      functions=(("total", 9), ("Cart.add", 5))),)))
    return repository


@pytest.fixture
def ada(client):
    user = UserFactory(username="ada", email="ada@example.com")
    client.force_login(user)
    return user


def test_repository_page_shows_the_leaderboard_and_the_trend(client, ada, shop, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/repos/shop/boy-scout/?days=30")
    assert response.status_code == 200
    record = response.context["record"]
    assert [(a.name, a.username, a.tally.cleaner, a.tally.worse) for a in record.authors] == [
        ("Ada Lovelace", "ada", 1, 0), ("someone", "", 0, 1)]
    assert record.total.violations_fixed == 2 - 3  # Ada fixed two, the other change added three
    body = response.content.decode()
    assert 'data-chart="trend"' in body and "Who left the code cleaner" in body


def test_team_page_covers_the_repositories_of_its_areas(client, ada, shop):
    team = team_create(actor=ada, name="Shop team", first_day=date(2026, 1, 5))
    team_area_add(team=team, actor=ada, repository_id=shop.pk)
    response = client.get(f"/teams/{team.slug}/boy-scout/?days=365")
    assert response.status_code == 200
    assert response.context["record"].repositories == ("shop",)
    assert response.context["record"].total.checks == ChangeCheck.objects.count() == 2
    assert client.get("/teams/nobody/boy-scout/").status_code == 404
    # The API answers the same figures for the team (the repositories of its areas, authors merged by mailmap).
    api = client.get(f"/api/v1/teams/{team.slug}/boy-scout/?days=365").json()
    assert api["repositories"] == ["shop"]
    assert api["total"]["checks"] == 2
    assert [(a["name"], a["username"], a["tally"]["cleaner"], a["tally"]["worse"]) for a in api["authors"]] == [
        ("Ada Lovelace", "ada", 1, 0), ("someone", "", 0, 1)]
    assert client.get("/api/v1/teams/nobody/boy-scout/").status_code == 404
    assert client.get(f"/api/v1/teams/{team.slug}/boy-scout/?days=7").status_code == 400


def test_settings_page_edits_the_change_check_policy(client, ada, shop):
    page = client.get("/repos/shop/settings/")
    assert "Change-check policy" in page.content.decode()
    data = {"policy-violations_tolerance": "1", "policy-markers_tolerance": "0", "policy-mi_tolerance": "2.5",
            "policy-hotspot_must_improve": "on", "policy-hotspot_top_n": "3", "policy-new_file_max_violations": "0",
            "policy-new_file_max_markers": "0", "policy-complexity_tolerance": ""}
    response = client.post("/repos/shop/settings/check-policy/", data)
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.check_policy["hotspot_must_improve"] is True and shop.check_policy["hotspot_top_n"] == 3
    assert shop.check_policy["complexity_tolerance"] is None and shop.check_policy["new_markers_fail"] is False
    client.post("/repos/shop/settings/check-policy/", {**data, "policy-hotspot_top_n": "-4"})
    shop.refresh_from_db()
    assert shop.check_policy["hotspot_top_n"] == 3
