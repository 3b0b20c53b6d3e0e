"""scan_score with real git and a real database: every stored measure of the scenario, asserted exactly."""
import json
import math

import pytest

from debtboard.errors import InvalidInput
from metrics.data import CoupledFile, RepositoryConfig
from metrics.models import (
    BlobAnalysis,
    CodeOwner,
    Coupling,
    FileAuthor,
    FileScore,
    FunctionAnalysis,
    FunctionScore,
    Repository,
    Scan,
    SnapshotFile,
)
from metrics.selectors.hotspots import coupled_file_list, file_score_list, function_score_list, knowledge_island_list
from metrics.services.history import history_mine
from metrics.services.scoring import ScoringResult, scan_score
from tests.metrics.history_scenario import NAIVE, build_scenario, day

pytestmark = pytest.mark.django_db
# The scenario's files are tiny: the hotspot and island minimums (tested in test_scores_trust.py) are off here.
NO_MINIMUMS = {"hotspot_min_complexity": 0, "hotspot_min_sloc": 0, "hotspot_min_revisions": 1,
               "island_min_sloc": 0, "island_min_revisions": 1}
# A 90-day half-life (the default is no decay) so that the change frequencies below test the recency weighting.
CONFIG = RepositoryConfig(coupling_min_revisions=1, coupling_min_shared=1, coupling_min_degree=0.1, half_life_days=90,
                          **NO_MINIMUMS)
ENGINE, UTIL = "app/engine.py", "app/util.py"


def weight(age_days: float) -> float:
    return 0.5 ** (age_days / 90)


@pytest.fixture
def scenario(git_repo):
    return build_scenario(git_repo)


@pytest.fixture
def repository(scenario):
    repository = Repository.objects.create(name="demo", path=str(scenario.repo.path))
    history_mine(repository=repository, repo_path=str(scenario.repo.path), commit_sha=scenario.tip, config=CONFIG)
    return repository


def add_file(scan, scenario, path, *, loc, mi, complexity, violations=0, markers=0, functions=(), status="ok",
             fingerprint="t", sloc=0):
    """A snapshot file whose analysis is written here directly (the analysis stage is tested elsewhere)."""
    blob_sha = scenario.repo.git("rev-parse", f"{scan.commit_sha}:{path}")
    blob = BlobAnalysis.objects.create(
        blob_sha=blob_sha, fingerprint=f"{fingerprint}{scan.pk}", status=status, loc=loc, sloc=sloc, mi=mi,
        total_complexity=complexity, max_complexity=max((cc for *_rest, cc in functions), default=0),
        violation_count=violations, marker_count=markers, function_count=len(functions),
    )
    for name, lineno, endline, cc in functions:
        FunctionAnalysis.objects.create(blob=blob, kind="function", name=name.rsplit(".", 1)[-1], qualname=name,
                                        lineno=lineno, endline=endline, complexity=cc, rank="A")
    SnapshotFile.objects.create(scan=scan, path=path, blob_sha=blob_sha, analysis=blob)


def tip_scan(repository, scenario) -> Scan:
    scan = Scan.objects.create(repository=repository, revision="main", commit_sha=scenario.tip,
                               committed_at=day(100), status=Scan.Status.SUCCEEDED)
    add_file(scan, scenario, ENGINE, loc=15, sloc=12, mi=75.0, complexity=5, violations=3, markers=1,
             functions=[("alpha", 2, 5, 2), ("beta", 8, 11, 2), ("gamma", 14, 15, 1)])
    add_file(scan, scenario, UTIL, loc=4, sloc=4, mi=80.0, complexity=2, functions=[("helper", 1, 4, 2)])
    add_file(scan, scenario, NAIVE, loc=4, sloc=3, mi=90.0, complexity=1, functions=[("naive", 1, 2, 1)])
    return scan


def score(scan, scenario, config=CONFIG, **kwargs) -> ScoringResult:
    return scan_score(scan=scan, repo_path=str(scenario.repo.path), config=config, **kwargs)


def rows(scan, window):
    return {row.path: row for row in FileScore.objects.filter(scan=scan, window_days=window)}


@pytest.fixture
def scored(repository, scenario):
    """The tip's scan, scored with CONFIG."""
    scan = tip_scan(repository, scenario)
    score(scan, scenario)
    return scan


def test_every_window_scores_every_file(scored):
    every, recent = rows(scored, 0), rows(scored, 90)
    assert set(every) == set(recent) == set(rows(scored, 365)) == {ENGINE, UTIL, NAIVE}


