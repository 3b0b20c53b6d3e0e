"""The analysis service: blob-addressed cache, bulk storage, hostile files, a real database and real git."""
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.core.analysis import AnalysisConfig
from metrics.data import RepositoryConfig
from metrics.errors import RepositoryInvalid, RevisionNotFound
from metrics.models import BlobAnalysis, FunctionAnalysis, Marker, Repository, Scan, SnapshotFile, Violation
from metrics.data import MarkerRow
from metrics.selectors.files import (
    function_list,
    marker_list,
    marker_rows,
    snapshot_file_get,
    snapshot_path_set,
    violation_list,
)
from metrics.services.analysis import (
    SnapshotResult,
    analysis_config_for,
    analysis_config_from,
    revision_analyze,
    snapshot_analyze,
)
from tests.gitrepo import GitRepo
from tests.hostile_files import HOSTILE as HOSTILE_FILES

pytestmark = pytest.mark.django_db

CONFIG = AnalysisConfig(file_timeout_seconds=5.0)
CORE = '''\
"""Core rules."""
import os


def classify(value):
    if value < 0:
        return "negative"  # TODO: name the sign
    elif value == 0:
        return "zero"
    return os.sep
'''


def module(index: int) -> str:
    return f"def f{index}(x):\n    return x or {index}\n"


def make_project(repo: GitRepo, count: int = 6) -> str:
    files = {"app/__init__.py": "", "app/core.py": CORE, "README.md": "# readme\n"}
    files.update({f"app/m{i}.py": module(i) for i in range(count)})
    return repo.commit("project", files=files)


def new_scan(repo: GitRepo, commit: str) -> Scan:
    repository, _ = Repository.objects.get_or_create(name="sample", defaults={"path": str(repo.path)})
    return Scan.objects.create(repository=repository, revision=commit, commit_sha=commit,
                               status=Scan.Status.SUCCEEDED)


def analyse(repo: GitRepo, commit: str, config: AnalysisConfig = CONFIG, scan: Scan | None = None) -> SnapshotResult:
    scan = scan or new_scan(repo, commit)
    return snapshot_analyze(scan=scan, repo_path=str(repo.path), commit_sha=commit, config=config, workers=2)


def assert_core_file_stored(repo: GitRepo, scan: Scan, commit: str) -> None:
    """app/core.py's blob, analysis, function and marker are all stored and readable through the selectors."""
    core = snapshot_file_get(scan=scan, path="app/core.py")
    assert core.blob_sha == repo.git("rev-parse", f"{commit}:app/core.py")
    analysis = core.analysis
    assert (analysis.status, analysis.loc, analysis.sloc, analysis.total_complexity, analysis.max_complexity) == (
        "ok", 10, 7, 3, 3)
    assert (analysis.function_count, analysis.violation_count, analysis.marker_count) == (1, 0, 1)
    functions = function_list(scan=scan, path="app/core.py")
    assert [(f.qualname, f.lineno, f.endline, f.complexity, f.rank) for f in functions] == [("classify", 5, 10, 3, "A")]
    assert [(m.tag, m.line, m.text) for m in marker_list(scan=scan, path="app/core.py")] == [
        ("TODO", 7, "TODO: name the sign")]
    assert marker_rows(scan=scan) == [
        MarkerRow(path="app/core.py", tag="TODO", line=7, text="TODO: name the sign", kind="debt",
                  blob_sha=core.blob_sha)]


def test_first_analysis_stores_everything_in_bulk(git_repo):
    commit = make_project(git_repo)
    scan = new_scan(git_repo, commit)
    result = analyse(git_repo, commit, scan=scan)
    assert (result.files, result.analysed, result.cached, result.errors) == (8, 8, 0, 0)
    assert result.duration > 0
    assert_core_file_stored(git_repo, scan, commit)
    assert snapshot_path_set(scan=scan) == {"app/__init__.py", "app/core.py", *(f"app/m{i}.py" for i in range(6))}
    assert [p for p in SnapshotFile.objects.filter(scan=scan).values_list("path", flat=True)] == [
        "app/__init__.py", "app/core.py", *(f"app/m{i}.py" for i in range(6))]


def test_second_run_analyses_nothing_and_is_idempotent(git_repo):
    commit = make_project(git_repo)
    scan = new_scan(git_repo, commit)
    analyse(git_repo, commit, scan=scan)
    rows = (BlobAnalysis.objects.count(), FunctionAnalysis.objects.count(), Marker.objects.count())
    again = analyse(git_repo, commit, scan=scan)  # the same scan twice (a redelivered task)
    assert (again.files, again.analysed, again.cached) == (8, 0, 8)
    assert (BlobAnalysis.objects.count(), FunctionAnalysis.objects.count(), Marker.objects.count()) == rows
    assert SnapshotFile.objects.filter(scan=scan).count() == 8
    other_scan = analyse(git_repo, commit)
    assert (other_scan.analysed, other_scan.cached) == (0, 8)


