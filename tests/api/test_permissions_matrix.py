"""Every operation of the OpenAPI schema, for every role: allowed, forbidden (403), invisible (404) or unauthenticated.

One table (OPERATIONS) says what each operation needs; the expectation for a role follows from the same
capability table the code uses (metrics.selectors.access.ROLE_CAPABILITIES). A new endpoint without an entry
fails test_every_schema_operation_has_an_expectation.
"""
import functools
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from api.tokens import api_token_create
from debt.data import LocationSpec
from debt.models import DebtItem
from debt.services.items import debt_item_create
from metrics.models import Repository, RepositoryMembership
from metrics.selectors.access import ROLE_CAPABILITIES
from tests.frontend.factories import UserFactory, scanned_repository

# What each operation needs: a capability of metrics.selectors.access on the repository it touches, or
# "list" (any signed-in user; the answer holds only visible repositories), "register" (staff only),
# "bulk" (triage on the items' repositories; items of invisible repositories are skipped as if absent).
OPERATIONS: dict[str, str] = {
    "v1_debt_items_list": "list",
    "v1_debt_items_create": "write_items",
    "v1_debt_items_retrieve": "read",
    "v1_debt_items_partial_update": "write_items",
    "v1_debt_items_destroy": "manage",
    "v1_debt_items_accept_create": "triage",
    "v1_debt_items_activity_list": "read",
    "v1_debt_items_comments_list": "read",
    "v1_debt_items_comments_create": "write_items",
    "v1_debt_items_dismiss_create": "triage",
    "v1_debt_items_links_create": "write_items",
    "v1_debt_items_links_destroy": "write_items",
    "v1_debt_items_resolution_confirm_create": "write_items",
    "v1_debt_items_resolution_reject_create": "write_items",
    "v1_debt_items_transition_create": "write_items",
    "v1_debt_items_export_retrieve": "read",
    "v1_debt_items_import_create": "import",
    "v1_debt_items_proposals_list": "list",
    "v1_debt_items_proposals_bulk_create": "bulk",
    "v1_repositories_list": "list",
    "v1_repositories_create": "register",
    "v1_repositories_retrieve": "read",
    "v1_repositories_change_checks_list": "read",
    "v1_repositories_change_checks_create": "post_checks",
    "v1_repositories_check_policy_retrieve": "read",
    "v1_repositories_check_policy_update": "manage",
    "v1_repositories_boy_scout_retrieve": "read",
    "v1_repositories_rescan_schedule_retrieve": "read",
    "v1_repositories_rescan_schedule_update": "manage",
    "v1_repositories_webhook_retrieve": "manage",
    "v1_repositories_webhook_secret_rotate": "manage",
    "v1_repositories_coupling_list": "read",
    "v1_repositories_analysis_settings_retrieve": "read",
    "v1_repositories_members_list": "read",
    "v1_repositories_members_update": "manage",
    "v1_repositories_members_destroy": "manage",
    "v1_repositories_scans_list": "read",
    "v1_repositories_scans_create": "scan",
    "v1_repositories_functions_list": "read",
    "v1_repositories_hotspots_list": "read",
    "v1_scans_list": "list",
    "v1_scans_retrieve": "read",
    "v1_scans_cancel_create": "scan",
}
# Each role's name in ROLE_CAPABILITIES ("token" is a member's API token; "none" has no membership while
# DEBTBOARD_DEFAULT_ROLE is none).
ROLES = {"anonymous": None, "none": "none", "viewer": "viewer", "member": "member", "maintainer": "maintainer",
         "staff": "staff", "token": "member"}


@functools.cache
def api_schema() -> dict[str, Any]:
    """The OpenAPI schema drf-spectacular generates (as /api/schema/ serves it), generated once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def schema_operations() -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every operation in the generated schema."""
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in api_schema()["paths"].items()
        for method, operation in methods.items()
    }


