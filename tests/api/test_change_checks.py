"""CI change checks through the API: posted figures judged against the current scan."""
import pytest
from django.utils import timezone

from metrics.models import BlobAnalysis, ChangeCheck, FunctionAnalysis, Repository, Scan, SnapshotFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository(tmp_path):
    repository = Repository.objects.create(name="shop", path=str(tmp_path))
    scan = Scan.objects.create(repository=repository, revision="HEAD", commit_sha="a" * 40,
                               status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE, finished_at=timezone.now())
    blob = BlobAnalysis.objects.create(blob_sha="b" * 40, fingerprint="f", loc=120, total_complexity=30,
                                       violation_count=4, marker_count=1, mi=55.0)
    FunctionAnalysis.objects.create(blob=blob, name="checkout", qualname="Cart.checkout", lineno=10, endline=60,
                                    complexity=14, rank="C")
    SnapshotFile.objects.create(scan=scan, path="shop/cart.py", blob_sha=blob.blob_sha, analysis=blob)
    repository.current_scan = scan
    repository.save(update_fields=["current_scan"])
    return repository


def post(client, repository, files, **extra):
    return client.post(f"/api/v1/repositories/{repository.name}/change-checks/",
                       {"revision": "c" * 40, "reference": "PR-7", "files": files, **extra}, format="json")


def cart(**overrides):
    figures = {"path": "shop/cart.py", "loc": 118, "total_complexity": 30, "violation_count": 4, "marker_count": 1,
               "mi": 55.0, "functions": [{"qualname": "Cart.checkout", "complexity": 14}]}
    figures.update(overrides)
    return figures


def test_a_change_that_fixes_lint_is_cleaner(token_client, repository):
    response = post(token_client, repository, [cart(violation_count=1)])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "cleaner"
    assert body["passed"] is True
    assert body["findings"] == [{"path": "shop/cart.py", "rule": "lint.decreased", "severity": "improved",
                                 "message": "Lint violation(s) fell from 4 to 1.", "before": 4.0, "after": 1.0}]
    check = ChangeCheck.objects.get()
    assert (check.status, check.reference, check.baseline_scan_id) == ("cleaner", "PR-7", repository.current_scan_id)


def test_a_change_that_grows_a_complex_function_fails(token_client, repository):
    body = post(token_client, repository, [cart(functions=[{"qualname": "Cart.checkout", "complexity": 16}])]).json()
    assert body["status"] == "fail"
    assert body["passed"] is False
    assert [f["rule"] for f in body["findings"]] == ["complexity.increased"]


def test_a_renamed_file_is_compared_with_its_old_self(token_client, repository):
    body = post(token_client, repository, [cart(path="shop/basket.py", old_path="shop/cart.py")]).json()
    assert body["status"] == "pass"
    assert body["findings"] == []


def test_a_new_file_must_start_clean(token_client, repository):
    body = post(token_client, repository, [{"path": "shop/new.py", "violation_count": 2}]).json()
    assert body["status"] == "fail"
    assert body["findings"][0]["rule"] == "lint.new_file"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"files": []}, "files"),
        ({"files": [{"path": "a.py", "violation_count": -1}]}, "files"),
        ({"files": [{"path": "a.py", "mi": "NaN"}]}, "files"),
        ({"files": "not a list"}, "files"),
    ],
)
def test_malformed_checks_are_refused_and_nothing_is_stored(token_client, repository, payload, field):
    response = token_client.post(f"/api/v1/repositories/{repository.name}/change-checks/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]
    assert not ChangeCheck.objects.exists()


def test_a_repository_without_a_scan_answers_404_with_a_hint(token_client, tmp_path):
    Repository.objects.create(name="fresh", path=str(tmp_path))
    response = token_client.post("/api/v1/repositories/fresh/change-checks/", {"files": [cart()]}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "scan.none_yet"
    assert "debtboard scan fresh" in response.json()["message"]


def test_checks_are_listed_newest_first(token_client, repository):
    post(token_client, repository, [cart()], revision="c" * 40)
    post(token_client, repository, [cart(violation_count=9)], revision="d" * 40)
    listed = token_client.get(f"/api/v1/repositories/{repository.name}/change-checks/").json()["results"]
    assert [c["status"] for c in listed] == ["fail", "pass"]


def test_a_file_that_no_longer_parses_fails_the_check(token_client, repository):
    body = post(token_client, repository, [cart(status="error", error="SyntaxError: invalid syntax (line 3)")]).json()
    assert body["status"] == "fail"
    assert body["findings"][0]["rule"] == "analysis.failed"
    assert "SyntaxError" in body["findings"][0]["message"]


@pytest.mark.django_db
def test_the_output_of_debtboard_analyze_is_accepted_as_it_is(token_client, repository, git_repo, capsys):
    """CI can post `debtboard analyze --format json` files unchanged."""
    import json

    from django.core.management import call_command

    git_repo.commit("cart", files={"shop/cart.py": "import os\n\n\ndef checkout(cart):\n    return cart\n"})
    call_command("analyze", str(git_repo.path), "--format", "json")
    files = json.loads(capsys.readouterr().out)["files"]
    body = post(token_client, repository, files).json()
    assert body["status"] == "cleaner"  # the flake8 F401 is 1 violation where the baseline had 4
    assert {f["rule"] for f in body["findings"]} >= {"lint.decreased"}
