"""The change-check policy through the API and its effect on verdicts; the Boy Scout record from real checks."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from metrics.models import ChangeCheck, Repository
from metrics.selectors.boy_scout import boy_scout_record
from tests.frontend.factories import scanned_repository

pytestmark = pytest.mark.django_db
# The baseline figures of every file of scanned_repository(): unchanged, a change is neither worse nor cleaner.
SAME = {"loc": 120, "total_complexity": 14, "violation_count": 2, "marker_count": 1, "mi": 55.0,
        "functions": [{"qualname": "total", "complexity": 9}, {"qualname": "Cart.add", "complexity": 5}]}


@pytest.fixture
def shop(git_repo):
    git_repo.write(".mailmap", "Ada Lovelace <ada@example.com> <ada@laptop.local>\n")
    git_repo.commit("start", files={"src/shop/billing.py": "x = 1\n"})
    repository = scanned_repository(name="shop").repository
    Repository.objects.filter(pk=repository.pk).update(path=str(git_repo.path))
    repository.refresh_from_db()
    return repository


@pytest.fixture
def client(django_user_model) -> APIClient:
    client = APIClient()
    client.force_login(django_user_model.objects.create_user(username="ada", email="Ada@Example.com"))
    return client


def post(client, path: str, revision: str, author=("Ada", "ada@laptop.local"), **figures):
    body = {"revision": revision, "reference": "PR-1", "branch": "feature/x", "parent_revision": "b" * 40,
            "author_name": author[0], "author_email": author[1], "files": [{"path": path, **SAME, **figures}]}
    return client.post("/api/v1/repositories/shop/change-checks/", body, format="json")


def test_the_policy_is_read_and_replaced_through_the_api(client, shop):
    url = "/api/v1/repositories/shop/check-policy/"
    assert client.get(url).json()["hotspot_must_improve"] is False
    changed = client.put(url, {"hotspot_must_improve": True, "hotspot_top_n": 1, "mi_tolerance": 2.5}, format="json")
    assert changed.status_code == 200
    assert changed.json()["hotspot_top_n"] == 1 and changed.json()["mi_tolerance"] == 2.5
    shop.refresh_from_db()
    assert shop.check_policy["hotspot_must_improve"] is True
    refused = client.put(url, {"hotspot_top_n": -1}, format="json")
    assert refused.status_code == 400


def test_touching_a_top_hotspot_without_improving_it_fails_and_names_the_rule(client, shop):
    client.put("/api/v1/repositories/shop/check-policy/", {"hotspot_must_improve": True, "hotspot_top_n": 1},
               format="json")
    hot = post(client, "src/shop/billing.py", "1" * 40).json()
    assert (hot["status"], hot["decided_by"]) == ("fail", "hotspot.not_improved")
    cold = post(client, "src/shop/cart.py", "2" * 40).json()
    assert (cold["status"], cold["decided_by"]) == ("pass", "gate.no_worse")
    improved = post(client, "src/shop/billing.py", "3" * 40, violation_count=1).json()
    assert (improved["status"], improved["decided_by"]) == ("cleaner", "lint.decreased")
    stored = ChangeCheck.objects.get(revision="3" * 40)
    assert (stored.author_email, stored.branch, stored.parent) == ("ada@laptop.local", "feature/x", "b" * 40)
    assert stored.file_changes == [{"path": "src/shop/billing.py", "complexity": 0, "violations": -1,
                                    "markers": 0, "mi": 0.0, "new": False, "deleted": False}]


def test_the_boy_scout_record_merges_authors_by_mailmap_and_matches_users(client, shop, django_assert_num_queries):
    post(client, "src/shop/billing.py", "1" * 40, violation_count=0, total_complexity=10)  # cleaner
    post(client, "src/shop/cart.py", "2" * 40, author=("Ada L.", "ada@example.com"))  # same
    post(client, "src/util/text.py", "3" * 40, author=("Bob", "bob@example.com"), violation_count=4)  # worse
    ChangeCheck.objects.filter(revision="3" * 40).update(created_at=timezone.now() - timedelta(days=8))
    with django_assert_num_queries(2):  # the checks, the users with those e-mails
        record = boy_scout_record(repositories=[shop], days=90)
    assert (record.total.checks, record.total.cleaner, record.total.same, record.total.worse) == (3, 1, 1, 1)
    assert record.total.complexity_removed == 4 and record.total.violations_fixed == 0
    ada, bob = record.authors
    assert (ada.name, ada.email, ada.username, ada.tally.checks, ada.tally.cleaner) == (
        "Ada Lovelace", "ada@example.com", "ada", 2, 1)
    assert (bob.email, bob.username, bob.tally.worse) == ("bob@example.com", "", 1)
    assert len(record.weeks) in (2, 3) and sum(w.tally.checks for w in record.weeks) == 3
    response = client.get("/api/v1/repositories/shop/boy-scout/?days=30")
    assert response.status_code == 200
    assert response.json()["total"]["cleaner_share"] == round(1 / 3, 3)
    assert response.json()["authors"][0]["username"] == "ada"
    assert client.get("/api/v1/repositories/shop/boy-scout/?days=7").json()["code"] == "boy_scout.invalid_days"