def test_change_measures_follow_renames(scored):
    engine = rows(scored, 0)[ENGINE]  # c1 and c2 happened under its old name app/core.py
    assert (engine.revisions, engine.added, engine.deleted, engine.churn) == (5, 19, 4, 23)
    assert engine.change_frequency == pytest.approx(weight(100) + weight(90) + weight(80) + weight(60) + 1, abs=1e-6)
    assert (engine.authors, engine.main_author) == (2, "Ada Lovelace")
    assert engine.ownership_share == pytest.approx(13 / 19, abs=1e-6)
    assert engine.fragmentation == pytest.approx(0.48)
    assert (engine.first_seen, engine.last_changed, engine.age_days) == (day(0), day(100), 0)
    assert not engine.is_knowledge_island


def test_change_measures_follow_windows(scored):
    engine_recent = rows(scored, 90)[ENGINE]  # c2 is exactly 90 days old: inside the window
    assert (engine_recent.revisions, engine_recent.added, engine_recent.deleted) == (4, 9, 4)
    assert (engine_recent.main_author, engine_recent.fragmentation) == ("Grace Hopper", pytest.approx(0.5))
    assert engine_recent.first_seen == day(0)


def test_change_measures_count_every_change_of_a_re_added_path(scored):
    util = rows(scored, 0)[UTIL]  # added, deleted, re-added: every change to the path counts; the merge is skipped
    assert (util.revisions, util.added, util.deleted, util.churn, util.authors) == (4, 9, 5, 14, 2)
    assert util.change_frequency == pytest.approx(weight(55) + weight(40) + weight(30) + 1, abs=1e-6)
    assert (util.main_author, util.ownership_share, util.is_knowledge_island) == ("Grace Hopper", 1.0, True)
    assert util.fragmentation == pytest.approx(0.375)
    assert (util.first_seen, util.last_changed) == (day(45), day(100))


def test_change_measures_of_a_file_changed_once(scored):
    naive = rows(scored, 0)[NAIVE]
    assert (naive.revisions, naive.added, naive.authors, naive.age_days, naive.is_knowledge_island) == (
        1, 4, 1, 70, True,
    )
    assert naive.change_frequency == pytest.approx(weight(70), abs=1e-6)


def test_static_facts(scored):
    engine = rows(scored, 0)[ENGINE]
    assert (engine.loc, engine.complexity, engine.max_function_complexity, engine.violations, engine.markers) == (
        15, 5, 2, 3, 1,
    )
    assert engine.lint_density == 20.0


def test_hotspots(scored):
    every = rows(scored, 0)
    engine, util, naive = every[ENGINE], every[UTIL], every[NAIVE]
    frequencies = {path: row.change_frequency for path, row in every.items()}
    top = max(frequencies.values())

    def expected(path, complexity, sloc):  # maxima: complexity 5, source lines 12
        frequency = math.log1p(frequencies[path]) / math.log1p(top)
        product = frequency * math.log1p(complexity) / math.log1p(5) * math.log1p(sloc) / math.log1p(12)
        return 100 * product ** (1 / 3)

    assert engine.hotspot_score == pytest.approx(expected(ENGINE, 5, 12), abs=0.01)
    assert util.hotspot_score == pytest.approx(expected(UTIL, 2, 4), abs=0.01)
    assert naive.hotspot_score == pytest.approx(expected(NAIVE, 1, 3), abs=0.01)
    assert [engine.hotspot_rank, util.hotspot_rank, naive.hotspot_rank] == [1, 2, 3]
    assert [row.path for row in file_score_list(scan=scored, window_days=0)] == [ENGINE, UTIL, NAIVE]


def test_health(scored):
    every = rows(scored, 0)
    engine, naive = every[ENGINE], every[NAIVE]
    # Health: lint density 20 per 100 lines is the worst (0.15), coupling 1/4.5 of 3 (0.15 * 0.0741).
    assert engine.coupling_sum == pytest.approx(1 / 4.5, abs=1e-6)
    assert engine.health == pytest.approx(10 - 9 * (0.15 + 0.15 * (1 / 4.5) / 3), abs=0.006)
    assert engine.breakdown["health"]["dominant"] == "lint_density"
    assert engine.breakdown["hotspot"]["dominant"] == "complexity"
    assert engine.breakdown["coupled_with"] == [{"path": UTIL, "degree": 0.2222, "shared_revisions": 1}]
    assert naive.health == 10.0 and naive.breakdown["health"]["dominant"] is None


def test_coupling_per_window(repository, scenario):
    scan = tip_scan(repository, scenario)
    score(scan, scenario)
    pairs = {(row.window_days, row.path_a, row.path_b): (row.shared_revisions, row.revisions_a, row.revisions_b,
                                                         round(row.degree, 4))
             for row in Coupling.objects.filter(scan=scan)}
    assert pairs == {
        (0, ENGINE, UTIL): (1, 5, 4, 0.2222),
        (365, ENGINE, UTIL): (1, 5, 4, 0.2222),
        (90, ENGINE, UTIL): (1, 4, 4, 0.25),
    }
    assert coupled_file_list(scan=scan, path=UTIL, window_days=90) == [
        CoupledFile(path=ENGINE, degree=0.25, shared_revisions=1, revisions=4)
    ]
    score(scan, scenario, config=RepositoryConfig())  # code-maat's defaults need five shared revisions
    assert Coupling.objects.filter(scan=scan).count() == 0


