"""The scoring history cache: a scan built on the previous scan's history scores exactly as one from scratch.

Real git repositories (the history scenario, then more commits on top), the real scan pipeline and a
real database; every stored score row of a cached scan is compared with a scoring from scratch.
"""
import logging
import pickle

import pytest

from metrics.data import repository_config_from_json
from metrics.models import CodeOwner, Coupling, FileAuthor, FileScore, FunctionScore, Scan
from metrics.services import scoring_history
from metrics.services.repositories import repository_create, repository_delete
from metrics.services.scans.backfill import scan_backfill
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.services.scoring import scan_score
from metrics.services.scoring_history import CACHE_FOLDER, history_cache_discard
from metrics.signals import scan_finished
from tests.metrics.history_scenario import ENGINE_V10, GRACE, build_scenario, day

pytestmark = pytest.mark.django_db
DETAIL_MODELS = (FileScore, FunctionScore, Coupling, FileAuthor, CodeOwner)


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


@pytest.fixture
def scenario(git_repo):
    return build_scenario(git_repo)


@pytest.fixture
def repository(scenario):
    return repository_create(source=str(scenario.repo.path), name="demo")


def scan_at(repository, revision: str, **kwargs) -> Scan:
    scan = scan_request(repository=repository, revision=revision, enqueue=False, **kwargs)
    scan = scan_run(scan_id=scan.pk)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    return scan


def scoring_counts(scan: Scan) -> tuple[bool, int]:
    counts = scan.counts["scoring"]
    return counts["history_from_cache"], counts["history_commits_read"]


def details(scan: Scan) -> dict[str, list]:
    """Every score row of the scan, without ids, in a stable order."""
    result = {}
    for model in DETAIL_MODELS:
        rows = model.objects.filter(scan=scan).values()
        result[model.__name__] = sorted(
            (tuple(sorted((key, repr(value)) for key, value in row.items() if key not in ("id", "scan_id")))
             for row in rows)
        )
    return result


def rescored_from_scratch(scan: Scan) -> dict[str, list]:
    history_cache_discard(repository_id=scan.repository_id)
    result = scan_score(scan=scan, repo_path=scan.repository.path,
                        config=repository_config_from_json(scan.repository.config))
    assert not result.history_from_cache
    return details(scan)


def cache_files(settings) -> list:
    return sorted(settings.DATA_DIR.joinpath(*CACHE_FOLDER).glob("*.pickle"))


@pytest.mark.parametrize("base", ["c4", "c6", "c8"])
def test_a_scan_on_the_cache_scores_exactly_as_from_scratch(repository, scenario, base):
    first = scan_at(repository, scenario.shas[base])
    assert scoring_counts(first)[0] is False
    tip = scan_at(repository, scenario.tip)
    new_commits = int(scenario.repo.git("rev-list", "--count", "--no-merges", f"{scenario.shas[base]}..{scenario.tip}"))
    assert scoring_counts(tip) == (True, new_commits)
    cached = details(tip)
    assert cached["FileScore"] and cached["FunctionScore"] and cached["FileAuthor"]
    assert cached == rescored_from_scratch(tip)


def test_renames_in_new_commits_rename_the_cached_history(repository, scenario, settings):
    scan_at(repository, scenario.shas["c8"])
    repo = scenario.repo
    repo.move("app/engine.py", "app/motor.py")
    moved = repo.commit("Engine becomes motor", author=GRACE, date=day(110),
                        files={"app/motor.py": ENGINE_V10.replace("return 4", "return 5")})
    scan = scan_at(repository, moved)
    assert scoring_counts(scan) == (True, 3)  # c9, c10 and the rename, on the cache of c8
    motor = FileScore.objects.get(scan=scan, window_days=0, path="app/motor.py")
    assert motor.revisions == 6  # c1 and c2 (as core.py), c3, c5 and c10 (as engine.py), the rename
    assert not FileScore.objects.filter(scan=scan, path="app/engine.py").exists()
    assert details(scan) == rescored_from_scratch(scan)


def test_a_side_branch_commit_dated_between_two_scans_leaves_the_cache_usable(repository, scenario):
    # c5 (branch feature, day 40) is mined once the tip is scanned, and is dated between c4 (day 30) and
    # c6 (day 45), but c6 cannot see it (it is merged after c6): the scan of c6 builds on c4's history.
    scan_at(repository, scenario.tip)
    scan_at(repository, scenario.shas["c4"])
    newer = scan_at(repository, scenario.shas["c6"])
    assert scoring_counts(newer) == (True, 1)
    assert details(newer) == rescored_from_scratch(newer)


def test_same_commit_again_reads_nothing_new(repository, scenario):
    scan_at(repository, scenario.tip)
    again = scan_at(repository, scenario.tip)
    assert scoring_counts(again) == (True, 0)
    assert details(again) == rescored_from_scratch(again)


def test_an_older_revision_is_scored_from_scratch(repository, scenario):
    scan_at(repository, scenario.tip)
    older = scan_at(repository, scenario.shas["c6"])
    assert scoring_counts(older)[0] is False  # the cached commit is not an ancestor of c6
    assert details(older) == rescored_from_scratch(older)


