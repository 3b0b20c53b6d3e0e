"""`debtboard analyze PATH`: per-file results of a revision on the command line, no web UI needed."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from metrics.models import Repository

pytestmark = pytest.mark.django_db

APP = '''\
import os


def route(request):
    if request.user and request.method == "POST":  # TODO: split
        return os.sep
    return ""
'''


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    workers = [] if "--workers" in args else ["--workers", "1"]
    call_command("analyze", *args, *workers, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def project(git_repo):
    git_repo.commit("one", files={"app.py": APP, "lib/__init__.py": ""})
    git_repo.commit("two", files={"lib/broken.py": "def f(:\n", "lib/long.py": "x = '" + "a" * 90 + "'\n"})
    return git_repo


def test_table_output(project):
    output = run(str(project.path))
    lines = output.splitlines()
    assert lines[0].split() == ["path", "status", "lines", "sloc", "cc", "max", "cc", "MI", "rank", "flake8",
                                "markers", "noqa"]
    rows = {line.split()[0]: line.split() for line in lines[2:-1]}
    assert rows["app.py"][:6] == ["app.py", "ok", "7", "5", "3", "3"]
    assert rows["app.py"][-3:] == ["0", "1", "0"]
    assert rows["lib/broken.py"][1:3] == ["error:", "syntax"]
    assert rows["lib/long.py"][-3] == "1"  # E501
    assert lines[-1].startswith("4 Python files at ")
    assert "4 analysed, 0 from the cache, 1 with errors" in lines[-1]
    assert "0 analysed, 4 from the cache" in run(str(project.path)).splitlines()[-1]


def assert_route_function(functions: list[dict]) -> None:
    """app.py's one function, with radon's per-function figures next to its complexity (issue 17)."""
    figures = [functions[0].pop(name) for name in ("sloc", "h_volume", "h_difficulty", "h_effort", "h_bugs", "mi")]
    assert functions == [{"kind": "function", "name": "route", "qualname": "route", "lineno": 4,
                          "endline": 7, "complexity": 3, "rank": "A"}]
    assert (figures[0], 0 < figures[-1] <= 100) == (4, True)


def test_json_output_with_details(project):
    data = json.loads(run(str(project.path), "--format", "json"))
    assert data["commit"] == project.head()
    assert data["summary"]["files"] == 4 and data["summary"]["errors"] == 1
    files = {item["path"]: item for item in data["files"]}
    app = files["app.py"]
    assert (app["status"], app["loc"], app["total_complexity"], app["mi_rank"]) == ("ok", 7, 3, "A")
    assert_route_function(app["functions"])
    assert app["markers"] == [{"kind": "debt", "tag": "TODO", "line": 5, "text": "TODO: split"}]
    assert files["lib/long.py"]["violations"] == [
        {"code": "E501", "line": 1, "column": 80, "message": "line too long (96 > 79 characters)"}]
    assert (files["lib/broken.py"]["error_kind"], files["lib/broken.py"]["loc"]) == ("syntax", 0)


def test_an_older_revision(project):
    data = json.loads(run(str(project.path), "--rev", "HEAD~1", "--format", "json"))
    assert [item["path"] for item in data["files"]] == ["app.py", "lib/__init__.py"]


def test_a_registered_repositorys_settings(project):
    Repository.objects.create(name="proj", path=str(project.path), config={"max_line_length": 120})
    data = json.loads(run(str(project.path), "--repository", "proj", "--format", "json"))
    assert {item["path"]: item["violations"] for item in data["files"]}["lib/long.py"] == []


@pytest.mark.parametrize(("args", "message"), [
    (["--rev", "nope"], "does not name a commit"),
    (["--rev=--all"], "not a revision"),
    (["--repository", "missing"], "No repository"),
    (["--workers", "-1"], "--workers"),
])
def test_errors_are_command_errors(project, args, message):
    with pytest.raises(CommandError, match=message):
        run(str(project.path), *args)


def test_a_path_that_is_no_repository(tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "absent"))
    with pytest.raises(CommandError, match="not a git repository"):
        run(str(tmp_path))