def expected(role: str, need: str) -> str:
    """allowed, forbidden, invisible or unauthenticated."""
    capability_role = ROLES[role]
    if capability_role is None:
        return "unauthenticated"
    if need == "list":
        return "allowed"
    if need == "register":
        return "allowed" if role == "staff" else "forbidden"
    granted = ROLE_CAPABILITIES[capability_role]
    if need == "bulk":  # unreadable items are skipped as if absent (test_bulk_triage_skips_…)
        return "allowed" if "read" not in granted or "triage" in granted else "forbidden"
    if "read" not in granted:
        return "invisible"
    return "allowed" if need in granted else "forbidden"


@dataclass
class World:
    repository: Any
    item: Any
    location_id: int
    scan_id: int
    users: dict[str, Any]
    git_path: str


@pytest.fixture
def world(db, git_repo, settings) -> World:
    """A scanned repository backed by a real git repository, a proposal linked to code, and one user per role."""
    settings.DEBTBOARD_DEFAULT_ROLE = "none"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # PBKDF2 would dominate
    git_repo.commit("start", files={"shop/cart.py": "def total(items):\n    return sum(items)\n"})
    repository = scanned_repository(name="shop").repository
    Repository.objects.filter(pk=repository.pk).update(path=str(git_repo.path))
    repository.refresh_from_db()
    users = {role: UserFactory(username=role, is_staff=role == "staff") for role in ("none", "viewer", "member",
                                                                                     "maintainer", "staff")}
    users["token"] = users["member"]
    users["colleague"] = UserFactory(username="colleague")
    for role in ("viewer", "member", "maintainer"):
        RepositoryMembership.objects.create(repository=repository, user=users[role], role=role)
    RepositoryMembership.objects.create(repository=repository, user=users["colleague"], role="viewer")
    item = debt_item_create(repository=repository, title="Split the cart", status="proposed",
                            locations=[LocationSpec(path="shop/cart.py")])
    return World(repository=repository, item=item, location_id=item.locations.get().pk,
                 scan_id=repository.current_scan_id, users=users, git_path=str(git_repo.path))


def client_for(role: str, world: World) -> APIClient:
    client = APIClient()
    if role == "token":
        secret = api_token_create(user=world.users["member"], name="ci").secret
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


def url_of(path: str, world: World) -> str:
    values = {"id": world.item.pk, "name": "shop", "repository_name": "shop", "location_id": world.location_id,
              "username": "colleague"}
    if path.startswith("/api/v1/scans/"):
        values["id"] = world.scan_id
    for key, value in values.items():
        path = path.replace("{" + key + "}", str(value))
    return path


def request_of(operation: str, world: World) -> tuple[dict[str, Any], str]:
    """A valid request body (or query) for the operation, and its format."""
    change = {"revision": "c" * 40, "reference": "PR-1",
              "files": [{"path": "shop/cart.py", "loc": 2, "total_complexity": 1, "violation_count": 0,
                         "marker_count": 0, "mi": 100.0, "functions": [{"qualname": "total", "complexity": 1}]}]}
    upload = SimpleUploadedFile("debt.json", json.dumps([{"title": "Imported", "kind": "code"}]).encode(),
                                content_type="application/json")
    bodies: dict[str, tuple[dict[str, Any], str]] = {
        "v1_debt_items_create": ({"repository": "shop", "title": "Retry payments", "kind": "code"}, "json"),
        "v1_debt_items_partial_update": ({"title": "Split the cart in two"}, "json"),
        "v1_debt_items_comments_create": ({"body": "Agreed."}, "json"),
        "v1_debt_items_links_create": ({"path": "shop/"}, "json"),
        "v1_debt_items_transition_create": ({"to_status": "accepted", "note": ""}, "json"),
        "v1_debt_items_export_retrieve": ({"repository": "shop", "format": "json"}, "query"),
        "v1_debt_items_import_create": ({"repository": "shop", "format": "json", "file": upload}, "multipart"),
        "v1_debt_items_proposals_bulk_create": ({"action": "dismiss", "item_ids": [world.item.pk]}, "json"),
        "v1_repositories_create": ({"source": world.git_path, "name": "another"}, "json"),
        "v1_repositories_change_checks_create": (change, "json"),
        "v1_repositories_members_update": ({"role": "member"}, "json"),
        "v1_repositories_rescan_schedule_update": ({"kind": "weekly", "time": "06:00", "weekday": 0}, "json"),
        "v1_repositories_scans_create": ({}, "json"),
    }
    return bodies.get(operation, ({}, "query"))


