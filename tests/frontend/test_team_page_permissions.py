"""Every team and sprint page of the UI, for every kind of user, on a public and a private team.

The same rule as the API (tests/api/test_team_permissions_matrix.py, sprints/access.py): a private team is 404
to outsiders, members and staff schedule, leads and staff change the team, and an anonymous visitor is sent
to the log-in page. A new team page without an entry here fails test_every_page_has_an_expectation in
tests/frontend/test_permissions.py.
"""
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.test_team_permissions_matrix import USERS, expected, world

# url name -> (method, what it needs: signed_in, view, schedule or change).
TEAM_PAGES: dict[str, tuple[str, str]] = {
    "teams": ("GET", "signed_in"),
    "schedule": ("GET", "signed_in"),
    "team": ("GET", "view"),
    "sprint-current": ("GET", "view"),
    "sprint": ("GET", "view"),
    "team-edit": ("POST", "change"),
    "team-member": ("POST", "change"),
    "team-delete": ("POST", "change"),
    "sprint-edit": ("POST", "change"),
    "sprint-unschedule": ("POST", "schedule"),
}
OUTCOME_STATUS = {"unauthenticated": 302, "invisible": 404, "forbidden": 403}


def url_and_data(name: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    slug, number = data["team"].slug, data["sprint"].number
    kwargs = {
        "teams": {}, "schedule": {}, "team": {"slug": slug}, "sprint-current": {"slug": slug},
        "sprint": {"slug": slug, "number": number}, "team-edit": {"slug": slug, "what": "settings"},
        "team-member": {"slug": slug, "user_id": data["colleague"].pk}, "team-delete": {"slug": slug},
        "sprint-edit": {"slug": slug, "number": number},
        "sprint-unschedule": {"slug": slug, "number": number, "item_id": data["scheduled"].pk},
    }[name]
    posted = {
        "team-edit": {"name": "Payments team"},
        "team-member": {f"m{data['colleague'].pk}-capacity_hours": "20"},
        "team-delete": {"confirm": data["team"].slug},
        "sprint-edit": {"name": "Sprint one"},
    }.get(name, {})
    query = f"?item={data['free'].pk}" if name == "schedule" else ""
    return reverse(f"frontend:{name}", kwargs=kwargs) + query, posted


@pytest.mark.django_db
@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("name", sorted(TEAM_PAGES))
def test_team_page_answers_by_user(name, user, private):
    data = world(private=private)
    client = Client()
    if user != "anonymous":
        client.force_login(data["users"][user])
    method, need = TEAM_PAGES[name]
    url, posted = url_and_data(name, data)
    response = client.post(url, posted) if method == "POST" else client.get(url)
    outcome = expected(user, need, private=private)
    detail = f"{user} {method} {url}: {response.status_code}"
    if outcome in OUTCOME_STATUS:
        assert response.status_code == OUTCOME_STATUS[outcome], detail
        if outcome == "unauthenticated":
            assert response["Location"].startswith("/accounts/login/"), detail
    else:
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, detail
