"""A shallow clone's graft commit counts for no function's churn, also when it is a commit mined before."""
import shutil
import subprocess
from datetime import timedelta

import pytest

from metrics.models import FileScore, FunctionScore, Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.services.scoring_history import history_cache_discard
from tests.gitrepo import BASE_DATE, init_repo

pytestmark = pytest.mark.django_db


def core_module(week: int) -> str:
    return "".join(f"def f{n}(x):\n    if x:\n        return {week}\n    return {n}\n\n\n" for n in range(3))


@pytest.fixture
def origin(tmp_path):
    """Six weekly commits: each changes core.py's three functions and adds mod<week>.py with a function g."""
    repo = init_repo(tmp_path / "origin")
    for week in range(6):
        files = {"core.py": core_module(week), f"mod{week}.py": f"def g():\n    return {week}\n"}
        repo.commit(f"week {week}", files=files, date=BASE_DATE + timedelta(weeks=week))
    return repo


def clone(origin, path, depth: int):
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", "--depth", str(depth), f"file://{origin.path}", str(path)], check=True,
                   capture_output=True)


def function_changes(scan: Scan) -> dict[str, int]:
    rows = FunctionScore.objects.filter(scan=scan).values_list("path", "qualname", "changes")
    return {f"{path}:{qualname}": changes for path, qualname, changes in rows}


def scan_of(repository) -> Scan:
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    return scan


def test_functions_only_the_graft_holds_have_no_changes_in_a_shallow_clone(origin, tmp_path):
    clone(origin, tmp_path / "clone", depth=3)  # the graft is week 3
    changes = function_changes(scan_of(repository_create(source=str(tmp_path / "clone"))))
    assert changes == {"core.py:f0": 2, "core.py:f1": 2, "core.py:f2": 2, "mod4.py:g": 1, "mod5.py:g": 1,
                       "mod0.py:g": 0, "mod1.py:g": 0, "mod2.py:g": 0, "mod3.py:g": 0}


def test_a_graft_that_was_mined_as_a_real_commit_counts_for_no_function(origin, tmp_path):
    path = tmp_path / "clone"
    clone(origin, path, depth=5)  # graft: week 1; weeks 2 to 5 are mined
    repository = repository_create(source=str(path))
    scan_of(repository)
    clone(origin, path, depth=3)  # the same repository cloned shallower: week 3, a mined commit, is the graft now
    history_cache_discard(repository_id=repository.pk)  # as on a worker without the cache: patches come from git
    scan = scan_of(repository)
    changes = function_changes(scan)
    # In the clone the graft's patch adds every file it holds; it is left out, so mod0.py and mod1.py
    # (never changed by a mined commit) show no change, as at file level.
    assert changes["mod0.py:g"] == changes["mod1.py:g"] == 0
    revisions = dict(FileScore.objects.filter(scan=scan, window_days=0).values_list("path", "revisions"))
    assert revisions["mod0.py"] == revisions["mod1.py"] == 0
    assert changes["core.py:f0"] == 2  # weeks 4 and 5; the graft (week 3) is not counted
