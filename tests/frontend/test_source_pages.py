"""The new pages over a real scan: annotated source, folders, a function's history, coupling, adding a repository."""
from datetime import timedelta

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontend.source_view import FunctionMark, LineNote, highlighted_lines, page_of, source_page
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.frontend.factories import scanned_repository
from tests.gitrepo import BASE_DATE

ADA = "Ada Lovelace <ada@example.com>"
GRACE = "Grace Hopper <grace@example.com>"
CART_V1 = '''\
"""Cart."""


def total(items):
    return sum(items)


def label(name):
    return "<b>" + name + "</b>"
'''
CART_V2 = '''\
"""Cart."""
import os


def total(items, tax=None):
    # TODO: move tax rules out of here
    result = 0
    for item in items:
        if tax:
            result += item * (1 + tax)
        else:
            result += item
    return result


def label(name):
    return "<b>" + name + "</b>"
'''
SCRIPT = '"""<script>alert(1)</script>"""\nx = "</td><script>"  # <img src=x onerror=alert(1)>\n'


def run_scan(repository):
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == "succeeded", scan.error
    return scan


@pytest.fixture
def real(git_repo, settings, db):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    git_repo.commit("start", files={"shop/__init__.py": "", "shop/cart.py": CART_V1, "shop/evil.py": SCRIPT,
                                    "CODEOWNERS": "shop/ @shop-team\n"}, author=ADA, date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="real")
    run_scan(repository)
    git_repo.commit("tax", files={"shop/cart.py": CART_V2}, author=GRACE, date=BASE_DATE + timedelta(days=5))
    run_scan(repository)
    repository.refresh_from_db()
    return repository


# -- the pure rendering -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("x = 1\n", ['<span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>']),
    ('s = "<a>"\n', ['<span class="n">s</span> <span class="o">=</span> <span class="s2">&quot;</span>'
                     '<span class="s2">&lt;a&gt;</span><span class="s2">&quot;</span>']),
    ('"""a\nb"""\n', ['<span class="sd">&quot;&quot;&quot;a</span>', '<span class="sd">b&quot;&quot;&quot;</span>']),
])
def test_highlighted_lines_escape_and_split_tokens_across_lines(text, expected):
    assert highlighted_lines(text) == expected


def test_source_page_puts_notes_and_functions_on_their_lines_and_paginates():
    text = "".join(f"x{n} = {n}\n" for n in range(1, 2501))
    notes = [LineNote(line=1200, kind="violation", label="E501", text="too long"),
             LineNote(line=5, kind="marker", label="TODO", text="later")]
    page = source_page(text, notes=notes, functions=[FunctionMark(1100, 1105, "f", 3, 2)], page=2, per_page=1000)
    assert (page.page, page.pages, page.total_lines, page.first_line, page.last_line) == (2, 3, 2500, 1001, 2000)
    rows = {row.number: row for row in page.rows}
    assert rows[1200].notes[0].label == "E501" and page.notes_elsewhere == 1
    assert rows[1100].functions[0].qualname == "f" and rows[1103].in_function and not rows[1106].in_function
    assert source_page(text, page=99, per_page=1000).page == 3 and page_of(2001, 1000) == 3


def test_a_page_after_the_first_is_highlighted_as_in_the_whole_file():
    text = "".join(f'def f{n}():\n    """Doc\n    string {n}."""\n    return {n}\n' for n in range(400))
    whole = highlighted_lines(text)
    for number in (2, 3):
        page = source_page(text, page=number, per_page=499)  # page 2 starts inside a docstring
        assert [row.html for row in page.rows] == whole[page.first_line - 1:page.last_line]


# -- the annotated source -----------------------------------------------------------------------------------

def test_annotated_source_shows_the_scanned_code_with_violations_markers_and_function_figures(real, client_user):
    response = client_user.get("/repos/real/source/shop/cart.py")
    assert response.status_code == 200
    html = response.content.decode()
    line2 = html[html.index('id="L2"'):html.index('id="L3"')]
    assert "F401" in line2 and "imported but unused" in line2  # `import os` on line 2
    line6 = html[html.index('id="L6"'):html.index('id="L7"')]
    assert "TODO" in line6
    line5 = html[html.index('id="L5"'):html.index('id="L6"')]
    assert "cc 3" in line5 and "/repos/real/functions/shop/cart.py::total" in line5
    assert '<span class="k">def</span>' in line5


