"""View tests of the metrics pages: content, filters, query counts, permissions, escaping."""
import csv
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from metrics.models import FileScore, Scan
from tests.frontend.factories import RepositoryFactory, ScanFactory, scanned_repository

pytestmark = pytest.mark.django_db

METRIC_PAGES = [
    "/", "/repos/shop/", "/repos/shop/hotspot-map.json", "/repos/shop/hotspots/", "/repos/shop/functions/",
    "/repos/shop/files/src/shop/billing.py", "/repos/shop/scan/status/", "/repos/shop/hotspots.csv",
    "/repos/shop/functions.csv",
]


@pytest.mark.parametrize("url", METRIC_PAGES)
def test_every_page_sends_anonymous_visitors_to_login(url, shop):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_page_renders_and_logs_in(user):
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b'name="password"' in page.content
    response = client.post("/accounts/login/", {"username": "reader", "password": "correct horse battery staple"})
    assert response.status_code == 302 and response["Location"] == "/"
    wrong = Client().post("/accounts/login/", {"username": "reader", "password": "nope"})
    assert b"didn&#x27;t match" in wrong.content or b"didn't match" in wrong.content


def test_home_lists_repositories_with_bands_hotspots_and_trend(client_user, shop, django_assert_max_num_queries):
    RepositoryFactory(name="empty")
    with django_assert_max_num_queries(8):
        response = client_user.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/repos/shop/"' in html and "debtboard scan empty" in html
    assert "2 healthy" in html and "1 warning" in html and "1 alert" in html
    assert 'href="/repos/shop/files/src/shop/billing.py"' in html  # hottest file
    assert "<svg class=\"sparkline\"" in html


def test_home_without_repositories_says_what_to_do(client_user):
    html = client_user.get("/").content.decode()
    assert "No repositories yet" in html and "debtboard addrepo" in html


