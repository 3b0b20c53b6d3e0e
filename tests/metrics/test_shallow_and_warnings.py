"""Shallow clones are mined without their graft commits and marked truncated; warnings of scanned code are recorded."""
import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from metrics.core.analysis import AnalysisConfig, analyze_source
from metrics.models import BlobAnalysis, Commit, FileChange, Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.gitrepo import BASE_DATE, init_repo

pytestmark = pytest.mark.django_db


@pytest.fixture
def shallow_clone(tmp_path):
    """Six commits by two authors, cloned with --depth 3: the clone's graft is the fourth commit."""
    origin = init_repo(tmp_path / "origin")
    for week in range(6):
        author = "Ada Lovelace <ada@example.com>" if week < 3 else "Grace Hopper <grace@example.com>"
        origin.commit(f"week {week}", files={f"mod{week}.py": f"X = {week}\n", "app.py": f"V = {week}\n"},
                      author=author, date=BASE_DATE + timedelta(weeks=week))
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{origin.path}", str(clone)], check=True,
                   capture_output=True)
    return origin, clone


def scanned(path):
    repository = repository_create(source=str(path))
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    repository.refresh_from_db()
    return repository


def test_shallow_clone_mines_without_its_graft_commit_and_records_where_history_starts(shallow_clone):
    origin, clone = shallow_clone
    repository = scanned(clone)
    graft = origin.commits[3]
    assert set(Commit.objects.filter(repository=repository).values_list("sha", flat=True)) == set(origin.commits[4:])
    paths = set(FileChange.objects.filter(repository=repository).values_list("path", flat=True))
    assert paths == {"app.py", "mod4.py", "mod5.py"}  # not mod0..mod3, which only the graft "added"
    assert not Commit.objects.filter(sha=graft).exists()
    assert repository.history_truncated_at == BASE_DATE + timedelta(weeks=3)


def test_truncated_history_shows_in_the_api_and_the_dashboard(shallow_clone, django_user_model):
    repository = scanned(shallow_clone[1])
    staff = django_user_model.objects.create_user(username="lead", password="x-123-not-used", is_staff=True)
    api = APIClient()
    api.force_authenticate(staff)
    body = api.get(f"/api/v1/repositories/{repository.name}/").json()
    assert body["history_truncated_at"].startswith("2024-01-22")
    browser = Client()
    browser.force_login(staff)
    page = browser.get(f"/repos/{repository.name}/").content.decode()
    assert "History is truncated (shallow clone): churn and ownership start at" in page
    assert "2024-01-22" in page


def test_full_clone_is_not_marked_truncated(git_repo):
    git_repo.commit("one", files={"a.py": "A = 1\n"})
    repository = scanned(git_repo.path)
    assert repository.history_truncated_at is None
    assert FileChange.objects.filter(repository=repository).count() == 1


INVALID_ESCAPE = b'import re\n\nPATTERN = re.compile("\\d+")\n'


def test_warnings_of_scanned_code_are_recorded_not_printed(capfd):
    result = analyze_source("pattern.py", INVALID_ESCAPE, AnalysisConfig())
    assert result.ok
    assert result.warnings == ("SyntaxWarning: invalid escape sequence '\\d' (line 3)",)
    assert capfd.readouterr().err == ""


def test_a_scan_keeps_the_warnings_in_the_file_analysis_and_prints_nothing(git_repo, capfd, settings):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 2  # through the worker processes
    git_repo.commit("one", files={"pattern.py": INVALID_ESCAPE, "clean.py": "A = 1\n"})
    scanned(git_repo.path)
    assert capfd.readouterr().err.count("SyntaxWarning") == 0
    warned = BlobAnalysis.objects.exclude(warnings="").values_list("warnings", flat=True)
    assert list(warned) == ["SyntaxWarning: invalid escape sequence '\\d' (line 3)"]
