"""Every page and form of the UI, for every role: the same rule as the API (metrics.selectors.access).

A repository the user may not read answers 404, a missing capability 403, and an anonymous visitor is sent to
the log-in page. A new URL without an entry in PAGES fails test_every_page_has_an_expectation.
"""
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from debt.data import LocationSpec
from debt.models import DebtItem
from debt.services.items import debt_item_create
from metrics.models import RepositoryMembership
from metrics.selectors.access import ROLE_CAPABILITIES
from frontend.urls import urlpatterns
from sprints.services.teams import team_create
from tests.frontend.factories import UserFactory, scanned_repository
from tests.frontend.test_team_page_permissions import TEAM_PAGES

# url name -> (method, what it needs: a capability on the repository, or "list": any signed-in user).
PAGES: dict[str, tuple[str, str]] = {
    "home": ("GET", "list"),
    "dashboard": ("GET", "read"),
    "hotspot-map": ("GET", "read"),
    "scan-now": ("POST", "scan"),
    "scan-cancel": ("POST", "scan"),
    "scan-status": ("GET", "read"),
    "hotspots": ("GET", "read"),
    "hotspots-csv": ("GET", "read"),
    "functions": ("GET", "read"),
    "functions-csv": ("GET", "read"),
    "file": ("GET", "read"),
    "file-source": ("GET", "read"),
    "folder-root": ("GET", "read"),
    "folder": ("GET", "read"),
    "function": ("GET", "read"),
    "coupling": ("GET", "read"),
    "repo-add": ("GET", "staff"),
    "checks": ("GET", "read"),
    "boy-scout": ("GET", "read"),
    "team-boy-scout": ("GET", "list"),  # a team's record holds only the repositories the user may read
    "repo-check-policy": ("POST", "manage"),
    "repo-rescan-schedule": ("POST", "manage"),
    "repo-webhook-secret": ("POST", "manage"),
    "repo-settings": ("POST", "manage"),
    "repo-delete": ("POST", "manage"),
    "repo-member-set": ("POST", "manage"),
    "repo-member-remove": ("POST", "manage"),
    "repo-debt": ("GET", "read"),
    "debt-import": ("GET", "import"),
    "debt-export": ("GET", "read"),
    "board": ("GET", "read"),
    "board-move": ("POST", "write_items"),
    "proposals": ("GET", "read"),
    "proposals-bulk": ("POST", "triage"),
    "proposal-decide": ("POST", "triage"),
    "debt": ("GET", "list"),
    "debt-new": ("POST", "write_items"),
    "debt-item": ("GET", "read"),
    "debt-edit": ("POST", "write_items"),
    "debt-move": ("POST", "write_items"),
    "debt-comment": ("POST", "write_items"),
    "debt-link": ("POST", "write_items"),
    "debt-unlink": ("POST", "write_items"),
    "debt-resolution": ("POST", "write_items"),
}
ROLES = ("anonymous", "none", "viewer", "member", "maintainer", "staff")
# Pages authorised by another rule than repository roles, with their own tests: teams and sprints by team
# membership (tests/frontend/test_sprint_pages.py), refactorathons and sprint filling by the event's rule
# (tests/frontend/test_refactorathon_pages.py, REFACTORATHON_PAGES).
OWN_RULES: frozenset[str] = frozenset(TEAM_PAGES) | {
    "sprint-fill", "refactorathons", "refactorathon", "refactorathon-edit", "refactorathon-delete",
    "refactorathon-event", "refactorathon-report", "refactorathon-plan-csv", "refactorathon-ics",
}


@dataclass
class World:
    item: Any
    location_id: int
    users: dict[str, Any]
    scan_id: int


@pytest.fixture
def world(db, settings) -> World:
    settings.DEBTBOARD_DEFAULT_ROLE = "none"
    repository = scanned_repository(name="shop").repository
    users = {role: UserFactory(username=role, is_staff=role == "staff") for role in ROLES[1:]}
    users["colleague"] = UserFactory(username="colleague")
    for role in ("viewer", "member", "maintainer"):
        RepositoryMembership.objects.create(repository=repository, user=users[role], role=role)
    RepositoryMembership.objects.create(repository=repository, user=users["colleague"], role="viewer")
    item = debt_item_create(repository=repository, title="Split the cart", status="proposed",
                            locations=[LocationSpec(path="src/shop/cart.py")])
    return World(item=item, location_id=item.locations.get().pk, users=users, scan_id=repository.current_scan_id)