def test_function_hotspots_follow_line_drift_and_renames(repository, scenario):
    scan = tip_scan(repository, scenario)
    result = score(scan, scenario)
    functions = [(row.hotspot_rank, row.path, row.qualname, row.complexity, row.changes, row.hotspot_score,
                  row.window_days) for row in function_score_list(scan=scan, window_days=365)]
    assert functions == [
        (1, ENGINE, "alpha", 2, 2, 4.0, 365),  # c2 (as app/core.py, before the rename) and c1
        (2, ENGINE, "beta", 2, 2, 4.0, 365),  # c5 on the merged branch and c1
        (3, UTIL, "helper", 2, 2, 4.0, 365),  # c10 and its re-addition in c8; the deleted file's past is not its
        (4, ENGINE, "gamma", 1, 2, 2.0, 365),  # c10 and its creation in c2
        (5, NAIVE, "naive", 1, 1, 1.0, 365),
    ]
    assert result.function_scores == 5


def test_function_history_is_limited_to_its_window(repository, scenario):
    scan = tip_scan(repository, scenario)
    score(scan, scenario, config=RepositoryConfig(function_history_days=65))  # from day 35: c5 onwards
    changes = {row.qualname: row.changes for row in FunctionScore.objects.filter(scan=scan)}
    assert changes == {"alpha": 0, "beta": 1, "gamma": 1, "helper": 2, "naive": 0}
    assert set(FunctionScore.objects.filter(scan=scan).values_list("window_days", flat=True)) == {65}


def test_authors_and_code_owners(repository, scenario):
    scan = tip_scan(repository, scenario)
    result = score(scan, scenario)
    authors = [(row.path, row.author, row.email, row.commits, row.added_lines, round(row.share, 4))
               for row in FileAuthor.objects.filter(scan=scan).order_by("path", "-added_lines", "author")]
    assert authors == [
        (ENGINE, "Ada Lovelace", "ada@example.com", 3, 13, round(13 / 19, 4)),
        (ENGINE, "Grace Hopper", "grace@example.com", 2, 6, round(6 / 19, 4)),
        (UTIL, "Grace Hopper", "grace@example.com", 3, 9, 1.0),
        (UTIL, "Ada Lovelace", "ada@example.com", 1, 0, 0.0),
        (NAIVE, "Grace Hopper", "grace@example.com", 1, 4, 1.0),
    ]
    owners = {row.path: (row.owners, row.pattern, row.line) for row in CodeOwner.objects.filter(scan=scan)}
    assert owners == {
        ENGINE: (["@ada"], "app/", 3),
        UTIL: ([], "app/util.py", 5),
        NAIVE: (["grace@example.com"], "/docs/*.py", 4),
    }
    assert (result.codeowners_file, result.codeowners_errors) == ("CODEOWNERS", 3)
    assert [problem.line for problem in result.codeowners_problems] == [6, 7, 8]
    scan.refresh_from_db()
    assert [problem["line"] for problem in scan.counts["codeowners_errors"]] == [6, 7, 8]
    assert {row.path for row in knowledge_island_list(scan=scan)} == {UTIL, NAIVE}


def test_summary(repository, scenario):
    scan = tip_scan(repository, scenario)
    result = score(scan, scenario)
    scan.refresh_from_db()
    summary = scan.summary
    engine_health = round(10 - 9 * (0.15 + 0.15 * (1 / 4.5) / 3), 2)
    util_health = round(10 - 9 * 0.15 * (1 / 4.5) / 3, 2)
    assert summary == {
        "window_days": 365, "files": 3, "unanalysed": 0, "loc": 23, "sloc": 19, "total_complexity": 8,
        "violations": 3,
        "markers": 1, "hotspots": 2, "hotspot_threshold": 50.0,
        "health_bands": {"healthy": 3, "warning": 0, "alert": 0},
        "mean_health": round((engine_health + util_health + 10.0) / 3, 2),
        "hotspots_by_window": {"90": 2, "365": 2, "0": 2}, "knowledge_islands": 2, "function_hotspots": 5,
        "codeowners": {"file": "CODEOWNERS", "errors": [problem.as_json() for problem in result.codeowners_problems]},
        "classes": ["production"], "files_by_class": {"production": 3}, "changing_but_simple": 0, "unchanged": 0,
        "lint_engine": "flake8", "lint_ignored_keys": [],
        "lint_settings": [
            {"option": "max-line-length", "value": "79", "source": "debtboard default", "engine": "flake8"},
            {"option": "max-complexity", "value": "10", "source": "debtboard default", "engine": "flake8"},
            {"option": "select", "value": "E,W,F,C90", "source": "debtboard default", "engine": "flake8"},
        ],
    }
    assert (result.files, result.commits, result.hotspots, result.knowledge_islands) == (3, 10, 2, 2)


