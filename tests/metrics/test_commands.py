"""The metrics CLI: addrepo, scan, hotspots, coupling, owners and demo, through call_command."""
import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from metrics.models import Repository, Scan
from metrics.signals import scan_finished
from metrics.services.repositories import repository_create
from tests.gitrepo import BASE_DATE, init_repo
from tests.metrics.test_scans import build_sample_repo

pytestmark = pytest.mark.django_db

LOW_COUPLING_THRESHOLDS = {"coupling_min_revisions": 1, "coupling_min_shared": 1, "coupling_min_degree": 0.0}


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def scanned(git_repo):
    """The sample project with a CODEOWNERS file, registered as "sample" and scanned once."""
    git_repo.write(".github/CODEOWNERS", "*.py @everyone\napp/core.py @core-team @ada\n")
    build_sample_repo(git_repo)
    repository = repository_create(source=str(git_repo.path), name="sample", config=LOW_COUPLING_THRESHOLDS)
    out, err = run("scan", "sample")
    assert "succeeded" in out
    return repository


def test_addrepo_registers_and_lists(git_repo):
    git_repo.commit("first", files={"a.py": "x = 1\n"})
    out, _ = run("addrepo", str(git_repo.path), "--name", "mine")
    assert "Registered mine" in out and "debtboard scan mine" in out
    out, _ = run("addrepo", "--list")
    lines = out.splitlines()
    assert lines[0].split() == ["name", "kind", "source", "revision", "current", "commit", "scanned", "at"]
    assert lines[2].split()[:3] == ["mine", "local", str(git_repo.path.resolve())]
    listed = json.loads(run("addrepo", "--list", "--format", "json")[0])
    assert listed[0]["name"] == "mine" and listed[0]["current_commit"] is None


@pytest.mark.parametrize("source", ["file:///etc", "ext::sh -c id", "http://example.com/r.git"])
def test_addrepo_refuses_unsafe_sources_with_the_reason(source):
    with pytest.raises(CommandError, match="not allowed"):
        run("addrepo", source)
    assert not Repository.objects.exists()


def test_addrepo_refuses_option_lookalikes_after_double_dash():
    with pytest.raises(CommandError, match="cannot start with '-'"):
        run("addrepo", "--", "--upload-pack=touch /tmp/pwned")


def test_scan_prints_the_outcome_and_logs_stages_when_not_a_terminal(scanned):
    out, err = run("scan", "sample")
    assert "Scan" in out and "succeeded" in out and "Python files" in out
    for stage in ("fetching", "mining", "analysis", "scoring"):
        assert f"{stage} ..." in err
        assert f"{stage} done in" in err
    assert Scan.objects.filter(repository=scanned, status="succeeded").count() == 2


def test_scan_failure_exits_non_zero_with_the_message(scanned):
    with pytest.raises(CommandError, match="no-such-rev") as caught:
        run("scan", "sample", "--rev", "no-such-rev")
    assert caught.value.returncode == 1


def test_scan_unknown_repository_says_how_to_list():
    with pytest.raises(CommandError, match="addrepo --list"):
        run("scan", "nope")


def test_scan_backfill(scanned):
    out, err = run("scan", "sample", "--backfill", "weekly:2")
    assert "Backfilled 2 past revisions" in out
    assert Scan.objects.filter(repository=scanned, is_backfill=True, status="succeeded").count() == 2
    out, _ = run("scan", "sample", "--backfill", "weekly:2")
    assert "Nothing to backfill" in out
    with pytest.raises(CommandError, match="daily:N, weekly:N or monthly:N"):
        run("scan", "sample", "--backfill", "hourly:3")


def _check_hotspots_table(out: str) -> None:
    """An aligned table whose window-dependent headings name the window, then a note on windows and scores."""
    table, note = out.split("\n\n")
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["rank", "all", "path", "score"]
    assert "revisions all" in lines[0] and "lines" in lines[0] and "sloc" in lines[0]
    assert "Columns marked all cover all history" in note and "relative to this repository" in note
    assert set(lines[1]) <= {"-", " "}
    # Aligned: every row's path starts where the heading's does.
    column = lines[0].index("path")
    assert all(line[column - 1] == " " and line[column] != " " for line in lines[2:])
    assert any("app/core.py" in line for line in lines[2:])


def test_hotspots_table_json_and_csv(scanned):
    _check_hotspots_table(run("hotspots", "sample", "--window", "0")[0])

    rows = json.loads(run("hotspots", "sample", "--window", "0", "--format", "json")[0])
    assert rows[0]["hotspot_rank"] == 1
    assert {row["path"] for row in rows} >= {"app/core.py", "app/util.py"}

    reader = csv.DictReader(io.StringIO(run("hotspots", "sample", "--window", "0", "--format", "csv")[0]))
    assert reader.fieldnames[:3] == ["hotspot_rank", "path", "hotspot_score"]
    assert len(list(reader)) == len(rows)

    top = json.loads(run("hotspots", "sample", "--window", "0", "--top", "1", "--format", "json")[0])
    assert len(top) == 1


