"""Issue 17 with real git repositories and a real database: the repository's lint settings, classes, minimums, fixes."""
import sys
from datetime import timedelta

import pytest

from debt.models import DebtItem
from debt.services.discovery import debt_item_discover, marker_title
from debt.services.interest import debt_item_recompute_priorities
from debt.data import LocationSpec
from debt.services.items import debt_item_create
from metrics.core.analysis import AnalysisConfig, analyze_source
from metrics.data import RepositoryConfig, ScanSummary
from metrics.models import FileScore, FunctionAnalysis, Repository, Scan, SnapshotFile
from metrics.selectors.files import function_list, marker_list, violation_list
from metrics.selectors.hotspots import file_score_list, knowledge_island_list, unchanged_file_list
from metrics.selectors.history import path_author_pairs
from metrics.selectors.repositories import scan_lint_settings, scan_trend, trend_point_list
from metrics.services.analysis import analysis_config_from, snapshot_analyze
from metrics.services.repositories import repository_create, repository_update
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.signals import scan_finished
from tests.gitrepo import BASE_DATE, GitRepo

pytestmark = pytest.mark.django_db

ADA = "Ada Lovelace <ada@example.com>"
GRACE = "Grace Hopper <grace@example.com>"
LONG_100 = "x = '" + "a" * 93 + "'\n"  # 100 columns
LONG_130 = "y = '" + "b" * 123 + "'\n"  # 130 columns


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    """Discovery is called explicitly here; other receivers are their apps' to test."""
    monkeypatch.setattr(scan_finished, "receivers", [])


def complex_module(version: int, functions: int = 4) -> str:
    """A module of real size and complexity (13 source lines and complexity 6 per function; 53 and 24 in all)."""
    parts = [f'"""Module version {version}."""\n']
    for number in range(functions):
        branches = "".join(f"    if value == {n}:\n        total += {n + version}\n" for n in range(5))
        parts.append(f"\n\ndef f{number}(value):\n    total = 0\n{branches}    return total\n")
    return "".join(parts)


def scan_of(repo: GitRepo, name: str = "sample", config: dict | None = None) -> Scan:
    repository = Repository.objects.filter(name=name).first() or repository_create(source=str(repo.path), name=name)
    if config is not None:
        repository_update(repository=repository, config=config)
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    return scan


# --- the repository's own flake8 settings ---------------------------------------------------------------


def test_a_repository_whose_setup_cfg_sets_120_columns_gets_no_e501_under_120(git_repo):
    git_repo.commit("start", files={"setup.cfg": "[flake8]\nmax-line-length = 120\n",
                                    "app/a.py": LONG_100 + LONG_130})
    scan = scan_of(git_repo)
    assert [(v.code, v.line) for v in violation_list(scan=scan, path="app/a.py")] == [("E501", 2)]
    labels = [line.label for line in scan_lint_settings(scan=scan)]
    assert "flake8: max-line-length 120 from setup.cfg" in labels


def test_debtboard_configuration_wins_over_the_repositorys_setup_cfg(git_repo):
    git_repo.commit("start", files={"setup.cfg": "[flake8]\nmax-line-length = 120\n",
                                    "app/a.py": LONG_100 + LONG_130})
    scan = scan_of(git_repo, config={"max_line_length": 79})
    assert [(v.code, v.line) for v in violation_list(scan=scan, path="app/a.py")] == [("E501", 1), ("E501", 2)]
    labels = [line.label for line in ScanSummary.from_json(scan.summary).lint_settings]
    assert "flake8: max-line-length 79 from debtboard configuration" in labels


def test_a_setup_cfg_that_tries_to_load_a_plugin_loads_nothing(git_repo, tmp_path):
    trap = tmp_path / "plugin-ran"
    output = tmp_path / "flake8-output"
    git_repo.commit("start", files={
        "setup.cfg": (
            "[flake8]\nrequire-plugins = evilplugin\nenable-extensions = EVL\nformat = evil\n"
            f"output-file = {output}\nmax-line-length = 120\n"
            "[flake8:local-plugins]\nextension =\n    EVL = evilplugin:Plugin\npaths = .\n"
        ),
        "evilplugin.py": f"open({str(trap)!r}, 'w').write('ran')\n\n\nclass Plugin:\n    name = 'evil'\n",
        "app/a.py": "import os\n",
    })
    scan = scan_of(git_repo)
    assert not trap.exists() and not output.exists()
    assert "evilplugin" not in sys.modules
    assert [v.code for v in violation_list(scan=scan, path="app/a.py")] == ["F401"]
    summary = ScanSummary.from_json(scan.summary)
    assert {"require-plugins", "enable-extensions", "format", "output-file"} <= set(summary.lint_ignored_keys)