def test_changing_one_file_analyses_one_blob(git_repo):
    make_project(git_repo)
    analyse(git_repo, git_repo.head())
    changed = git_repo.commit("change", files={"app/m3.py": module(3) + "\nZ = 1\n", "README.md": "changed\n"})
    result = analyse(git_repo, changed)
    assert (result.files, result.analysed, result.cached) == (8, 1, 7)


def test_a_blob_is_shared_across_repositories_and_renames(git_repo, tmp_path):
    make_project(git_repo)
    analyse(git_repo, git_repo.head())
    git_repo.move("app/m0.py", "lib/renamed.py")
    renamed = git_repo.commit("rename")
    assert analyse(git_repo, renamed).analysed == 0
    other = GitRepo(tmp_path / "other")
    other.path.mkdir()
    other.git("init", "-q", "-b", "main")
    other.commit("copy", files={"x/core.py": CORE})
    result = revision_analyze(repo_path=str(other.path), config=CONFIG, workers=1)
    assert (result.result.analysed, result.result.cached) == (0, 1)


def test_a_configuration_change_analyses_again(git_repo):
    commit = make_project(git_repo)
    analyse(git_repo, commit)
    stricter = AnalysisConfig(file_timeout_seconds=5.0, max_line_length=20)
    result = analyse(git_repo, commit, config=stricter)
    assert (result.analysed, result.cached) == (8, 0)
    fingerprints = set(BlobAnalysis.objects.values_list("fingerprint", flat=True))
    assert stricter.fingerprint() in fingerprints and CONFIG.fingerprint() in fingerprints
    assert Violation.objects.filter(code="E501", blob__fingerprint=stricter.fingerprint()).count() > 0
    assert Violation.objects.filter(code="E501", blob__fingerprint=CONFIG.fingerprint()).count() == 0
    assert analyse(git_repo, commit).analysed == 0  # the first configuration is still cached


def test_a_transient_error_is_analysed_again_and_replaced(git_repo):
    commit = make_project(git_repo)
    blob = git_repo.git("rev-parse", f"{commit}:app/core.py")
    stale = BlobAnalysis.objects.create(blob_sha=blob, fingerprint=CONFIG.fingerprint(), status="error",
                                        error_kind="worker_died", error="the worker died")
    Violation.objects.create(blob=stale, code="E999", line=1, column=1, message="left over")
    result = analyse(git_repo, commit)
    assert (result.analysed, result.errors) == (8, 0)
    stale.refresh_from_db()
    assert (stale.status, stale.error_kind, stale.function_count) == ("ok", "", 1)
    assert list(stale.violations.all()) == [] and stale.functions.count() == 1
    assert BlobAnalysis.objects.filter(blob_sha=blob).count() == 1


HOSTILE = {f"bad/{name}": case for name, case in HOSTILE_FILES.items()}


def test_hostile_files_are_recorded_and_the_rest_analysed(git_repo):
    commit = make_project(git_repo, count=2)
    commit = git_repo.commit("hostile", files={path: data for path, (data, _) in HOSTILE.items()})
    config = AnalysisConfig(file_timeout_seconds=0.5, max_file_bytes=200_000)
    scan = new_scan(git_repo, commit)
    result = analyse(git_repo, commit, config=config, scan=scan)
    assert (result.files, result.errors) == (4 + len(HOSTILE), len(HOSTILE))
    for path, (_, kind) in HOSTILE.items():
        analysis = snapshot_file_get(scan=scan, path=path).analysis
        assert (analysis.status, analysis.error_kind) == ("error", kind), path
        assert analysis.error and "\x00" not in analysis.error
    core = snapshot_file_get(scan=scan, path="app/core.py").analysis
    assert (core.status, core.max_complexity) == ("ok", 3)
    assert snapshot_file_get(scan=scan, path="bad/huge.py").analysis.size_bytes == 240_000
    # Errors are cached, the timeout too; a longer time limit (another fingerprint) tries it again.
    again = analyse(git_repo, commit, config=config)
    assert again.analysed == 0
    patient = AnalysisConfig(file_timeout_seconds=30.0, max_file_bytes=200_000)
    assert patient.fingerprint() != config.fingerprint()