def test_scoring_again_replaces_the_rows(repository, scenario, django_assert_max_num_queries):
    scan = tip_scan(repository, scenario)
    first = score(scan, scenario)
    with django_assert_max_num_queries(25):
        second = score(scan, scenario)
    assert (first.file_scores, first.function_scores, first.couplings, first.file_authors, first.code_owners) == (
        second.file_scores, second.function_scores, second.couplings, second.file_authors, second.code_owners,
    ) == (9, 5, 3, 5, 3)
    assert FileScore.objects.filter(scan=scan).count() == 9


def test_a_past_revision_sees_only_its_own_history(repository, scenario):
    """At c6 (day 45) the feature branch's c5 (day 40) is not an ancestor yet: it must not count."""
    shas = scenario.shas
    scan = Scan.objects.create(repository=repository, revision=shas["c6"], commit_sha=shas["c6"],
                               committed_at=day(45), is_backfill=True, status=Scan.Status.SUCCEEDED)
    add_file(scan, scenario, ENGINE, loc=15, mi=75.0, complexity=5,
             functions=[("alpha", 2, 5, 2), ("beta", 8, 11, 2), ("gamma", 14, 15, 1)])
    add_file(scan, scenario, UTIL, loc=5, mi=80.0, complexity=1, functions=[("helper", 1, 2, 1)])
    result = score(scan, scenario)
    assert result.commits == 5  # c1, c2, c3, c4, c6
    engine = rows(scan, 0)[ENGINE]
    assert (engine.revisions, engine.added, engine.deleted, engine.last_changed, engine.age_days) == (
        3, 16, 1, day(20), 25,
    )
    assert engine.change_frequency == pytest.approx(weight(45) + weight(35) + weight(25), abs=1e-6)
    assert rows(scan, 0)[UTIL].revisions == 1
    changes = {row.qualname: row.changes for row in FunctionScore.objects.filter(scan=scan)}
    assert changes == {"alpha": 2, "beta": 1, "gamma": 1, "helper": 1}


def test_a_file_whose_analysis_failed_is_scored_without_static_facts(repository, scenario):
    scan = tip_scan(repository, scenario)
    SnapshotFile.objects.filter(scan=scan, path=NAIVE).delete()
    add_file(scan, scenario, NAIVE, loc=0, mi=None, complexity=0, status=BlobAnalysis.Status.ERROR,
             fingerprint="broken")
    score(scan, scenario)
    naive = rows(scan, 0)[NAIVE]
    assert (naive.revisions, naive.hotspot_score, naive.health, naive.breakdown["analysed"]) == (1, 0.0, 10.0, False)
    scan.refresh_from_db()
    assert (scan.summary["files"], scan.summary["unanalysed"]) == (3, 1)
    assert FunctionScore.objects.filter(scan=scan, path=NAIVE).count() == 0


def test_progress_and_an_unresolved_scan(repository, scenario):
    scan = tip_scan(repository, scenario)
    calls = []
    result = score(scan, scenario, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 6) for done in range(7)]  # one step per phase run in this process
    assert list(result.seconds) == [  # the file side's phases (measures, coupling, rows) come from where it ran
        "snapshot", "history", "owners", "functions", "store", "measures", "coupling", "rows", "cache",
    ]
    assert all(seconds >= 0 for seconds in result.seconds.values())
    unresolved = Scan.objects.create(repository=repository, status=Scan.Status.SUCCEEDED)
    with pytest.raises(InvalidInput) as caught:
        score(unresolved, scenario)
    assert caught.value.code == "scan.unresolved"


def test_the_forked_file_side_stores_what_one_process_does(repository, scenario, settings):
    stored = {}
    for fork in (True, False):
        settings.DEBTBOARD_SCORING_FORK = fork
        scan = tip_scan(repository, scenario)
        result = score(scan, scenario)
        assert result.parallel is fork
        stored[fork] = (
            sorted((r.window_days, r.path, r.revisions, r.change_frequency, r.hotspot_score, r.hotspot_rank, r.health,
                    r.coupling_sum, json.dumps(r.breakdown, sort_keys=True))
                   for r in FileScore.objects.filter(scan=scan)),
            sorted(FileAuthor.objects.filter(scan=scan).values_list("path", "author", "commits", "added_lines",
                                                                    "share")),
            sorted(Coupling.objects.filter(scan=scan).values_list("window_days", "path_a", "path_b", "degree")),
            scan.summary,
        )
    assert stored[True] == stored[False]
    assert stored[True][0] and stored[True][1] and stored[True][2]