def test_a_change_of_the_flake8_settings_reanalyses_what_it_must_and_no_more(git_repo):
    first = git_repo.commit("start", files={"setup.cfg": "[flake8]\nmax-line-length = 120\n",
                                            "app/a.py": LONG_100, "tests/test_a.py": LONG_130})
    repository = repository_create(source=str(git_repo.path), name="sample")
    config = analysis_config_from(config=RepositoryConfig())

    def analyse(commit: str):
        scan = Scan.objects.create(repository=repository, revision=commit, commit_sha=commit,
                                   status=Scan.Status.SUCCEEDED)
        return snapshot_analyze(scan=scan, repo_path=str(git_repo.path), commit_sha=commit, config=config, workers=1)

    assert analyse(first).analysed == 2
    readme = git_repo.commit("docs", files={"README.md": "# readme\n"})
    assert analyse(readme).analysed == 0
    per_file = git_repo.commit("tests ignore E501", files={
        "setup.cfg": "[flake8]\nmax-line-length = 120\nper-file-ignores = tests/*:E501\n"})
    assert analyse(per_file).analysed == 1  # the test file only: app/a.py's settings did not change
    longer = git_repo.commit("wider", files={"setup.cfg": "[flake8]\nmax-line-length = 140\n"})
    assert analyse(longer).analysed == 2


def test_flake8_and_ruff_report_the_same_codes_on_a_small_file():
    branches = "".join(f"    if value == {n}:\n        return {n}\n" for n in range(11))
    source = f"import os\n\n\ndef branchy(value):\n{branches}    return None  # {'c' * 80}\n".encode()
    codes = {}
    for engine in ("flake8", "ruff"):
        result = analyze_source("app/m.py", source, AnalysisConfig(lint_engine=engine))
        assert result.ok, result.error
        codes[engine] = sorted({v.code for v in result.violations})
    assert codes["flake8"] == codes["ruff"] == ["C901", "E501", "F401"]


# --- file classes, minimums, knowledge islands -------------------------------------------------------------


def build_classed_repo(repo: GitRepo) -> None:
    """A big complex module, a tiny one and a test module, each changed six times; an untouched module."""
    repo.commit("start", files={"app/__init__.py": "", "app/quiet.py": complex_module(0),
                                "app/big.py": complex_module(0), "app/tiny.py": "X = 0\n",
                                "tests/test_big.py": complex_module(0)}, author=ADA, date=BASE_DATE)
    for week in range(1, 7):
        repo.commit(f"week {week}", files={"app/big.py": complex_module(week), "app/tiny.py": f"X = {week}\n",
                                           "tests/test_big.py": complex_module(week)},
                    author=ADA, date=BASE_DATE + timedelta(days=400 + week * 7))


def test_files_are_classed_and_rankings_show_production_files_that_changed(git_repo):
    build_classed_repo(git_repo)
    scan = scan_of(git_repo)
    classes = dict(SnapshotFile.objects.filter(scan=scan).values_list("path", "file_class"))
    assert (classes["tests/test_big.py"], classes["app/big.py"]) == ("test", "production")
    ranked = [row.path for row in file_score_list(scan=scan, window_days=365)]
    assert ranked == ["app/big.py", "app/tiny.py"]  # no test file, no unchanged file
    statuses = dict(FileScore.objects.filter(scan=scan, window_days=365).values_list("path", "rank_status"))
    assert statuses["app/tiny.py"] == "simple"  # changing but simple
    assert statuses["app/big.py"] == "ranked"
    assert [row.path for row in unchanged_file_list(scan=scan, window_days=365)] == ["app/__init__.py",
                                                                                     "app/quiet.py"]