def test_a_force_push_voids_the_cache(repository, scenario, settings):
    repository.default_revision = "main"
    repository.save()
    scan_at(repository, "main")
    before = cache_files(settings)
    repo = scenario.repo
    repo.git("reset", "-q", "--hard", scenario.shas["c8"])
    repo.commit("Rewritten", author=GRACE, date=day(90), files={"app/util.py": "def helper():\n    return 9\n"})
    scan = scan_at(repository, "main")
    assert scan.counts["mining"]["remined"] is True
    assert scoring_counts(scan)[0] is False
    after = cache_files(settings)
    assert len(before) == len(after) == 1 and before != after  # named by the new history token
    assert details(scan) == rescored_from_scratch(scan)


def test_a_broken_cache_file_is_ignored_with_a_warning(repository, scenario, settings, caplog):
    scan_at(repository, scenario.shas["c8"])
    [path] = cache_files(settings)
    path.write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING, logger=scoring_history.__name__):
        scan = scan_at(repository, scenario.tip)
    assert scoring_counts(scan)[0] is False
    assert "Ignoring the scoring history cache" in caplog.text
    assert pickle.loads(path.read_bytes())["commit_sha"] == scenario.tip  # rewritten from scratch


def test_a_cache_of_another_format_version_is_ignored(repository, scenario, settings, monkeypatch):
    scan_at(repository, scenario.shas["c8"])
    monkeypatch.setattr(scoring_history, "CACHE_VERSION", scoring_history.CACHE_VERSION + 1)
    scan = scan_at(repository, scenario.tip)
    assert scoring_counts(scan)[0] is False


def test_the_cache_is_rewritten_only_after_enough_new_commits(repository, scenario, settings, monkeypatch):
    monkeypatch.setattr(scoring_history, "CACHE_REWRITE_AFTER", 2)
    scan_at(repository, scenario.shas["c7"])
    [path] = cache_files(settings)
    assert pickle.loads(path.read_bytes())["commit_sha"] == scenario.shas["c7"]
    scan_at(repository, scenario.shas["c9"])  # two new commits: built on the cache, which stays
    assert pickle.loads(path.read_bytes())["commit_sha"] == scenario.shas["c7"]
    scan = scan_at(repository, scenario.tip)  # three: the cache moves to the tip
    assert scoring_counts(scan) == (True, 3)
    assert pickle.loads(path.read_bytes())["commit_sha"] == scenario.tip


def test_a_write_failure_is_logged_and_the_scan_succeeds(repository, scenario, settings, caplog):
    settings.DATA_DIR.joinpath(CACHE_FOLDER[0]).write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING, logger=scoring_history.__name__):
        scan = scan_at(repository, scenario.tip)
    assert "Could not keep the scoring history" in caplog.text
    assert FileScore.objects.filter(scan=scan).exists()


def test_backfill_scans_leave_the_cache_alone(repository, scenario, settings):
    repository.default_revision = "main"
    repository.save()
    scan_at(repository, "main")
    [path] = cache_files(settings)
    before = path.read_bytes()
    past = scan_backfill(repository=repository, spec="weekly:4", enqueue=False)
    assert past
    for backfill in past:
        assert scan_run(scan_id=backfill.pk).status == Scan.Status.SUCCEEDED
    assert path.read_bytes() == before


def test_deleting_the_repository_deletes_its_cache(repository, scenario, settings, django_capture_on_commit_callbacks):
    scan_at(repository, scenario.tip)
    assert cache_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        repository_delete(repository=repository)
    assert cache_files(settings) == []


def test_many_new_commits_are_read_in_chunks(repository, scenario, monkeypatch):
    monkeypatch.setattr(scoring_history, "_SHA_CHUNK", 2)  # every query and git command line takes two
    scan_at(repository, scenario.shas["c4"])
    tip = scan_at(repository, scenario.tip)
    assert scoring_counts(tip) == (True, 6)  # c5 to c10 (the merge is not mined)
    assert details(tip) == rescored_from_scratch(tip)


def test_patches_from_one_ranged_log_score_as_patches_read_by_name(repository, scenario, monkeypatch):
    by_name = scan_at(repository, scenario.tip)
    monkeypatch.setattr(scoring_history, "PATCHES_BY_NAME_LIMIT", 0)  # every missing patch: the ranged log
    history_cache_discard(repository_id=repository.pk)
    ranged = scan_at(repository, scenario.tip)
    assert scoring_counts(ranged)[0] is False
    assert details(ranged) == details(by_name)
    assert FunctionScore.objects.filter(scan=ranged, changes__gt=0).exists()


def test_each_backfilled_point_scores_as_a_full_scan_of_its_revision(repository, scenario, git_repo):
    # A backfill's scans share the mined history read once in this process (a past revision is a cut
    # of it); each point must still equal a scan of that revision by a repository that never saw more.
    repository.default_revision = "main"
    repository.save()
    scan_at(repository, "main")
    past = scan_backfill(repository=repository, spec="weekly:8", enqueue=False)
    assert len(past) >= 3
    for backfill in past:
        assert scan_run(scan_id=backfill.pk).status == Scan.Status.SUCCEEDED
    for backfill in past:
        backfill.refresh_from_db()
        alone = repository_create(source=str(scenario.repo.path), name=f"alone-{backfill.pk}")
        full = scan_at(alone, backfill.commit_sha)
        assert (full.commit_sha, full.committed_at) == (backfill.commit_sha, backfill.committed_at)
        assert details(backfill) == details(full)
        assert backfill.summary == full.summary
