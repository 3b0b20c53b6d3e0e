"""`debtboard check` end to end: real git repositories, the real analyser, a live debtboard server, a subprocess."""
import json
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import junitparser
import pytest

from api.tokens import api_token_create
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.check_cli import debtboard
from tests.gitrepo import GitRepo

SIMPLE = "def pay(a, b):\n    if a:\n        return b\n    return a\n"
TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(11)) + \
    "    return b\n"
MORE_TANGLED = TANGLED.replace("    return b\n", "    if b:\n        return a\n    return b\n")
LINTY = "import os\n\n\ndef refund():\n    return 1\n"
CLEAN = "def refund():\n    return 1\n"


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "client-data"
    path.mkdir()
    return path


@pytest.fixture
def shop(git_repo):
    """A repository whose main branch has a tangled function and a lint violation; the feature branch is empty."""
    git_repo.commit("start", files={"billing/pay.py": TANGLED, "billing/refund.py": LINTY, "notes.txt": "hi\n"})
    git_repo.git("checkout", "-q", "-b", "feature")
    return git_repo


@pytest.fixture
def server(shop, live_server, django_user_model, settings):
    """The shop registered and scanned on a live debtboard server, and a token that may post checks."""
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"
    repository = repository_create(source=str(shop.path), name="shop")
    repository.default_revision = "main"
    repository.save(update_fields=["default_revision"])
    scan = scan_run(scan_id=scan_request(repository=repository, revision="main", enqueue=False).pk)
    assert scan.succeeded, scan.error
    user = django_user_model.objects.create_user(username="ci", password="not-used-here-123")
    return {"url": live_server.url, "token": api_token_create(user=user, name="ci").secret}


def check_on(server, repo, data_dir, *args):
    return debtboard("check", "--server", server["url"], "--repository", "shop", "--base", "main", *args,
                     cwd=repo.path, data_dir=data_dir, env={"DEBTBOARD_TOKEN": server["token"]})


@pytest.mark.django_db(transaction=True)
def test_a_more_complex_function_fails_with_the_finding(server, shop, data_dir):
    shop.commit("grow", files={"billing/pay.py": MORE_TANGLED})
    result = check_on(server, shop, data_dir)
    assert result.returncode == 1, result.stderr
    assert "billing/pay.py  fail" in result.stdout
    assert "complexity.increased: pay grew from complexity 12 to 13" in result.stdout
    assert "FAIL" in result.stdout.splitlines()[-1]


@pytest.mark.django_db(transaction=True)
def test_removing_a_lint_violation_passes_as_cleaner(server, shop, data_dir):
    shop.commit("tidy", files={"billing/refund.py": CLEAN}, author="Grace Hopper <grace@example.com>")
    result = check_on(server, shop, data_dir, "--format", "json", "--reference", "42")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["status"], report["mode"]) == ("cleaner", "server")
    assert report["files"] == [{"path": "billing/refund.py", "verdict": "cleaner", "findings": [
        {"rule": "lint.decreased", "severity": "improved", "message": "Lint violation(s) fell from 1 to 0.",
         "before": 1.0, "after": 0.0}]}]
    from metrics.models import ChangeCheck
    check = ChangeCheck.objects.get()
    assert (check.status, check.reference, check.revision) == ("cleaner", "42", shop.head())


@pytest.mark.django_db(transaction=True)
def test_a_rename_without_content_change_passes(server, shop, data_dir):
    shop.move("billing/pay.py", "billing/payment.py")
    shop.commit("rename", add_all=False)
    result = check_on(server, shop, data_dir)
    assert result.returncode == 0, result.stderr
    assert "billing/payment.py  pass" in result.stdout
    assert "PASS" in result.stdout.splitlines()[-1]


@pytest.mark.django_db(transaction=True)
def test_a_deleted_file_passes(server, shop, data_dir):
    shop.remove("billing/refund.py")
    shop.commit("drop", add_all=False)
    result = check_on(server, shop, data_dir)
    assert result.returncode == 0, result.stderr
    assert "file.deleted: File removed." in result.stdout


