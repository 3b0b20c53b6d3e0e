"""The CI checks page: verdicts posted through the API, their findings, filters, escaping, permissions."""
import pytest
from django.utils import timezone

from api.tokens import api_token_create
from metrics.models import BlobAnalysis, Repository, Scan, SnapshotFile
from tests.frontend.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository(tmp_path):
    repository = Repository.objects.create(name="shop", path=str(tmp_path))
    scan = Scan.objects.create(repository=repository, revision="HEAD", commit_sha="a" * 40, status="succeeded",
                               stage="done", finished_at=timezone.now(), committed_at=timezone.now())
    blob = BlobAnalysis.objects.create(blob_sha="b" * 40, fingerprint="f", loc=50, total_complexity=9,
                                       violation_count=3, marker_count=0, mi=60.0)
    SnapshotFile.objects.create(scan=scan, path="shop/cart.py", blob_sha=blob.blob_sha, analysis=blob)
    repository.current_scan = scan
    repository.save(update_fields=["current_scan"])
    return repository


def post_check(client, files, reference):
    return client.post("/api/v1/repositories/shop/change-checks/", {"reference": reference, "files": files},
                       content_type="application/json")


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_checks_page_lists_verdicts_and_findings(client, reader, repository, settings):
    settings.DEBTBOARD_DEFAULT_ROLE = "member"  # members post change checks
    post_check(client, [{"path": "shop/cart.py", "loc": 50, "violation_count": 5, "mi": 60.0}], "PR-1 <b>x</b>")
    post_check(client, [{"path": "shop/cart.py", "loc": 50, "violation_count": 1, "mi": 60.0}], "PR-2")
    page = client.get("/repos/shop/checks/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("PR-2") < html.index("PR-1")  # newest first
    assert "Lint violation(s) rose from 3 to 5." in html
    assert "Lint violation(s) fell from 3 to 1." in html
    assert "PR-1 &lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    only_failures = client.get("/repos/shop/checks/?status=fail").content.decode()
    assert "PR-1" in only_failures and "PR-2" not in only_failures


def test_checks_page_runs_a_fixed_number_of_queries(client, reader, repository, django_assert_max_num_queries):
    token = api_token_create(user=reader, name="ci").secret
    for number in range(30):
        client.post("/api/v1/repositories/shop/change-checks/",
                    {"reference": f"PR-{number}", "files": [{"path": "shop/cart.py", "violation_count": 3}]},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    with django_assert_max_num_queries(10):
        assert client.get("/repos/shop/checks/").status_code == 200


def test_checks_page_shows_how_to_start_when_empty(client, reader, repository):
    html = client.get("/repos/shop/checks/").content.decode()
    assert "No change checks" in html and "debtboard apitoken create" in html


def test_checks_page_needs_login(client, repository):
    response = client.get("/repos/shop/checks/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