def test_dashboard_shows_cards_trends_and_map(client_user, shop, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client_user.get("/repos/shop/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mean code health" in html and 'data-chart="treemap"' in html
    assert 'src="/static/vendor/plotly.min.js"' in html and 'src="/static/frontend/charts.js"' in html
    trend = json.loads(html.split('<script id="trend-data" type="application/json">')[1].split("</script>")[0])
    assert len(trend["x"]) == 3 and trend["backfill"] == [True, False, False]
    assert trend["health"][-1] == 8.2
    assert 'href="/repos/shop/files/src/shop/billing.py?window=365"' in html


def test_dashboard_of_a_repository_never_scanned_says_how_to_scan(client_user):
    RepositoryFactory(name="fresh")
    html = client_user.get("/repos/fresh/").content.decode()
    assert "No scans yet" in html and "debtboard scan fresh" in html
    assert "plotly.min.js" not in html  # no chart, no 4.8 MB download


def test_unknown_repository_is_404(client_user):
    response = client_user.get("/repos/nope/")
    assert response.status_code == 404 and b"No repository" in response.content


def test_hotspot_map_json_is_one_query_and_compact(client_user, shop, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # the repository, the user's role on it, the figures (and session)
        response = client_user.get("/repos/shop/hotspot-map.json?window=90")
    data = response.json()
    assert data["files"] == 4 and "src/shop/" in data["ids"] and data["ids"][0] == "/"
    assert b", " not in response.content and b": " not in response.content  # no padding


def test_ranking_filters_sort_and_paginate_in_the_query_string(client_user, django_assert_max_num_queries):
    paths = tuple(f"pkg/m{i:03d}.py" for i in range(60)) + ("other/x.py",)
    scanned_repository(name="big", paths=paths, history=0)
    with django_assert_max_num_queries(9):
        page1 = client_user.get("/repos/big/hotspots/")
    html = page1.content.decode()
    assert "61 files" in html and "Page 1 of 2" in html and html.count('class="path"') == 50
    filtered = client_user.get("/repos/big/hotspots/?path=other/&window=90").content.decode()
    assert "1 file over the last 90 days" in filtered and "other/x.py" in filtered and "pkg/m000.py" not in filtered
    by_health = client_user.get("/repos/big/hotspots/?sort=health").content.decode()
    first_rows = by_health.split("<tbody>")[1]
    assert first_rows.index("pkg/m000.py") < first_rows.index("pkg/m010.py")  # lowest health first
    assert 'aria-sort="ascending"' in by_health
    minimum = client_user.get("/repos/big/hotspots/?min_score=89").content.decode()
    assert "1 file" in minimum


def test_ranking_htmx_request_returns_only_the_results(client_user, shop):
    response = client_user.get("/repos/shop/hotspots/?path=src/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert "<html" not in html and "src/shop/billing.py" in html and "setup.py" not in html
    assert 'name="sort" value="rank" form="ranking-filters"' in html  # the filter form keeps the sort


def test_ranking_invalid_filters_fall_back_and_say_so(client_user, shop):
    response = client_user.get("/repos/shop/hotspots/?min_score=nan&sort=drop_table&window=7")
    html = response.content.decode()
    assert response.status_code == 200 and "4 files" in html
    assert "Enter a number." in html or "finite" in html


def test_ranking_explains_each_score_in_words_and_keeps_the_raw_breakdown_out_of_the_table(client_user, shop):
    html = client_user.get("/repos/shop/hotspots/").content.decode()
    table = html[html.index("<table"):html.index("</table>")]
    assert "Changed 20 times by 1 person in the last 365 days, complexity 5" in table
    assert "<details" not in table and "complexity · normalised" not in table
    assert 'class="why-bar"' in table and "#why" in table
    page = client_user.get("/repos/shop/files/src/shop/billing.py").content.decode()
    assert 'id="why"' in page and '<details class="card breakdown side-panel">' in page
    assert "complexity · normalised" in page


def test_functions_tab_lists_function_hotspots_with_log_debt_links(client_user, shop, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = client_user.get("/repos/shop/functions/?path=src/shop/")
    html = response.content.decode()
    assert "4 functions" in html and "Cart.add" in html
    assert "/debt/new/?repository=shop&amp;path=src%2Fshop%2Fbilling.py&amp;function=total" in html


def test_csv_export_has_every_row_of_the_filtered_view(client_user, shop):
    response = client_user.get("/repos/shop/hotspots.csv?path=src/&sort=-churn")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["rank", "path", "hotspot_score"]
    assert [row[1] for row in rows[1:]] == ["src/shop/billing.py", "src/shop/cart.py", "src/util/text.py"]
    functions = client_user.get("/repos/shop/functions.csv")
    assert len(b"".join(functions.streaming_content).splitlines()) == 1 + 8


def test_file_page_shows_everything_known_about_the_file(client_user, shop, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client_user.get("/repos/shop/files/src/shop/billing.py")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Cart.add", "E501", "F401", "TODO: handle refunds", "src/shop/cart.py", "41%", "Grace Hopper",
                 "@shop-team", "knowledge island", "Why this score"):
        assert text in html, text
    history = json.loads(html.split('<script id="history-data" type="application/json">')[1].split("</script>")[0])
    assert len(history["x"]) == 3 and history["complexity"] == [10, 11, 14]
    assert history["hotspot_score"][:2] == [40.0, 41.0]
    assert "/debt/new/?repository=shop&amp;path=src%2Fshop%2Fbilling.py" in html


def test_file_page_of_unknown_path_is_404(client_user, shop):
    assert client_user.get("/repos/shop/files/nope.py").status_code == 404


def test_paths_and_titles_are_escaped(client_user):
    evil = "src/<script>alert(1)</script>.py"
    scanned_repository(name="evil", paths=(evil, "ok.py"), history=0)
    for url in ("/", "/repos/evil/", "/repos/evil/hotspots/", "/repos/evil/functions/"):
        html = client_user.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
    page = client_user.get("/repos/evil/files/src/%3Cscript%3Ealert(1)%3C/script%3E.py")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_scan_status_polls_while_a_scan_runs_and_reloads_when_it_ends(client_user, shop):
    running = ScanFactory(repository=shop.repository, status=Scan.Status.RUNNING, stage=Scan.Stage.ANALYSIS,
                          progress_done=3, progress_total=10, finished_at=None)
    html = client_user.get("/repos/shop/scan/status/").content.decode()
    assert 'hx-trigger="every 2s"' in html and "Analysis" in html and 'value="3" max="10"' in html
    Scan.objects.filter(pk=running.pk).update(status=Scan.Status.SUCCEEDED, stage=Scan.Stage.DONE)
    done = client_user.get("/repos/shop/scan/status/?was_live=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and 'hx-trigger="every 2s"' not in done.content.decode()


def test_scan_now_is_for_staff_only(client_user, shop):
    assert client_user.post("/repos/shop/scan/").status_code == 403
    assert "Scan now" not in client_user.get("/repos/shop/").content.decode()


def test_scan_now_shows_that_a_scan_is_already_running(client_staff, shop):
    ScanFactory(repository=shop.repository, status=Scan.Status.RUNNING, stage=Scan.Stage.MINING, finished_at=None,
                heartbeat_at=timezone.now())
    response = client_staff.post("/repos/shop/scan/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode() and "already" in response.content.decode()
    assert Scan.objects.filter(repository=shop.repository, status=Scan.Status.QUEUED).count() == 0


def test_windows_select_file_scores(client_user, shop):
    FileScore.objects.filter(scan=shop.scan, window_days=90, path="setup.py").delete()
    html = client_user.get("/repos/shop/hotspots/?window=90").content.decode()
    assert "3 files over the last 90 days" in html
    all_time = client_user.get("/repos/shop/hotspots/?window=all").content.decode()
    assert "4 files over all history" in all_time