def url_and_data(name: str, world: World) -> tuple[str, dict[str, Any]]:
    item = world.item.pk
    kwargs: dict[str, dict[str, Any]] = {
        "home": {}, "debt": {}, "debt-new": {},
        "file": {"name": "shop", "path": "src/shop/cart.py"},
        "file-source": {"name": "shop", "path": "src/shop/cart.py"},
        "folder": {"name": "shop", "path": "src/shop/"},
        "function": {"name": "shop", "spec": "src/shop/cart.py::Cart.add"},
        "repo-add": {},
        "repo-member-remove": {"name": "shop", "username": "colleague"},
        "debt-export": {"name": "shop", "format": "json"},
        "board-move": {"name": "shop", "item_id": item},
        "proposal-decide": {"name": "shop", "item_id": item, "decision": "dismiss"},
        "debt-unlink": {"item_id": item, "location_id": world.location_id},
        "scan-cancel": {"name": "shop", "scan_id": world.scan_id},
        "team-boy-scout": {"slug": "shop-team"},
    }
    if name == "team-boy-scout":
        team_create(actor=world.users["staff"], name="Shop team", slug="shop-team", first_day=date(2026, 1, 5))
    if name.startswith("debt-") and name not in kwargs and name not in ("debt-import",):
        kwargs[name] = {"item_id": item}
    data = {
        "repo-settings": {"default_revision": "HEAD"},
        "repo-delete": {"confirm": "shop"},
        "repo-rescan-schedule": {"rescan-kind": "nightly", "rescan-time": "02:30"},
        "repo-member-set": {"username": "colleague", "role": "member"},
        "board-move": {"to_status": "accepted", "expected_status": "proposed"},
        "proposals-bulk": {"ids": [item], "action": "dismiss"},
        "debt-new": {"repository": "shop", "title": "Retry payments", "kind": "code", "status": "accepted",
                     "impact": 3, "effort": 2},
        "debt-edit": {"title": "Split the cart in two", "kind": "code", "impact": 3, "effort": 2},
        "debt-move": {"to_status": "accepted", "expected_status": "proposed"},
        "debt-comment": {"body": "Agreed."},
        "debt-link": {"path": "src/"},
        "debt-resolution": {"decision": "reject"},
    }
    return reverse(f"frontend:{name}", kwargs=kwargs.get(name, {"name": "shop"})), data.get(name, {})


def expected(role: str, need: str) -> str:
    if role == "anonymous":
        return "login"
    if need == "list":
        return "allowed"
    if need == "staff":  # not a repository capability: staff only, whatever the memberships
        return "allowed" if role == "staff" else "forbidden"
    granted = ROLE_CAPABILITIES[role]
    if "read" not in granted:
        return "invisible"
    return "allowed" if need in granted else "forbidden"


def test_every_page_has_an_expectation():
    # Team, sprint and refactorathon pages follow the team rule: tests/frontend/test_team_page_permissions.py and
    # tests/frontend/test_refactorathon_pages.py check them.
    assert {pattern.name for pattern in urlpatterns} - OWN_RULES == set(PAGES)


# The status each outcome answers with (allowed: anything but 401/403/404 and below 500).
OUTCOME_STATUS = {"login": 302, "invisible": 404, "forbidden": 403}


def assert_outcome(response, outcome: str, *, name: str, detail: str) -> None:
    """The response is what the outcome (login, invisible, forbidden, allowed) means for a page."""
    if outcome == "invisible" and name == "debt-new":
        # No repository to choose from: sent home, nothing logged (the form cannot name an invisible one).
        assert response.status_code == 302 and not DebtItem.objects.filter(title="Retry payments").exists(), detail
    elif outcome in OUTCOME_STATUS:
        assert response.status_code == OUTCOME_STATUS[outcome], detail
        if outcome == "login":
            assert response["Location"].startswith("/accounts/login/"), detail
    else:
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, detail


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_answers_by_role(world, name, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    method, need = PAGES[name]
    url, data = url_and_data(name, world)
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert_outcome(response, expected(role, need), name=name, detail=f"{role} {method} {url}: {response.status_code}")


def test_home_and_register_hide_invisible_repositories(world):
    client = Client()
    client.force_login(world.users["none"])
    assert b"shop" not in client.get("/").content
    register = client.get("/debt/?status=all").content.decode()
    assert "Split the cart" not in register and 'value="shop"' not in register
    client.force_login(world.users["viewer"])
    assert "Split the cart" in client.get("/debt/?status=all").content.decode()


def test_actions_a_role_cannot_take_are_not_offered(world):
    client = Client()
    client.force_login(world.users["viewer"])
    item_page = client.get(f"/debt/{world.item.pk}/").content.decode()
    assert "/comment/" not in item_page and "/edit/" not in item_page
    assert "Accept selected" not in client.get("/repos/shop/proposals/").content.decode()
    assert "/settings/" not in client.get("/repos/shop/").content.decode()
    client.force_login(world.users["maintainer"])
    assert "Accept selected" in client.get("/repos/shop/proposals/").content.decode()
    settings_page = client.get("/repos/shop/settings/").content.decode()
    assert "colleague" in settings_page and "Add member" in settings_page


def test_maintainers_manage_members_on_the_settings_page(world):
    client = Client()
    client.force_login(world.users["maintainer"])
    client.post("/repos/shop/settings/members/", {"username": "none", "role": "member"})
    assert RepositoryMembership.objects.get(user=world.users["none"]).role == "member"
    client.post("/repos/shop/settings/members/none/remove/")
    assert not RepositoryMembership.objects.filter(user=world.users["none"]).exists()
