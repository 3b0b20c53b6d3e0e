"""`debtboard evaluate`: the ranking at DATE against the fixes after it, on real git repositories built here."""
import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from metrics.models import FileScore
from metrics.services.evaluation import repository_evaluate
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.signals import scan_finished
from tests.gitrepo import BASE_DATE, GitRepo, init_repo

pytestmark = pytest.mark.django_db

DATE = BASE_DATE + timedelta(days=60)
HORIZON = "23"  # to the last commit (day 83)
ADA = "Ada Lovelace <ada@example.com>"


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


def source(name: str, branches: int, *, lines: int = 60, version: int = 0) -> str:
    """A module of `branches` + 1 total complexity and about `lines` + 2 * branches source lines."""
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(branches))
    padding = "".join(f"{name.upper()}_{i} = {i}\n" for i in range(lines))
    return f"VERSION = {version}\n{padding}\n\ndef {name}(x):\n{body}    return -1\n"


def at(days: float):
    return BASE_DATE + timedelta(days=days)


def merge(repo: GitRepo, branch: str, message: str, days: float) -> None:
    when = at(days).isoformat()
    repo.git("merge", "-q", "--no-ff", "-m", message, branch,
             env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def build_history(repo: GitRepo, *, future: bool = True) -> GitRepo:
    """bad.py and simple.py change often before DATE; after it bad.py gets the fixes, calm.py a rework.

    Before DATE: bad.py (complexity 21) changes 10 times; calm.py (25, the largest file) twice; simple.py
    (complexity 1) 11 times; other.py 3 times. After DATE: bad.py moves to pkg/ and gets 3 fixes; calm.py
    gets 8 non-fix reworks that make it the most complex, most changed file (a leak would rank it first),
    and a fix on a branch merged by a merge commit whose message says "fix"; other.py one fix. A branch
    authored before DATE and merged after it is neither the ranking's past nor a fix.
    """
    repo.commit("start", author=ADA, date=at(0), files={
        "bad.py": source("bad", 20), "calm.py": source("calm", 24, lines=90), "simple.py": source("simple", 0),
        "other.py": source("other", 10), "tests/test_bad.py": source("test_bad", 12), "README.md": "# x\n",
    })
    for step in range(1, 11):
        repo.commit(f"Rework bad {step}", author=ADA, date=at(step * 5),
                    files={"bad.py": source("bad", 20, version=step)})
        repo.commit(f"Tune simple {step}", author=ADA, date=at(step * 5 + 1),
                    files={"simple.py": source("simple", 0, version=step)})
    repo.commit("Tune simple 11", author=ADA, date=at(52), files={"simple.py": source("simple", 0, version=11)})
    repo.commit("Touch calm", author=ADA, date=at(53), files={"calm.py": source("calm", 24, lines=90, version=1)})
    for step in range(1, 4):
        repo.commit(f"Extend other {step}", author=ADA, date=at(53 + step),
                    files={"other.py": source("other", 10, version=step)})
    repo.git("checkout", "-q", "-b", "late")
    repo.commit("Fix other early, merged late", author=ADA, date=at(58),
                files={"other.py": source("other", 10, version=99)})
    repo.git("checkout", "-q", "main")
    if future:
        add_future(repo)
    return repo


def add_future(repo: GitRepo) -> None:
    merge(repo, "late", "Merge branch 'late'", 61)
    repo.move("bad.py", "pkg/bad.py")
    repo.commit("Move bad into pkg", author=ADA, date=at(62))
    for step in range(1, 4):
        repo.commit(f"Fix crash in bad ({step})", author=ADA, date=at(62 + step),
                    files={"pkg/bad.py": source("bad", 20, version=100 + step)})
    for step in range(1, 9):
        repo.commit(f"Rework calm {step}", author=ADA, date=at(70 + step),
                    files={"calm.py": source("calm", 40, lines=90, version=step)})
    repo.commit("fix typo in other", author=ADA, date=at(80), files={"other.py": source("other", 10, version=50)})
    repo.git("checkout", "-q", "-b", "fix-calm")
    repo.commit("Fix calm for None", author=ADA, date=at(81),
                files={"calm.py": source("calm", 40, lines=90, version=77)})
    repo.git("checkout", "-q", "main")
    repo.commit("Docs", author=ADA, date=at(82), files={"README.md": "# y\n"})
    merge(repo, "fix-calm", "Merge branch 'fix-calm'", 83)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> GitRepo:
    """Built once for the module (the evaluation only reads it)."""
    return build_history(init_repo(tmp_path_factory.mktemp("evaluate") / "repo"))


@pytest.fixture(scope="module")
def past_only(tmp_path_factory) -> GitRepo:
    """The same commits up to DATE, and nothing after it."""
    return build_history(init_repo(tmp_path_factory.mktemp("evaluate") / "past"), future=False)


def evaluate(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate", *args, "--workers", "1", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def evaluate_json(*args: str) -> dict:
    return json.loads(evaluate(*args, "--format", "json"))


def touches(result: dict) -> dict[str, int]:
    return {item["path"]: item["fix_touches"] for item in result["files"]}


def test_the_file_that_gets_the_fixes_ranks_first(history):
    result = evaluate_json(str(history.path), "--at", DATE.date().isoformat(), "--horizon", HORIZON)
    first = result["files"][0]
    assert (first["path"], first["hotspot_rank"], first["ranked"], first["fix_touches"]) == ("bad.py", 1, True, 3)
    assert touches(result) == {"bad.py": 3, "calm.py": 1, "other.py": 1, "simple.py": 0}  # tests/ left out
    assert result["classes"] == ["production"] and result["complete"] is True
    assert (result["fix_commits"], result["fix_touches"], result["files_fixed"]) == (5, 5, 3)
    shares = {item["ranking"]: item["top_share"] for item in result["rankings"]}
    assert shares["hotspot"] == 0.6  # the top 10 % of 4 files is bad.py: 3 of the 5 touches
    assert shares["size"] == shares["complexity"] == 0.2  # calm.py first
    assert shares["revisions"] == 0.0  # simple.py first


def test_the_table_shows_each_ranking_and_the_head_of_the_hotspot_list(history):
    out = evaluate(str(history.path), "--at", DATE.isoformat(), "--horizon", HORIZON, "--top", "2")
    assert "4 production files: 5 fix commits touched 3 of them 5 times" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.split()[:1] in (
        ["hotspot"], ["churn"], ["complexity"], ["size"], ["revisions"])}
    assert rows["hotspot"][0] == "60%" and rows["size"][0] == "20%"
    head = out.split("Head of the hotspot ranking:")[1]
    assert "bad.py" in head and "pkg/bad.py" not in head and len(head.strip().splitlines()) == 4  # 2 rows


def ranking(result: dict) -> list[dict]:
    return [{key: value for key, value in item.items() if key != "fix_touches"} for item in result["files"]]


def test_the_ranking_never_sees_anything_after_the_date(history, past_only):
    """Later commits would put calm.py first (8 more revisions, complexity 41): the ranking is the past's."""
    assert past_only.head() == history.git("rev-parse", "HEAD~16")  # the same commits up to the date
    later = evaluate_json(str(history.path), "--at", DATE.isoformat(), "--horizon", HORIZON, "--all-classes")
    before = evaluate_json(str(past_only.path), "--at", DATE.isoformat(), "--horizon", HORIZON, "--all-classes")
    assert ranking(later) == ranking(before)
    assert later["cut_sha"] == before["cut_sha"] == past_only.head()
    files = {item["path"]: item for item in later["files"]}
    assert (files["calm.py"]["revisions"], files["calm.py"]["complexity"], files["calm.py"]["ranked"]) == (2, 25, False)
    assert files["other.py"]["revisions"] == 4  # the "late" branch's commit is not an ancestor of the cut
    assert "pkg/bad.py" not in files
    assert sum(touches(before).values()) == 0  # nothing follows the date in the past-only repository


def test_merges_are_not_counted_as_fixes(history):
    result = evaluate_json(str(history.path), "--at", DATE.isoformat(), "--horizon", HORIZON)
    assert touches(result)["calm.py"] == 1  # the branch's own fix, not again through "Merge branch 'fix-calm'"
    assert result["merges_skipped"] == 1


def test_fixes_authored_before_the_date_are_not_counted(history):
    """The "late" branch's fix was committed before DATE and merged after it: neither past nor future."""
    result = evaluate_json(str(history.path), "--at", DATE.isoformat(), "--horizon", HORIZON)
    assert touches(result)["other.py"] == 1  # "fix typo in other" only


def test_the_fix_pattern_is_an_option(history):
    result = evaluate_json(str(history.path), "--at", DATE.isoformat(), "--horizon", HORIZON,
                           "--fix-pattern", "^rework")
    assert touches(result) == {"bad.py": 0, "calm.py": 8, "other.py": 0, "simple.py": 0}
    assert result["fix_commits"] == 8 and result["fix_pattern"] == "^rework"
    with pytest.raises(CommandError, match="not a regular expression"):
        evaluate(str(history.path), "--at", DATE.isoformat(), "--fix-pattern", "fix(")


def test_the_horizon_limits_the_fixes_counted(history):
    result = evaluate_json(str(history.path), "--at", DATE.isoformat(), "--horizon", "4")
    assert touches(result) == {"bad.py": 2, "calm.py": 0, "other.py": 0, "simple.py": 0}  # days 63 and 64
    assert result["until"] == (DATE + timedelta(days=4)).isoformat()


def test_a_registered_repository_is_evaluated_with_its_settings(history):
    repository_create(source=str(history.path), name="sample", config={"hotspot_min_revisions": 1})
    result = evaluate_json("sample", "--at", DATE.isoformat(), "--horizon", HORIZON, "--window", "90")
    assert result["repository"] == "sample" and result["window_days"] == 90
    calm = next(item for item in result["files"] if item["path"] == "calm.py")
    assert calm["ranked"] is True  # two revisions meet this repository's minimum of one


def test_the_ranking_is_the_scan_of_the_cut_commit(history):
    repository = repository_create(source=str(history.path), name="sample")
    result = repository_evaluate(repo="sample", at=DATE, horizon_days=int(HORIZON), all_classes=True, workers=1)
    scan = scan_run(scan_id=scan_request(repository=repository, revision=result.cut_sha, enqueue=False).pk)
    assert scan.succeeded
    stored = list(FileScore.objects.filter(scan=scan, window_days=365).order_by("hotspot_rank")
                  .values_list("path", "hotspot_score", "hotspot_rank", "revisions", "churn", "complexity"))
    assert [(item.path, item.hotspot_score, item.hotspot_rank, item.revisions, item.churn, item.complexity)
            for item, _touches in result.files] == stored


def test_a_horizon_past_the_history_is_flagged(history):
    out = evaluate(str(history.path), "--at", DATE.isoformat(), "--horizon", "365")
    assert "Warning: the repository's history ends before the horizon does" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--at", "2023-01-01"], "No commit is as old as"),
    (["--at", "yesterday"], "is not a date"),
    (["--at", "2024-03-01", "--horizon", "0"], "The horizon is 1 to"),
    (["--at", "2024-03-01", "--top", "-1"], "--top must be"),
])
def test_invalid_requests_are_refused_with_a_reason(history, args, message):
    with pytest.raises(CommandError, match=message):
        evaluate(str(history.path), *args)


def test_an_unknown_repository_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No repository 'nowhere'"):
        evaluate("nowhere", "--at", "2024-03-01")