@pytest.mark.django_db(transaction=True)
def test_the_server_settings_are_used_and_no_python_change_passes(server, shop, data_dir):
    shop.commit("docs", files={"notes.txt": "more\n"})
    result = check_on(server, shop, data_dir)
    assert result.returncode == 0, result.stderr
    assert "0 file(s)" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_token_without_the_right_gets_the_servers_message(server, shop, data_dir, settings):
    settings.DEBTBOARD_DEFAULT_ROLE = "viewer"
    shop.commit("tidy", files={"billing/refund.py": CLEAN})
    result = check_on(server, shop, data_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "answered 403" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_missing_token_is_refused_in_one_line(server, shop, data_dir):
    shop.commit("tidy", files={"billing/refund.py": CLEAN})
    result = debtboard("check", "--server", server["url"], "--repository", "shop", "--base", "main",
                       cwd=shop.path, data_dir=data_dir)
    assert result.returncode == 2
    assert "answered 401" in result.stderr and "DEBTBOARD_TOKEN" in result.stderr


# --- --local: no server ------------------------------------------------------------------------------------


def test_local_mode_fails_a_more_complex_function(shop, data_dir):
    shop.commit("grow", files={"billing/pay.py": MORE_TANGLED})
    result = debtboard("check", "--local", "--base", "main", cwd=shop.path, data_dir=data_dir)
    assert result.returncode == 1, result.stderr
    assert "complexity.increased" in result.stdout
    assert not (data_dir / "debtboard.sqlite3").exists()  # no database was touched, not even created


def test_local_mode_applies_the_repositorys_own_flake8_settings(shop, data_dir):
    shop.commit("format at 100 columns", files={"setup.cfg": "[flake8]\nmax-line-length = 100\n"})
    long_line = "def refund():\n    return '" + "x" * 80 + "'\n"  # 94 columns: E501 at flake8's 79, not at 100
    shop.commit("longer", files={"billing/refund.py": long_line})
    result = debtboard("check", "--local", "--base", "HEAD~1", "--format", "json", cwd=shop.path, data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    # refund.py lost its unused import and gained no E501: one violation fewer, so cleaner.
    assert json.loads(result.stdout)["status"] == "cleaner"


def test_local_mode_base_is_the_merge_base_on_a_branch_with_a_merge(shop, data_dir):
    shop.commit("feature work", files={"billing/refund.py": CLEAN})
    shop.git("checkout", "-q", "main")
    shop.commit("main gets worse", files={"billing/pay.py": MORE_TANGLED})
    shop.git("checkout", "-q", "feature")
    shop.git("merge", "-q", "--no-edit", "main")
    result = debtboard("check", "--local", "--base", "main", "--format", "json", cwd=shop.path, data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["base"] == shop.git("rev-parse", "main")
    assert [item["path"] for item in report["files"]] == ["billing/refund.py"]  # main's own change is not ours


def test_the_default_base_is_origin_head(shop, tmp_path, data_dir):
    shop.git("checkout", "-q", "main")
    shop.git("clone", "-q", str(shop.path), str(tmp_path / "clone"))
    clone = GitRepo(path=tmp_path / "clone")
    clone.git("checkout", "-q", "-b", "work")
    clone.commit("tidy", files={"billing/refund.py": CLEAN})
    result = debtboard("check", "--local", "--format", "json", cwd=clone.path, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["base"] == shop.git("rev-parse", "main")


@pytest.fixture
def mixed(shop):
    """One file made worse, one cleaner."""
    shop.commit("mixed", files={"billing/pay.py": MORE_TANGLED, "billing/refund.py": CLEAN})
    return shop


def test_junit_is_read_by_a_junit_consumer(mixed, data_dir):
    shop = mixed
    junit = debtboard("check", "--local", "--base", "main", "--format", "junit", cwd=shop.path, data_dir=data_dir)
    assert junit.returncode == 1
    root = ET.fromstring(junit.stdout.encode())
    assert root.tag == "testsuites"
    xml = junitparser.JUnitXml.fromstring(junit.stdout)
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {"billing/pay.py", "billing/refund.py"}
    assert [type(r).__name__ for r in cases["billing/pay.py"].result] == ["Failure"]
    assert cases["billing/pay.py"].result[0].type == "complexity.increased"
    assert cases["billing/refund.py"].is_passed


def test_sarif_has_what_github_code_scanning_requires(mixed, data_dir):
    shop = mixed
    sarif = debtboard("check", "--local", "--base", "main", "--format", "sarif", cwd=shop.path, data_dir=data_dir)
    assert sarif.returncode == 1
    log = json.loads(sarif.stdout)
    # GitHub code scanning's required fields (docs: "SARIF support for code scanning").
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "debtboard"
    assert {rule["id"] for rule in driver["rules"]} == {result["ruleId"] for result in run["results"]}
    (result,) = run["results"]
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("pay grew from complexity 12")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "billing/pay.py"
    assert location["region"]["startLine"] >= 1


# --- bad input -----------------------------------------------------------------------------------------------


def _one_line_error(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr


def test_a_shallow_clone_says_how_to_fetch_the_base(shop, tmp_path, data_dir):
    shop.commit("tidy", files={"billing/refund.py": CLEAN})
    shallow = tmp_path / "shallow"
    shop.git("clone", "-q", "--depth", "1", "--branch", "feature", f"file://{shop.path}", str(shallow))
    result = debtboard("check", "--local", "--base", "HEAD~1", cwd=shallow, data_dir=data_dir)
    _one_line_error(result, "shallow clone", "git fetch --deepen", "fetch-depth: 0")


def test_a_base_that_does_not_exist(shop, data_dir):
    _one_line_error(debtboard("check", "--local", "--base", "no-such-branch", cwd=shop.path, data_dir=data_dir),
                    "'no-such-branch' does not exist")


def test_a_server_that_is_down(shop, data_dir):
    result = debtboard("check", "--server", "http://127.0.0.1:9", "--repository", "shop", cwd=shop.path,
                       data_dir=data_dir)
    _one_line_error(result, "Cannot reach the debtboard server")


class _Failing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = b"<html>Internal Server Error</html>"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_a_server_that_answers_500(shop, data_dir):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        result = debtboard("check", "--server", f"http://127.0.0.1:{httpd.server_port}", "--repository", "shop",
                           cwd=shop.path, data_dir=data_dir)
    finally:
        httpd.shutdown()
        httpd.server_close()
    _one_line_error(result, "answered 500", "Internal Server Error")


def test_a_path_with_a_newline_is_refused(shop, data_dir):
    shop.commit("odd", files={"billing/odd\nname.py": CLEAN})
    _one_line_error(debtboard("check", "--local", "--base", "main", cwd=shop.path, data_dir=data_dir),
                    "control characters")


def test_usage_errors_exit_2(shop, data_dir):
    _one_line_error(debtboard("check", cwd=shop.path, data_dir=data_dir), "--server")
    assert debtboard("check", "--format", "pdf", cwd=shop.path, data_dir=data_dir).returncode == 2


def test_analyze_runs_without_a_database(shop, data_dir):
    result = debtboard("analyze", ".", "--format", "json", cwd=shop.path, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    files = {item["path"]: item for item in json.loads(result.stdout)["files"]}
    assert files["billing/refund.py"]["violation_count"] == 1
    assert not (data_dir / "debtboard.sqlite3").exists()