def test_annotated_source_reads_git_objects_not_the_working_tree(real, client_user, git_repo):
    (git_repo.path / "shop" / "cart.py").write_text("WORKING TREE ONLY\n")
    html = client_user.get("/repos/real/source/shop/cart.py").content.decode()
    assert "WORKING TREE ONLY" not in html and "result" in html


def test_annotated_source_escapes_the_code(real, client_user):
    html = client_user.get("/repos/real/source/shop/evil.py").content.decode()
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


def test_file_page_loads_the_source_panel_and_links_functions_to_lines(real, client_user):
    html = client_user.get("/repos/real/files/shop/cart.py").content.decode()
    assert 'hx-get="/repos/real/source/shop/cart.py?window=' in html
    assert '<a href="#L5">total</a>' in html
    assert '<a href="/repos/real/folders/shop/?window=' in html  # the path's folder segment


def test_annotated_source_shows_a_notice_for_a_file_over_the_size_cap(real, client_user):
    real.config = {"max_file_bytes": 100}
    real.save(update_fields=["config"])
    html = client_user.get("/repos/real/source/shop/cart.py").content.decode()
    assert "over the 100-byte limit" in html and 'id="L1"' not in html


def test_annotated_source_pages_and_jumps_to_a_line(real, client_user, git_repo, settings):
    big = "".join(f"value_{n} = {n}\n" for n in range(2500))
    git_repo.commit("big", files={"shop/big.py": big}, author=ADA, date=BASE_DATE + timedelta(days=6))
    run_scan(real)
    html = client_user.get("/repos/real/source/shop/big.py?line=2100").content.decode()
    assert 'id="L2100"' in html and 'id="L2000"' not in html and "Page 5 of 5" in html


def test_source_of_an_unknown_file_is_404(real, client_user):
    assert client_user.get("/repos/real/source/shop/nope.py").status_code == 404


# -- folders -------------------------------------------------------------------------------------------------

