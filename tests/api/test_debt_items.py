"""The debt register over REST: create, filter, transition, comment, proposals, import and export."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from debt.models import DebtItem
from metrics.models import Repository

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository(tmp_path):
    return Repository.objects.create(name="shop", path=str(tmp_path))


def create(client, **fields):
    payload = {"repository": "shop", "title": "Split Cart.checkout", "impact": 4, "effort": "6",
               "labels": ["payments"], "locations": [{"path": "shop/cart.py", "qualname": "Cart.checkout"}]}
    payload.update(fields)
    return client.post("/api/v1/debt-items/", payload, format="json")


def test_create_links_the_item_to_code_and_reports_priority(token_client, repository, user):
    response = create(token_client)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["repository"] == "shop"
    assert body["status"] == "accepted"
    assert body["reporter"] == user.username
    assert body["labels"] == ["payments"]
    assert body["effort"] == "6.00"
    assert [(loc["path"], loc["qualname"]) for loc in body["locations"]] == [("shop/cart.py", "Cart.checkout")]
    assert body["priority"] >= 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"impact": 9}, "impact"), ({"effort": "0"}, "effort"), ({"kind": "vibes"}, "kind"), ({"title": ""}, "title")],
)
def test_invalid_items_are_refused_with_field_errors(token_client, repository, fields, field):
    response = create(token_client, **fields)
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]
    assert not DebtItem.objects.exists()


def test_unsafe_external_links_are_refused_by_the_service(token_client, repository):
    response = create(token_client, external_url="javascript:alert(1)")
    assert response.status_code == 400
    assert response.json()["code"].startswith("debt_item.")


def test_list_filters_by_label_and_path_in_few_queries(token_client, repository, django_assert_max_num_queries):
    for n in range(12):
        create(token_client, title=f"item {n}", labels=["payments" if n % 2 else "search"],
               locations=[{"path": f"shop/mod{n}.py"}])
    with django_assert_max_num_queries(8):
        body = token_client.get("/api/v1/debt-items/?repository=shop&label=payments").json()
    assert body["count"] == 6
    only = token_client.get("/api/v1/debt-items/?path=shop/mod3.py").json()
    assert [item["title"] for item in only["results"]] == ["item 3"]


def test_illegal_transition_answers_400_with_allowed_states(token_client, repository):
    item_id = create(token_client).json()["id"]
    response = token_client.post(f"/api/v1/debt-items/{item_id}/transition/", {"to_status": "proposed"},
                                 format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "debt_item.invalid_transition"
    assert "planned" in body["extra"]["allowed"]


def test_transition_with_a_stale_expected_status_conflicts(token_client, repository):
    item_id = create(token_client).json()["id"]
    ok = token_client.post(f"/api/v1/debt-items/{item_id}/transition/", {"to_status": "planned"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "planned"
    stale = token_client.post(f"/api/v1/debt-items/{item_id}/transition/",
                              {"to_status": "in_progress", "expected_status": "accepted"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "debt_item.changed"
    activity = token_client.get(f"/api/v1/debt-items/{item_id}/activity/").json()
    assert [entry["kind"] for entry in activity].count("transition") >= 1


def test_comments_are_stored_and_listed(token_client, repository):
    item_id = create(token_client).json()["id"]
    posted = token_client.post(f"/api/v1/debt-items/{item_id}/comments/", {"body": "Pairing on this **Friday**"},
                               format="json")
    assert posted.status_code == 201
    assert [c["body"] for c in token_client.get(f"/api/v1/debt-items/{item_id}/comments/").json()] == [
        "Pairing on this **Friday**"]


def test_bulk_dismissed_proposals_leave_the_inbox(token_client, repository):
    ids = [create(token_client, title=f"p{n}", status=None).json()["id"] for n in range(2)]
    DebtItem.objects.filter(pk__in=ids).update(status="proposed", source="marker")
    result = token_client.post("/api/v1/debt-items/proposals/bulk/",
                               {"action": "dismiss", "item_ids": ids, "reason": "not debt"}, format="json").json()
    assert sorted(result["changed"]) == sorted(ids)
    assert token_client.get("/api/v1/debt-items/proposals/?repository=shop").json()["count"] == 0


def test_delete_needs_a_maintainer(token_client, repository, settings):
    item_id = create(token_client).json()["id"]
    settings.DEBTBOARD_DEFAULT_ROLE = "member"
    assert token_client.delete(f"/api/v1/debt-items/{item_id}/").status_code == 403
    assert DebtItem.objects.filter(pk=item_id).exists()
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"
    assert token_client.delete(f"/api/v1/debt-items/{item_id}/").status_code == 204


def test_export_then_import_round_trips_and_reports_bad_rows(token_client, repository):
    create(token_client)
    exported = token_client.get("/api/v1/debt-items/export/?repository=shop&format=json")
    assert exported.status_code == 200
    rows = json.loads(exported.content)
    rows = rows["items"] if isinstance(rows, dict) else rows
    rows.append({"title": "", "kind": "code"})
    upload = SimpleUploadedFile("debt.json", json.dumps(rows).encode(), content_type="application/json")
    report = token_client.post("/api/v1/debt-items/import/",
                               {"repository": "shop", "format": "json", "file": upload}, format="multipart").json()
    assert report["created"] == 0
    assert report["unchanged"] + report["updated"] == 1
    assert [error["row"] for error in report["refused"]] == [2]
    assert DebtItem.objects.count() == 1


def test_unknown_item_is_a_404_with_a_code(token_client, repository):
    response = token_client.get("/api/v1/debt-items/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "debt_item.not_found"
