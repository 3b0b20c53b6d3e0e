"""Hostile and careless input answers 400 or 413 with the error body, never a 500 (issue 11, robustness)."""
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.tokens import api_token_create
from debt.models import DebtChange, DebtItem
from metrics.models import ChangeCheck, Repository, Scan

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def repository(tmp_path):
    repository = Repository.objects.create(name="shop", path=str(tmp_path))
    scan = Scan.objects.create(repository=repository, revision="HEAD", commit_sha="a" * 40,
                               status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE, finished_at=timezone.now())
    repository.current_scan = scan
    repository.save(update_fields=["current_scan"])
    return repository


@pytest.fixture
def staff_client(staff, api_client):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=staff, name='lead').secret}")
    return api_client


def error_body(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    return body


def change_check(files, **fields) -> dict:
    return {"revision": "c" * 40, "reference": "PR-1", "files": files, **fields}


def post_check(client, body, **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/v1/repositories/shop/change-checks/", data=data, content_type="application/json",
                       **headers)


def import_file(client, content: bytes, format: str):
    upload = io.BytesIO(content)
    upload.name = f"items.{format}"
    return client.post("/api/v1/debt-items/import/", {"repository": "shop", "format": format, "file": upload},
                       format="multipart")


# ---------------------------------------------------------------- nesting, surrogates, huge cells

def test_a_change_check_nested_100000_deep_is_a_400(token_client, repository):
    body = error_body(post_check(token_client, DEEP), 400)
    assert body["code"] == "json_too_deep"
    assert "limit is 32" in body["message"]


def test_a_json_import_nested_100000_deep_is_a_400(staff_client, repository):
    body = error_body(import_file(staff_client, ('{"items": ' + DEEP + "}").encode(), "json"), 400)
    assert body["code"] == "debt_import.invalid"
    assert "nests" in body["message"]


@pytest.mark.parametrize("content", [
    b'[{"title": "t", "x\\ud800": 1}]',  # an unknown column, listed in the report
    b'[{"title": "t", "owner": "a\\ud800"}]',  # named in the refusal
    b'[{"title": "t", "reporter": "a\\ud800"}]',
    b'[{"title": "t", "locations": ["a\\ud800.py"]}]',
])
def test_a_lone_surrogate_in_a_json_import_is_dropped_not_a_500(staff_client, repository, content):
    response = import_file(staff_client, content, "json")
    assert response.status_code == 200, response.content
    assert "\\ud800" not in response.content.decode()


def test_a_lone_surrogate_is_dropped_from_stored_text(staff_client, repository):
    content = b'[{"title": "Split \\ud800 cart", "external_id": "X\\udc00-1", "locations": ["a\\ud800.py"]}]'
    assert import_file(staff_client, content, "json").json()["created"] == 1
    item = DebtItem.objects.get()
    assert (item.title, item.external_id, item.locations.get().path) == ("Split cart", "X-1", "a.py")


def test_a_csv_cell_over_the_csv_field_limit_is_a_400(staff_client, repository):
    content = b'title,description\nBig,"' + b"x" * 140_000 + b'"\n'
    body = error_body(import_file(staff_client, content, "csv"), 400)
    assert body["code"] == "debt_import.invalid"
    assert "field larger than field limit" in body["message"]


# ---------------------------------------------------------------- NUL in the address

@pytest.mark.parametrize("url", [
    "/api/v1/debt-items/proposals/?repository=a%00b",
    "/api/v1/debt-items/export/?repository=a%00b&format=csv",
    "/api/v1/repositories/shop/coupling/?path=a%00b",
    "/api/v1/debt-items/?search=%00",
])
def test_a_nul_in_an_api_query_is_a_400(token_client, repository, url):
    body = error_body(token_client.get(url), 400)
    assert body["code"] == "request.nul_character"


def test_a_nul_in_a_page_path_is_an_html_400(client, staff, repository):
    client.force_login(staff)
    response = client.get("/repos/shop/files/a%00b.py")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


# ---------------------------------------------------------------- numbers, ids and sizes of change checks

@pytest.mark.parametrize("field, value", [
    ("violation_count", True),
    ("violation_count", 10**30),
    ("loc", "12"),
    ("loc", -1),
    ("total_complexity", 1.5),
    ("mi", True),
    ("mi", "NaN"),
    ("mi", 10**6),
])
def test_a_figure_that_is_not_a_bounded_number_is_refused(token_client, repository, field, value):
    body = error_body(post_check(token_client, change_check([{"path": "a.py", field: value}])), 400)
    assert field in json.dumps(body["extra"])
    assert not ChangeCheck.objects.exists()


def test_nan_written_as_a_json_constant_is_refused(token_client, repository):
    raw = json.dumps(change_check([{"path": "a.py", "mi": 1.5}])).replace("1.5", "NaN")
    error_body(post_check(token_client, raw), 400)


@pytest.mark.parametrize("revision", ["abc", "HEAD", "g" * 40, "a" * 65])
def test_a_revision_that_is_not_a_git_object_id_is_refused(token_client, repository, revision):
    body = error_body(post_check(token_client, change_check([{"path": "a.py"}], revision=revision)), 400)
    assert "revision" in body["extra"]["fields"]


def test_too_many_functions_in_one_file_are_refused(token_client, repository):
    functions = [{"qualname": f"f{i}", "complexity": 1} for i in range(5001)]
    body = error_body(post_check(token_client, change_check([{"path": "a.py", "functions": functions}])), 400)
    assert "functions" in json.dumps(body["extra"])


@pytest.mark.parametrize("megabytes", [3, 50])
def test_a_body_over_the_limit_is_a_413_naming_the_limit(token_client, repository, megabytes):
    padding = "x" * (megabytes * 1024 * 1024)
    body = error_body(post_check(token_client, change_check([{"path": "a.py", "error": padding}])), 413)
    assert body["code"] == "request.too_large"
    assert body["extra"] == {"limit_bytes": 2_621_440}


def test_an_import_over_the_size_limit_is_a_413_before_it_is_read(staff_client, repository):
    content = b"title\n" + b"x\n" * (6 * 1024 * 1024)  # 12 MB
    body = error_body(import_file(staff_client, content, "csv"), 413)
    assert body["code"] == "debt_import.too_large"
    assert body["extra"]["limit_bytes"] == 10 * 1024 * 1024
    assert not DebtItem.objects.exists()


# ---------------------------------------------------------------- the command line

def test_debt_import_of_a_hostile_file_is_a_one_line_error(tmp_path, repository):
    deep = tmp_path / "deep.json"
    deep.write_text('{"items": ' + DEEP + "}")
    with pytest.raises(CommandError, match="nests 100001 levels deep"):
        call_command("debt_import", "shop", str(deep))
    wide = tmp_path / "wide.csv"
    wide.write_bytes(b'title,description\nBig,"' + b"x" * 140_000 + b'"\n')
    with pytest.raises(CommandError, match="field larger than field limit"):
        call_command("debt_import", "shop", str(wide))
    assert not DebtChange.objects.exists()