def test_every_class_is_there_on_request_and_the_summary_counts_production(git_repo):
    build_classed_repo(git_repo)
    scan = scan_of(git_repo)
    everything = {row.path for row in file_score_list(scan=scan, window_days=365, classes=None)}
    assert "tests/test_big.py" in everything
    summary = ScanSummary.from_json(scan.summary)
    assert summary.files_by_class == {"production": 4, "test": 1}
    assert (summary.files, summary.changing_but_simple, summary.unchanged) == (4, 1, 2)


def test_a_tiny_file_and_a_test_file_are_never_proposed_by_default(git_repo):
    build_classed_repo(git_repo)
    git_repo.commit("todo", files={"tests/test_big.py": complex_module(6) + "# TODO: test more\n",
                                   "app/big.py": complex_module(6) + "# TODO: split f0\n"},
                    author=ADA, date=BASE_DATE + timedelta(days=460))
    scan = scan_of(git_repo, config={"proposal_hotspot_min_score": 0})
    debt_item_discover(scan=scan, recompute=False)
    titles = set(DebtItem.objects.values_list("title", flat=True))
    assert "Hotspot: app/big.py" in titles
    assert "TODO: split f0" in titles
    assert not any("tiny" in title or "tests/" in title or "test more" in title for title in titles)


def test_a_repository_may_propose_from_its_tests(git_repo):
    build_classed_repo(git_repo)
    scan = scan_of(git_repo, config={"proposal_classes": ["production", "test"], "proposal_hotspot_min_score": 0})
    debt_item_discover(scan=scan, recompute=False)
    assert DebtItem.objects.filter(title="Hotspot: tests/test_big.py").exists()


@pytest.mark.parametrize(("top", "proposed"), [(10, 2), (1, 1), (0, 0)])
def test_a_repositorys_own_proposal_thresholds_decide_how_many_hotspots_are_proposed(git_repo, top, proposed):
    build_classed_repo(git_repo)
    for week in range(1, 5):  # a second hotspot, changed less often than app/big.py
        git_repo.commit(f"more {week}", files={"app/second.py": complex_module(week, functions=5)},
                        author=ADA, date=BASE_DATE + timedelta(days=430 + week))
    scan = scan_of(git_repo, config={"proposal_hotspot_min_score": 0, "proposal_hotspot_top": top,
                                     "proposal_island_top": 0})
    debt_item_discover(scan=scan, recompute=False)
    ranked = file_score_list(scan=scan, window_days=365, ranked_only=True, classes=("production",))
    assert sorted(row.path for row in ranked) == ["app/big.py", "app/second.py"]
    hotspots = set(DebtItem.objects.filter(title__startswith="Hotspot: ").values_list("title", flat=True))
    assert hotspots == {f"Hotspot: {row.path}" for row in ranked[:proposed]}
    assert not DebtItem.objects.filter(title__startswith="Knowledge island: ").exists()


def test_knowledge_islands_need_size_and_revisions_and_name_their_period(git_repo):
    build_classed_repo(git_repo)
    scan = scan_of(git_repo)
    ever = {row.path: row.island_label for row in knowledge_island_list(scan=scan, window_days=0)}
    recent = {row.path: row.island_label for row in knowledge_island_list(scan=scan, window_days=365)}
    assert ever == {"app/big.py": "single author ever"}  # tiny.py is too small, quiet.py changed once
    assert recent == {"app/big.py": "single author in the last 365 days"}


# --- fixes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "text", "title"), [
    ("TODO", "TODO: drop this", "TODO: drop this"),
    ("FIXME", "fixme(ada): later", "FIXME: later"),
    ("TODO", "TODO", "TODO in app/a.py"),
    ("XXX", "XXX - odd", "XXX: odd"),
])
def test_a_marker_title_says_its_tag_once(tag, text, title):
    assert marker_title(tag, text, "app/a.py") == title


def test_overload_stubs_are_not_listed_as_functions_and_functions_carry_radon_figures(git_repo):
    git_repo.commit("start", files={"app/a.py": (
        "from typing import overload\n\n\n@overload\ndef f(x: int) -> int: ...\n\n\n"
        "@overload\ndef f(x: str) -> str: ...\n\n\ndef f(x):\n    if x > 1:\n        return x * 2\n    return None\n"
    )})
    scan = scan_of(git_repo)
    functions = list(function_list(scan=scan, path="app/a.py"))
    assert [(f.qualname, f.lineno) for f in functions] == [("f", 12)]
    f = functions[0]
    assert (f.complexity, f.sloc) == (2, 4)
    assert f.h_volume > 0 and f.h_effort > 0 and 0 < f.mi <= 100


