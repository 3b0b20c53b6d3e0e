"""Export -> import -> export through the API is the identical round trip docs/debt.md promises."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.tokens import api_token_create
from debt.models import DebtChange, DebtItem
from metrics.models import Repository

pytestmark = pytest.mark.django_db
VOLATILE = {"id", "updated_at", "interest", "priority", "exported_at"}


@pytest.fixture
def staff_client(staff, api_client):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=staff, name='lead').secret}")
    return api_client


@pytest.fixture
def register(tmp_path, django_user_model):
    repository = Repository.objects.create(name="shop", path=str(tmp_path))
    now = timezone.now()
    ada = django_user_model.objects.create_user(username="ada", password=None)
    DebtItem.objects.create(repository=repository, title="Split the cart", description="# Why\n\nIt grew.\n",
                            reporter=ada, created_at=now, updated_at=now, status_changed_at=now)
    DebtItem.objects.create(repository=repository, title="Found by a scan", description="  indented\n\n",
                            reporter=None, source="hotspot", created_at=now, updated_at=now,
                            status_changed_at=now)
    return repository


def export(client, format):
    response = client.get(f"/api/v1/debt-items/export/?repository=shop&format={format}")
    assert response.status_code == 200, response.content
    return response


def records(client) -> list[dict]:
    return [{k: v for k, v in item.items() if k not in VOLATILE}
            for item in json.loads(export(client, "json").content)["items"]]


def test_export_answers_csv_for_format_csv(staff_client, register):
    response = export(staff_client, "csv")
    assert response["Content-Type"] == "text/csv"
    assert response.content.decode().startswith("id,external_id,fingerprint,title")


@pytest.mark.parametrize("format", ["csv", "json"])
def test_export_import_export_is_identical(staff_client, register, format):
    before = records(staff_client)
    content = export(staff_client, format).content
    DebtItem.objects.all().delete()
    upload = SimpleUploadedFile(f"debt.{format}", content)
    report = staff_client.post("/api/v1/debt-items/import/", {"repository": "shop", "format": format,
                                                              "file": upload}, format="multipart").json()
    assert (report["created"], report["refused"]) == (2, [])
    after = records(staff_client)
    assert after == before
    assert [(r["description"], r["reporter"]) for r in after] == [
        ("# Why\n\nIt grew.\n", "ada"), ("  indented\n\n", "")]


def test_a_reporter_without_an_account_is_kept_in_the_history(staff_client, register):
    items = [{"title": "From the old tracker", "reporter": "grace"}]
    upload = SimpleUploadedFile("debt.json", json.dumps(items).encode())
    report = staff_client.post("/api/v1/debt-items/import/", {"repository": "shop", "format": "json",
                                                              "file": upload}, format="multipart").json()
    assert (report["created"], report["refused"]) == (1, [])
    item = DebtItem.objects.get(title="From the old tracker")
    assert item.reporter.username == "lead"
    created = DebtChange.objects.get(item=item, field="created")
    assert "reported by grace, who has no account here" in created.new_value