def test_folder_page_shows_figures_entries_owners_and_trend(real, client_user):
    response = client_user.get("/repos/real/folders/shop/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cart.py" in html and "@shop-team" in html and "Grace Hopper" in html
    assert "folder-trend" in html  # two scans hold the folder's files
    root = client_user.get("/repos/real/folders/").content.decode()
    assert '/repos/real/folders/shop/' in root


def test_folder_figures_are_the_sums_of_its_files_in_the_ranking(real, client_user):
    # The folder's figures against the per-file rows of the ranking API (another path through the scores).
    rows = client_user.get("/api/v1/repositories/real/hotspots/?page_size=100").json()["results"]
    shop = [row for row in rows if row["path"].startswith("shop/")]
    assert len(shop) >= 2
    figures = client_user.get("/repos/real/folders/shop/").context["folder"].figures
    column = {key: [row[key] for row in shop] for key in ("loc", "markers", "violations", "hotspot_score", "health")}
    assert (figures.files, figures.loc, figures.markers, figures.violations) == (
        len(shop), sum(column["loc"]), sum(column["markers"]), sum(column["violations"]))
    assert figures.hotspot_score_sum == pytest.approx(sum(column["hotspot_score"]), abs=0.05)
    assert figures.max_hotspot_score == pytest.approx(max(column["hotspot_score"]), abs=0.05)
    assert figures.mean_health == pytest.approx(sum(column["health"]) / len(shop), abs=0.05)


def test_file_page_charts_have_fixed_scales_and_size_apart_and_the_gutter_counts_changes(real, client_user):
    page = client_user.get("/repos/real/files/shop/cart.py").content.decode()
    assert 'data-series="health" data-range="0,10"' in page  # health on its 1-10 scale, never auto-ranged
    assert 'data-series="hotspot_score" data-range="0,100"' in page
    assert 'id="history-size"' in page and 'data-series="sloc"' in page  # size on a chart of its own
    source = client_user.get("/repos/real/source/shop/cart.py").content.decode()
    # `total` changed in both commits, `label` in the first only (the second commit moved it without editing).
    assert re.search(r"cc \d+ · Δ 2</a>", source), source[:2000]
    assert "cc 1 · Δ 1</a>" in source


def test_folder_page_of_an_empty_folder_is_404(real, client_user):
    assert client_user.get("/repos/real/folders/nowhere/").status_code == 404


def test_folder_page_queries_do_not_grow_with_files(client_user, db):
    small = scanned_repository(name="small", paths=("src/a.py", "src/b.py"))
    big = scanned_repository(name="big", paths=tuple(f"src/m{n}.py" for n in range(40)))
    counts = []
    for built in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client_user.get(f"/repos/{built.repository.name}/folders/src/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- function history ----------------------------------------------------------------------------------------

def test_function_page_shows_figures_over_scans_and_the_commits_that_changed_it(real, client_user):
    response = client_user.get("/repos/real/functions/shop/cart.py::total")
    assert response.status_code == 200
    html = response.content.decode()
    assert "function-series" in html and "tax" in html and "start" in html
    assert html.count("<code>") >= 2
    label = client_user.get("/repos/real/functions/shop/cart.py::label").content.decode()
    assert "tax" not in label.split("Commits that changed it")[1]  # `label` only moved in the second commit


def test_function_page_of_an_unknown_function_is_404(real, client_user):
    assert client_user.get("/repos/real/functions/shop/cart.py::nope").status_code == 404
    assert client_user.get("/repos/real/functions/shop/cart.py").status_code == 404


def test_function_ranking_links_function_names_to_their_page(real, client_user):
    html = client_user.get("/repos/real/functions/").content.decode()
    assert "/repos/real/functions/shop/cart.py::total?window=" in html


# -- coupling ------------------------------------------------------------------------------------------------

def test_coupling_data_is_a_symmetric_matrix(client_user, db):
    built = scanned_repository(name="pairs")
    data = client_user.get("/repos/pairs/coupling.json").json()
    size = len(data["files"])
    assert size >= 2 and all(data["degree"][i][j] == data["degree"][j][i] for i in range(size) for j in range(size))
    one = client_user.get(f"/repos/pairs/coupling.json?path={built.paths[0]}").json()
    assert built.paths[0] in one["files"]
    assert 'data-coupling="/repos/pairs/coupling.json' in client_user.get("/repos/pairs/").content.decode()


# -- adding a repository -------------------------------------------------------------------------------------

def test_staff_add_a_repository_and_are_sent_to_its_dashboard(git_repo, client_staff, settings):
    git_repo.commit("start", files={"a.py": "x = 1\n"}, author=ADA, date=BASE_DATE)
    response = client_staff.post("/repositories/new/", {"source": str(git_repo.path), "name": "fresh"})
    assert response.status_code == 302 and response["Location"] == "/repos/fresh/"
    page = client_staff.get("/repos/fresh/").content.decode()
    assert "Registered fresh" in page and "Scan now" in page
    assert "Add a repository" in client_staff.get("/").content.decode()


@pytest.mark.parametrize(("source", "message"), [
    ("ext::sh -c touch% /tmp/pwned", "debtboard accepts"),
    ("file:///etc", "debtboard accepts"),
    ("/definitely/not/here", "not"),
])
def test_add_repository_refuses_unsafe_or_missing_sources_with_the_cli_message(client_staff, db, source, message):
    from metrics.errors import UnsafeRepositorySource
    from metrics.services.repositories import repository_create as create
    with pytest.raises(UnsafeRepositorySource) as cli:
        create(source=source)
    response = client_staff.post("/repositories/new/", {"source": source})
    html = response.content.decode()
    assert response.status_code == 400 and str(cli.value.message).split(":")[0] in html.replace("&#x27;", "'")


def test_add_repository_refuses_a_folder_outside_the_roots(git_repo, client_staff, settings, tmp_path_factory):
    settings.DEBTBOARD_REPO_ROOTS = [str(tmp_path_factory.mktemp("elsewhere"))]
    response = client_staff.post("/repositories/new/", {"source": str(git_repo.path)})
    assert response.status_code == 400 and "DEBTBOARD_REPO_ROOTS" in response.content.decode()


def test_add_repository_refuses_a_taken_name(git_repo, client_staff, db):
    git_repo.commit("start", files={"a.py": "x = 1\n"}, author=ADA, date=BASE_DATE)
    scanned_repository(name="taken")
    response = client_staff.post("/repositories/new/", {"source": str(git_repo.path), "name": "taken"})
    assert response.status_code == 409 and "taken" in response.content.decode()


def test_add_repository_is_for_staff_only(client_user):
    assert client_user.get("/repositories/new/").status_code == 403
    assert "Add a repository" not in client_user.get("/").content.decode()