def test_hotspots_functions(scanned):
    rows = json.loads(run("hotspots", "sample", "--functions", "--format", "json")[0])
    assert {"path", "qualname", "complexity", "changes", "hotspot_score", "sloc", "mi", "h_volume", "h_difficulty",
            "h_effort", "h_bugs"} <= set(rows[0])
    special = next(row for row in rows if row["qualname"] == "special")
    assert special["sloc"] > 0 and special["mi"] is not None
    assert {row["qualname"] for row in rows} >= {"classify", "special"}


def test_hotspots_before_any_scan_says_to_scan(git_repo):
    git_repo.commit("first", files={"a.py": "x = 1\n"})
    repository_create(source=str(git_repo.path), name="fresh")
    with pytest.raises(CommandError, match="debtboard scan fresh"):
        run("hotspots", "fresh")


def test_coupling_outputs(scanned):
    rows = json.loads(run("coupling", "sample", "--window", "0", "--format", "json")[0])
    pairs = {(row["path_a"], row["path_b"]) for row in rows}
    assert ("app/core.py", "app/util.py") in pairs
    out, _ = run("coupling", "sample", "--window", "0", "--file", "app/util.py")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["file", "coupled", "with"]
    assert all(line.startswith("app/util.py") for line in lines[2:]) and len(lines) > 2
    header = run("coupling", "sample", "--window", "0", "--format", "csv")[0].splitlines()[0]
    assert header == "path_a,path_b,degree,shared_revisions,revisions_a,revisions_b"


def _missing(text: str, *parts: str) -> list[str]:
    """The parts that `text` does not contain."""
    return [part for part in parts if part not in text]


def test_owners_outputs(scanned):
    data = json.loads(run("owners", "sample", "--format", "json")[0])
    assert set(data) == {"authors", "knowledge_islands", "code_owners"}
    core_authors = {row["author"] for row in data["authors"] if row["path"] == "app/core.py"}
    assert core_authors == {"Ada Lovelace", "Grace Hopper"}
    owners = {row["path"]: row["owners"] for row in data["code_owners"]}
    assert owners["app/core.py"] == ["@core-team", "@ada"]

    out, _ = run("owners", "sample", "--file", "app/core.py")
    assert _missing(out, "Authors over all history (share of added lines):", "CODEOWNERS:", "@core-team @ada") == []

    reader = csv.DictReader(io.StringIO(run("owners", "sample", "--format", "csv")[0]))
    assert reader.fieldnames == ["path", "author", "email", "commits", "added_lines", "share", "knowledge_island",
                                 "code_owners"]
    assert any(row["code_owners"] == "'@core-team @ada" for row in reader)  # @ starts a formula: defused


def test_demo_registers_scans_and_backfills(tmp_path):
    repo = build_sample_repo(init_repo(tmp_path / "project"))
    out, err = run("demo", "--repo", str(repo.path), "--backfill", "weekly:2")
    repository = Repository.objects.get(name="demo")
    assert repository.current_scan.status == "succeeded"
    assert Scan.objects.filter(repository=repository, is_backfill=True, status="succeeded").count() == 2
    assert "Where to look" in out and "debtboard hotspots demo" in out
    # Running it again is incremental and registers nothing new.
    run("demo", "--repo", str(repo.path), "--backfill", "weekly:2")
    assert Repository.objects.count() == 1


def test_demo_on_a_folder_that_is_not_a_repository_explains_and_succeeds(tmp_path):
    (tmp_path / "plain").mkdir()
    out, _ = run("demo", "--repo", str(tmp_path / "plain"))
    assert "not a git repository" in out and "addrepo" in out
    assert not Repository.objects.exists()


def test_demo_when_demo_names_another_folder_registers_under_its_own_name(tmp_path):
    first = init_repo(tmp_path / "first")
    first.commit("one", files={"a.py": "x = 1\n"}, date=BASE_DATE)
    second = init_repo(tmp_path / "second")
    second.commit("one", files={"b.py": "y = 1\n"}, date=BASE_DATE)
    run("demo", "--repo", str(first.path), "--backfill", "none")
    run("demo", "--repo", str(second.path), "--backfill", "none")
    assert set(Repository.objects.values_list("name", flat=True)) == {"demo", "second"}


def test_csv_output_defuses_spreadsheet_formulas(git_repo):
    """A file name and an author that a spreadsheet would run as formulas come out quoted, not runnable."""
    git_repo.commit("first", files={"=cmd.py": "def f(x):\n    return x\n"},
                    author="=HYPERLINK(1) <evil@example.com>", date=BASE_DATE)
    repository_create(source=str(git_repo.path), name="formulas")
    assert "succeeded" in run("scan", "formulas")[0]
    [row] = csv.DictReader(io.StringIO(run("hotspots", "formulas", "--window", "0", "--format", "csv")[0]))
    assert row["path"] == "'=cmd.py" and row["main_author"] == "'=HYPERLINK(1)"
    [owner] = csv.DictReader(io.StringIO(run("owners", "formulas", "--format", "csv")[0]))
    assert all(not value.startswith(("=", "+", "-", "@")) for value in owner.values())
    assert json.loads(run("hotspots", "formulas", "--window", "0", "--format", "json")[0])[0]["path"] == "=cmd.py"