def test_symlinks_and_submodules_are_skipped_and_counted(git_repo, tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("import os\nimport sys\n")
    make_project(git_repo, count=1)
    os.symlink(outside, git_repo.path / "app" / "link.py")
    os.symlink("/etc/passwd", git_repo.path / "passwd.py")
    git_repo.git("add", "-A")
    git_repo.git("update-index", "--add", "--cacheinfo", f"160000,{'b' * 40},ext/lib")
    commit = git_repo.commit("links", add_all=False)
    scan = new_scan(git_repo, commit)
    result = analyse(git_repo, commit, scan=scan)
    assert (result.files, result.skipped_symlinks, result.skipped_submodules) == (3, 2, 1)
    assert not SnapshotFile.objects.filter(path__in=["app/link.py", "passwd.py"]).exists()
    assert not Violation.objects.filter(message__contains="sys").exists()


def test_only_the_first_root_flake8_file_in_flake8s_order_applies(git_repo):
    # Issue 17: the repository's own settings apply, from the file flake8 itself would pick (setup.cfg
    # before tox.ini before .flake8); configuration in sub-folders is not read, as flake8 run at the root.
    config_files = {
        "setup.cfg": "[flake8]\nextend-ignore = E225\n",
        "tox.ini": "[flake8]\nignore = E,W,F,C\nselect = X\n",
        ".flake8": "[flake8]\nselect = X\nmax-line-length = 300\n",
        "app/.flake8": "[flake8]\nignore = F\n",
    }
    commit = git_repo.commit("configs", files={**config_files, "app/a.py": "import os\nx=1\n"})
    scan = new_scan(git_repo, commit)
    analyse(git_repo, commit, scan=scan)
    assert [v.code for v in violation_list(scan=scan, path="app/a.py")] == ["F401"]


def test_the_repositorys_flake8_files_are_ignored_when_the_repository_says_so(git_repo):
    commit = git_repo.commit("configs", files={"setup.cfg": "[flake8]\nignore = E,W,F,C\n",
                                               "app/a.py": "import os\nx=1\n"})
    scan = new_scan(git_repo, commit)
    config = analysis_config_from(config=RepositoryConfig(repository_lint_settings=False))
    analyse(git_repo, commit, scan=scan, config=config)
    assert [v.code for v in violation_list(scan=scan, path="app/a.py")] == ["F401", "E225"]


def test_excluded_paths_are_counted_not_analysed(git_repo):
    commit = git_repo.commit("mixed", files={
        "app/a.py": "x = 1\n", "app/migrations/0001_initial.py": "x = 2\n", "vendor/lib.py": "x = 3\n",
    })
    result = analyse(git_repo, commit)
    assert (result.files, result.excluded) == (1, 2)
    config = analysis_config_from(config=RepositoryConfig(exclude=("vendor/**",)))
    assert analyse(git_repo, commit, config=config).files == 2


def test_a_warm_run_makes_no_query_per_file(git_repo):
    files = {f"pkg/m{i}.py": module(i) for i in range(60)}
    commit = git_repo.commit("many", files=files)
    analyse(git_repo, commit)
    scan = new_scan(git_repo, commit)
    with CaptureQueriesContext(connection) as queries:
        result = analyse(git_repo, commit, scan=scan)
    assert (result.files, result.analysed) == (60, 0)
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]


def test_revision_analyze_for_the_command_line(git_repo):
    first = make_project(git_repo, count=1)
    git_repo.commit("more", files={"app/extra.py": "import os\n"})
    outcome = revision_analyze(repo_path=str(git_repo.path), revision="HEAD~1", config=CONFIG, workers=1)
    assert outcome.commit_sha == first
    assert [f.path for f in outcome.files] == ["app/__init__.py", "app/core.py", "app/m0.py"]
    core = outcome.files[1].analysis
    assert [f.qualname for f in core.functions.all()] == ["classify"]
    assert [m.tag for m in core.markers.all()] == ["TODO"]


@pytest.mark.parametrize("revision", ["nope", "--all", "-h"])
def test_unknown_revisions_are_refused(git_repo, revision):
    make_project(git_repo, count=1)
    with pytest.raises(RevisionNotFound):
        revision_analyze(repo_path=str(git_repo.path), revision=revision, config=CONFIG)


def test_a_missing_directory_is_refused(tmp_path):
    with pytest.raises(RepositoryInvalid):
        revision_analyze(repo_path=str(tmp_path / "absent"), config=CONFIG)


def test_analysis_config_for_a_repository():
    repository = Repository.objects.create(name="r", path="/x", config={
        "flake8_ignore": ["E501"], "max_complexity": 7, "marker_tags": ["TODO", "REVIEW"],
        "exclude": ["gen/**"], "file_timeout_seconds": 2,
    })
    config = analysis_config_for(repository=repository)
    assert (config.flake8_ignore, config.max_complexity, config.marker_tags, config.exclude) == (
        ("E501",), 7, ("TODO", "REVIEW"), ("gen/**",))
    assert config.file_timeout_seconds == 2.0
    assert analysis_config_for(repository=Repository(name="d", path="/y")) == AnalysisConfig()


@pytest.mark.parametrize("stored", [{"flake8_select": ["E,--jobs=4"]}, {"max_complexity": 0},
                                    {"marker_tags": ["TO DO"]}])
def test_an_invalid_repository_configuration_is_refused(stored):
    repository = Repository(name="r", path="/x", config=stored)
    with pytest.raises(RepositoryInvalid):
        analysis_config_for(repository=repository)


def test_violations_and_functions_are_indexed_for_reads():
    indexes = {tuple(index.fields) for index in Violation._meta.indexes}
    assert ("code",) in indexes
    assert ("complexity",) in {tuple(index.fields) for index in FunctionAnalysis._meta.indexes}
    unique = {tuple(c.fields) for c in SnapshotFile._meta.constraints}
    assert ("scan", "path") in unique
