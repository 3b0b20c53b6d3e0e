"""history_mine with real git and a real database: bulk storage, incremental mining, force-push re-mining."""
import os
from pathlib import Path

import pytest

import metrics.services.history as history_service
from metrics.data import RepositoryConfig
from metrics.errors import GitFailed
from metrics.models import Commit, FileChange, Repository
from metrics.services.history import MiningResult, history_mine
from tests.gitrepo import init_repo
from tests.metrics.history_scenario import ADA, GRACE, NAIVE, build_scenario, day

pytestmark = pytest.mark.django_db
ORDER = ("c10", "c9", "c8", "c7", "c6", "c5", "c4", "c3", "c2", "c1")


@pytest.fixture
def scenario(git_repo):
    return build_scenario(git_repo)


@pytest.fixture
def repository(scenario):
    return Repository.objects.create(name="demo", path=str(scenario.repo.path))


def mine(repository, scenario, sha, config=None, **kwargs) -> MiningResult:
    return history_mine(repository=repository, repo_path=str(scenario.repo.path), commit_sha=sha,
                        config=config or RepositoryConfig(), **kwargs)


def stored(repository) -> dict[str, Commit]:
    return {commit.sha: commit for commit in Commit.objects.filter(repository=repository)}


@pytest.fixture
def mined(repository, scenario) -> MiningResult:
    """The whole scenario mined at its tip."""
    return mine(repository, scenario, scenario.tip)


def test_mining_reports_and_remembers_what_it_mined(repository, scenario, mined):
    assert (mined.new_commits, mined.total_commits, mined.remined, mined.excluded_commits) == (10, 10, False, 1)
    assert mined.duration >= 0
    repository.refresh_from_db()
    assert repository.mined_head == scenario.tip


def test_mining_stores_commits(repository, scenario, mined):
    shas = scenario.shas
    commits = stored(repository)
    assert set(commits) == {shas[name] for name in ORDER}  # the merge is skipped
    c2 = commits[shas["c2"]]
    assert (c2.author_name, c2.author_email, c2.authored_at, c2.subject) == (
        "Grace Hopper", "grace@example.com", day(10), "Return two, add gamma",
    )
    assert [name for name in ORDER if commits[shas[name]].is_excluded] == ["c9"]
    assert commits[shas["c1"]].files_changed == 5


def test_mining_stores_file_changes(repository, scenario, mined):
    shas = scenario.shas
    rows = {
        (change.commit.sha, change.path): (change.old_path, change.change_type, change.added, change.deleted,
                                           change.is_binary, change.authored_at)
        for change in FileChange.objects.filter(repository=repository).select_related("commit")
    }
    assert len(rows) == 16
    assert rows[(shas["c3"], "app/engine.py")] == ("app/core.py", "R", 1, 0, False, day(20))
    assert rows[(shas["c4"], "logo.png")] == ("", "M", None, None, True, day(30))
    assert rows[(shas["c4"], NAIVE)] == ("", "A", 4, 0, False, day(30))
    assert rows[(shas["c7"], "app/util.py")] == ("", "D", 0, 5, False, day(60))
    assert rows[(shas["c8"], "app/util.py")] == ("", "A", 3, 0, False, day(70))


def test_progress_reports_commits_parsed_against_the_total(repository, scenario):
    calls = []
    mine(repository, scenario, scenario.tip, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 10) and calls[-1] == (10, 10)


def test_small_batches_store_the_same_rows(repository, scenario, monkeypatch):
    monkeypatch.setattr(history_service, "BATCH_ROWS", 3)
    result = mine(repository, scenario, scenario.tip)
    assert (result.new_commits, result.total_commits) == (10, 10)
    assert FileChange.objects.filter(repository=repository).count() == 16


def test_a_later_mine_reads_only_new_commits(repository, scenario):
    shas = scenario.shas
    first = mine(repository, scenario, shas["c4"])
    assert (first.new_commits, first.total_commits) == (4, 4)
    calls = []
    second = mine(repository, scenario, scenario.tip, progress=lambda done, total: calls.append((done, total)))
    assert (second.new_commits, second.total_commits, second.remined) == (6, 10, False)
    assert calls[-1] == (6, 6)  # only mined_head..tip was parsed
    again = mine(repository, scenario, scenario.tip)
    assert (again.new_commits, again.total_commits) == (0, 10)