def call(client: APIClient, method: str, url: str, data: dict[str, Any], fmt: str):
    if fmt == "query" or method in ("GET", "DELETE"):
        return getattr(client, method.lower())(url, data if method == "GET" else None)
    return getattr(client, method.lower())(url, data, format=fmt)


def test_every_schema_operation_has_an_expectation():
    # Team and sprint operations are authorised by team membership: tests/api/test_team_permissions_matrix.py;
    # refactorathons and sprint filling by the event's rule: tests/api/test_refactorathon_permissions_matrix.py.
    own_matrices = ("v1_teams", "v1_refactorathons", "v1_sprint_fill")
    assert {name for name in schema_operations() if not name.startswith(own_matrices)} == set(OPERATIONS)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_operation_answers_by_role(world, operation, role, django_capture_on_commit_callbacks):
    method, path = schema_operations()[operation]
    data, fmt = request_of(operation, world)
    response = call(client_for(role, world), method, url_of(path, world), data, fmt)
    outcome = expected(role, OPERATIONS[operation])
    detail = f"{role} {method} {path}: {response.status_code} {response.content[:300]!r}"
    if outcome == "unauthenticated":
        assert response.status_code in (401, 403), detail
    elif outcome == "invisible":
        assert response.status_code == 404, detail
    elif outcome == "forbidden":
        assert response.status_code == 403, detail
        assert response.json()["code"] in ("repository.forbidden", "permission_denied"), detail
    else:
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, detail


def test_bulk_triage_skips_items_of_invisible_repositories(world):
    response = client_for("none", world).post("/api/v1/debt-items/proposals/bulk/",
                                              {"action": "dismiss", "item_ids": [world.item.pk]}, format="json")
    assert response.json() == {"changed": [], "skipped": [world.item.pk]}
    assert DebtItem.objects.get(pk=world.item.pk).status == "proposed"


def test_invisible_repositories_are_absent_from_every_list(world):
    client = client_for("none", world)
    for url in ("/api/v1/repositories/", "/api/v1/scans/", "/api/v1/debt-items/", "/api/v1/debt-items/proposals/"):
        assert client.get(url).json()["count"] == 0, url
    viewer = client_for("viewer", world)
    assert [row["name"] for row in viewer.get("/api/v1/repositories/").json()["results"]] == ["shop"]
    assert viewer.get("/api/v1/debt-items/").json()["count"] == 1


def test_members_are_set_listed_and_removed_through_the_api(world):
    client = client_for("maintainer", world)
    assert client.put("/api/v1/repositories/shop/members/none/", {"role": "member"}, format="json").json() == {
        "username": "none", "role": "member"}
    members = {row["username"]: row["role"] for row in client.get("/api/v1/repositories/shop/members/").json()[
        "results"]}
    assert members["none"] == "member"
    assert client.delete("/api/v1/repositories/shop/members/none/").status_code == 204
    refused = client.put("/api/v1/repositories/shop/members/none/", {"role": "owner"}, format="json")
    assert refused.status_code == 400
    missing = client.put("/api/v1/repositories/shop/members/nobody/", {"role": "viewer"}, format="json")
    assert missing.status_code == 404 and missing.json()["code"] == "membership.user_not_found"