def test_markers_are_listed_once_per_line_whatever_the_scans_sharing_the_blob(git_repo):
    git_repo.commit("start", files={"app/a.py": "x = 1  # TODO: one\n# FIXME: two\n"})
    first = scan_of(git_repo)
    git_repo.commit("docs", files={"README.md": "# r\n"}, date=BASE_DATE + timedelta(days=1))
    second = scan_of(git_repo)
    for scan in (first, second):
        assert [(m.tag, m.line) for m in marker_list(scan=scan, path="app/a.py", kind="debt")] == [
            ("TODO", 1), ("FIXME", 2)]


def test_the_trend_has_one_point_per_commit_and_forgets_a_force_pushed_commit(git_repo):
    git_repo.commit("start", files={"app/a.py": "x = 1\n"})
    base = scan_of(git_repo)
    scan_of(git_repo)  # the same commit scanned again
    discarded_sha = git_repo.commit("oops", files={"app/a.py": "x = 2\n"}, date=BASE_DATE + timedelta(days=9))
    discarded = scan_of(git_repo)
    git_repo.git("reset", "-q", "--hard", base.commit_sha)  # force-push: history rewritten
    replacement = git_repo.commit("fixed", files={"app/a.py": "x = 3\n"}, date=BASE_DATE + timedelta(days=5))
    current = scan_of(git_repo)
    assert discarded.commit_sha == discarded_sha and current.commit_sha == replacement
    points = trend_point_list(repository=current.repository)
    assert [point.commit_sha for point in points] == [base.commit_sha, replacement]
    assert points[-1].scan_id == current.pk
    assert scan_trend(repository=current.repository).count() == 2


def test_a_mailmap_committed_after_the_first_scan_reattributes_earlier_history(git_repo):
    git_repo.commit("start", files={"app/a.py": "x = 1\n"}, author="G. Hopper <grace@old.example.com>")
    git_repo.commit("more", files={"app/a.py": "x = 2\n"}, author=GRACE, date=BASE_DATE + timedelta(days=1))
    first = scan_of(git_repo)
    authors = {author for _path, author in path_author_pairs(repository=first.repository, since=None, until=None)}
    assert authors == {"G. Hopper", "Grace Hopper"}
    git_repo.commit("mailmap", files={".mailmap": "Grace Hopper <grace@example.com> <grace@old.example.com>\n"},
                    author=GRACE, date=BASE_DATE + timedelta(days=2))
    second = scan_of(git_repo)
    authors = {author for _path, author in path_author_pairs(repository=second.repository, since=None, until=None)}
    assert authors == {"Grace Hopper"}


def test_interest_counts_the_authors_of_a_file_before_its_rename(git_repo):
    git_repo.commit("start", files={"app/old.py": "x = 1\n"}, author=ADA)
    git_repo.commit("grace", files={"app/old.py": "x = 2\n"}, author=GRACE, date=BASE_DATE + timedelta(days=1))
    git_repo.move("app/old.py", "app/new.py")
    git_repo.commit("rename", author=ADA, date=BASE_DATE + timedelta(days=2))
    scan = scan_of(git_repo)
    repository = scan.repository
    pairs = path_author_pairs(repository=repository, since=None, until=None, follow_renames=True)
    assert {author for path, author in pairs if path == "app/new.py"} == {"Ada Lovelace", "Grace Hopper"}
    item = debt_item_create(repository=repository, title="Rework new.py", kind=DebtItem.Kind.CODE,
                            locations=[LocationSpec(path="app/new.py")])
    debt_item_recompute_priorities(repository=repository, scan=scan)
    item.refresh_from_db()
    assert item.interest_evidence["authors"] == 2


def test_scans_stored_before_the_upgrade_stay_readable():
    old = {"window_days": 365, "files": 3, "hotspots": 2, "health_bands": {"healthy": 3}, "codeowners": {}}
    summary = ScanSummary.from_json(old)
    assert (summary.files, summary.hotspots, summary.classes, summary.lint_settings) == (3, 2, None, ())
    assert summary.files_by_class == {} and summary.changing_but_simple is None
    assert FunctionAnalysis._meta.get_field("mi").null
