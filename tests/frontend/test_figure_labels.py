"""Issue 17, one truth per figure: lines and source lines agree on every surface, windows and comparability are
labelled, the repository list compares repositories by absolute figures only. Real git, real scans, real DB."""
import csv
import importlib
import io
import json
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from api.serializers.metrics import FileScoreOutputSerializer
from metrics.choices import FIGURES, figure_label
from metrics.models import FileScore, Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.signals import scan_finished
from tests.frontend.factories import UserFactory
from tests.gitrepo import BASE_DATE

pytestmark = pytest.mark.django_db

PATH = "app/core.py"
# 3 blank-or-comment lines around code: physical lines and source lines differ.
SOURCE = ('"""Core."""\n\n# a comment\n\n\ndef f(value):\n    # TODO: simplify\n    if value:\n        return 1\n'
          '    return 2\n')


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


@pytest.fixture
def scanned(git_repo):
    git_repo.commit("start", files={PATH: SOURCE, "setup.cfg": "[flake8]\nmax-line-length = 88\n"})
    git_repo.commit("more", files={PATH: SOURCE + "\n\nX = 1\n"}, date=BASE_DATE + timedelta(days=1))
    repository = repository_create(source=str(git_repo.path), name="sample")
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    return scan


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="lead", is_staff=True))
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _ranking_row(html: str, row_path: str) -> dict[str, str]:
    """The ranking row of `row_path`: each column's heading -> the first word of its cell."""
    table = html.split("<table>")[1]
    headings = [_text(th).rstrip(" ▲▼") for th in re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.S)]
    row = next(part for part in table.split("<tr>") if f">{row_path}<" in part)
    cells = [(_text(td).split() or [""])[0] for td in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
    return dict(zip(headings, cells, strict=True))


def test_lines_and_source_lines_agree_on_ranking_file_page_api_cli_and_csv(scanned, staff_client):
    score = FileScore.objects.get(scan=scanned, path=PATH, window_days=0)
    analysis = score.analysis
    assert (score.loc, score.sloc) == (analysis.loc, analysis.sloc) and score.loc > score.sloc > 0

    ranking = staff_client.get("/repos/sample/hotspots/?window=all").content.decode()
    row = _ranking_row(ranking, PATH)
    assert (row["Lines"], row["Source lines (SLOC)"]) == (str(score.loc), str(score.sloc))

    page = staff_client.get(f"/repos/sample/files/{PATH}?window=all").content.decode()
    sloc_card = page.split('id="figure-sloc"')[1].split("</div></div>")[0]
    assert "Source lines (SLOC)" in sloc_card and f'<div class="stat">{score.sloc}</div>' in sloc_card
    assert f"{score.loc} lines (physical)" in sloc_card

    expected = {"loc": score.loc, "sloc": score.sloc, "window_days": 0}
    assert _api_row(PATH) == expected and _cli_row(PATH) == expected
    assert _csv_row(staff_client, PATH) == {key: str(value) for key, value in expected.items()}


def _only(rows: list[dict], path: str) -> dict:
    """The figures loc, sloc and window_days of the one row of `path`."""
    [row] = [row for row in rows if row["path"] == path]
    return {key: row[key] for key in ("loc", "sloc", "window_days")}


def _api_row(path: str) -> dict:
    api = APIClient()
    api.force_authenticate(user=UserFactory(username="api", is_staff=True))
    return _only(api.get("/api/v1/repositories/sample/hotspots/?window=0").json()["results"], path)


def _cli_row(path: str) -> dict:
    out = io.StringIO()
    call_command("hotspots", "sample", "--window", "0", "--format", "json", stdout=out)
    return _only(json.loads(out.getvalue()), path)


def _csv_row(client: Client, path: str) -> dict:
    export = client.get("/repos/sample/hotspots.csv?window=all")
    return _only(list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode()))), path)


def test_window_dependent_figures_name_their_window_and_the_score_says_it_is_relative(scanned, staff_client):
    ranking = staff_client.get("/repos/sample/hotspots/?window=90").content.decode()
    for key in ("hotspot_score", "revisions", "churn", "health", "authors"):
        assert figure_label(key, 90) in ranking, key
    assert "relative to this repository" in ranking and "Code health (1–10) is absolute" in ranking

    page = staff_client.get(f"/repos/sample/files/{PATH}?window=365").content.decode()
    assert "Hotspot score (365 d)" in page and "Code health (365 d)" in page and "Revisions (365 d)" in page
    assert "relative to this repository" in page
    assert "Main author over the last 365 days" in page and "Every author over all history" in page

    dashboard = staff_client.get("/repos/sample/?window=all").content.decode()
    assert "Hotspot score (all history)" in dashboard and "relative to this repository" in dashboard
    assert "Mean code health (365 d)" in dashboard  # the summary's own window


def test_the_dashboard_says_where_the_lint_settings_came_from(scanned, staff_client):
    dashboard = staff_client.get("/repos/sample/").content.decode()
    lint = dashboard.split('id="lint-settings">')[1].split("</div>")[0]
    assert '<span class="lint-engine">flake8</span>: ' in lint and "max-line-length 88 from setup.cfg" in lint


def test_the_repository_list_compares_by_absolute_figures_only(scanned, staff_client):
    home = staff_client.get("/").content.decode()
    assert "Markers per 1,000 lines" in home and "principal" in home and "Mean code health" in home
    markers = re.search(r'data-figure="markers_per_kloc">([^<]*)<', home).group(1)
    summary = scanned.summary
    assert markers == f"{summary['markers'] * 1000 / summary['loc']:.1f}"
    assert 'title="Hotspot score' not in home  # no hotspot score badge: scores do not compare repositories


def test_the_api_schema_describes_every_figure_with_its_window_and_comparability():
    fields = FileScoreOutputSerializer().fields
    for key, figure in FIGURES.items():
        if key not in fields:
            continue
        text = str(fields[key].help_text)
        assert text.startswith(figure.definition), key
        assert ("window_days" in text) == figure.windowed, key
        assert ("Relative to its repository" in text) == figure.relative, key
    assert "Physical lines" in str(fields["loc"].help_text) and "SLOC" in str(fields["sloc"].help_text)


def test_scores_stored_before_source_lines_read_their_analysis_sloc_after_the_migration(scanned):
    fill_sloc = importlib.import_module("metrics.migrations.0012_file_score_sloc").fill_sloc
    FileScore.objects.filter(scan=scanned).update(sloc=0)  # as an earlier scan's rows read after AddField
    fill_sloc(django_apps, None)
    score = FileScore.objects.get(scan=scanned, path=PATH, window_days=0)
    assert score.sloc == score.analysis.sloc > 0


def test_the_ranking_sorts_by_source_lines(scanned, staff_client):
    html = staff_client.get("/repos/sample/hotspots/?window=all&sort=-sloc").content.decode()
    assert 'aria-sort="descending"><a href="/repos/sample/hotspots/?window=all&amp;sort=sloc"' in html


def test_the_file_page_lists_each_marker_once_whatever_the_scans_sharing_its_blob(scanned, git_repo, staff_client):
    git_repo.commit("docs", files={"README.md": "# r\n"}, date=BASE_DATE + timedelta(days=2))
    again = scan_run(scan_id=scan_request(repository=scanned.repository, enqueue=False).pk)
    assert again.status == Scan.Status.SUCCEEDED, again.error
    page = staff_client.get(f"/repos/sample/files/{PATH}").content.decode()
    assert 'Debt markers <span class="muted small">(1)</span>' in page
    assert page.count("simplify</td>") == 1