def test_a_force_push_is_detected_and_history_mined_again(repository, scenario):
    shas = scenario.shas
    mine(repository, scenario, scenario.tip)
    repo = scenario.repo
    repo.git("reset", "-q", "--hard", shas["c8"])
    rewritten = repo.commit("Another ninth", author=ADA, date=day(90), files={"app/engine.py": "# rewritten\n"})
    result = mine(repository, scenario, rewritten)
    assert (result.new_commits, result.total_commits, result.remined) == (9, 9, True)
    commits = stored(repository)
    assert shas["c9"] not in commits and shas["c10"] not in commits and rewritten in commits
    assert FileChange.objects.filter(repository=repository, commit__sha=shas["c10"]).count() == 0
    repository.refresh_from_db()
    assert repository.mined_head == rewritten


def test_an_amended_tip_is_a_rewrite(repository, scenario):
    mine(repository, scenario, scenario.tip)
    scenario.repo.git("commit", "-q", "--amend", "-m", "Gamma returns four, amended")
    amended = scenario.repo.head()
    result = mine(repository, scenario, amended)
    assert (result.remined, result.new_commits, result.total_commits) == (True, 10, 10)
    assert scenario.tip not in stored(repository)


def test_backfill_mining_leaves_the_head_alone(repository, scenario):
    shas = scenario.shas
    mine(repository, scenario, scenario.tip)
    old = mine(repository, scenario, shas["c4"], update_head=False)
    assert (old.new_commits, old.total_commits, old.remined) == (0, 10, False)
    repo = scenario.repo
    repo.git("checkout", "-q", "-b", "experiment", shas["c4"])
    side = repo.commit("An experiment", author=ADA, date=day(35), files={"app/experiment.py": "E = 1\n"})
    backfill = mine(repository, scenario, side, update_head=False)
    assert (backfill.new_commits, backfill.total_commits, backfill.remined) == (1, 11, False)
    repository.refresh_from_db()
    assert repository.mined_head == scenario.tip
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the experiment", "experiment")
    newest = repo.commit("After the merge", author=GRACE, date=day(110), files={"app/util.py": "X = 1\n"})
    later = mine(repository, scenario, newest)
    assert (later.new_commits, later.total_commits, later.remined) == (1, 12, False)  # the experiment is known


def test_merges_are_stored_when_configured(repository, scenario):
    result = mine(repository, scenario, scenario.tip, config=RepositoryConfig(include_merges=True))
    assert result.new_commits == 11
    merge = Commit.objects.get(repository=repository, sha=scenario.shas["merge"])
    assert merge.is_merge and merge.files_changed == 1


def test_mechanical_commits_are_excluded(repository, scenario):
    result = mine(repository, scenario, scenario.tip, config=RepositoryConfig(max_files_per_commit=2, bot_authors=()))
    assert result.excluded_commits == 1
    assert list(Commit.objects.filter(repository=repository, is_excluded=True).values_list("sha", flat=True)) == [
        scenario.shas["c1"]
    ]


def test_non_utf8_paths_are_stored(tmp_path: Path):
    repo = init_repo(tmp_path / "odd")
    with open(os.path.join(os.fsencode(repo.path), b"caf\xe9 \x01menu.py"), "wb") as handle:
        handle.write(b"x = 1\n")
    sha = repo.commit("odd")
    repository = Repository.objects.create(name="odd", path=str(repo.path))
    history_mine(repository=repository, repo_path=str(repo.path), commit_sha=sha, config=RepositoryConfig())
    assert list(FileChange.objects.filter(repository=repository).values_list("path", flat=True)) == [
        "caf\ufffd \x01menu.py"
    ]


@pytest.mark.parametrize("sha", ["HEAD", "--output=/tmp/x", "0" * 40])
def test_bad_revisions_are_refused(repository, scenario, sha):
    with pytest.raises(GitFailed):
        mine(repository, scenario, sha)
    assert Commit.objects.filter(repository=repository).count() == 0
