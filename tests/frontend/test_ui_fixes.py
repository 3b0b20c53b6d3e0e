"""Issue 18's fixes on the server side: explanations, sorting, scales, proposals undo, odd paths, error pages."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from debt.data import LocationSpec
from debt.models import DebtItem
from debt.services.items import debt_item_create
from frontend import palette
from frontend.explanations import Distribution, file_explanation, health_penalty, score_sentence, top_percent
from frontend.sparklines import sparkline_range
from frontend.summaries import summary_of
from frontend.templatetags.debtboard_ui import next_sort
from metrics.services.repositories import repository_create
from tests.frontend.factories import scanned_repository
from tests.frontend.test_scan_integration import run_scan

ODD = "pkg/odd\nname.py"


@pytest.mark.parametrize(("kwargs", "sentence"), [
    ({"revisions": 9, "authors": 1, "window": "the last 365 days", "complexity": 161, "change_top": 5,
      "complexity_top": 3},
     "changed 9 times by 1 person in the last 365 days, complexity 161 — in the top 5 % of both"),
    ({"revisions": 1, "authors": 2, "window": "the last 90 days", "complexity": 4, "change_top": 60,
      "complexity_top": 80}, "changed once by 2 people in the last 90 days, complexity 4"
                             " — top 60 % for changes, top 80 % for complexity"),
    ({"revisions": 2, "authors": 1, "window": "all history", "complexity": 0, "change_top": None,
      "complexity_top": None}, "changed twice by 1 person in all history, complexity 0"),
    ({"revisions": 0, "authors": 0, "window": "the last 90 days", "complexity": 12, "change_top": 100,
      "complexity_top": 10}, "not changed in the last 90 days, complexity 12 — top 100 % for changes,"
                             " top 10 % for complexity"),
])
def test_score_sentence_says_the_figures_in_words(kwargs, sentence):
    assert score_sentence(**kwargs) == sentence


@pytest.mark.parametrize(("values", "value", "top"), [
    ([], 3, None), ([1, 2, 3, 4], 4, 25), ([1, 2, 3, 4], 1, 100), (list(range(1000)), 999, 1), ([5, 5, 5], 5, 100),
])
def test_top_percent_is_the_share_at_or_above(values, value, top):
    assert top_percent(values, value) == top


@pytest.mark.parametrize(("breakdown", "penalty"), [
    (None, ""),
    ({"weighted": {"size": 0.0, "lint_density": 0.0}}, ""),
    ({"weighted": {"function_complexity": 0.2, "size": 0.05}, "inputs": {"worst_function_complexity": 34}},
     "a complex function (worst function complexity 34)"),
    ({"weighted": {"maintainability": 0.3}, "inputs": {"mi": 12.345}},
     "low maintainability index (maintainability index 12.3)"),
    ({"weighted": {"size": 0.1}, "inputs": {}}, "file size"),
])
def test_health_penalty_names_the_costliest_factor(breakdown, penalty):
    assert health_penalty(breakdown) == penalty


def test_file_explanation_ranks_against_the_distribution():
    distribution = Distribution.of([(1, 2), (2, 5), (3, 9), (9, 161)])
    why = file_explanation(revisions=9, authors=1, complexity=161, window="the last 365 days", breakdown={},
                           distribution=distribution)
    assert why.sentence.endswith("in the top 25 % of both")
    assert why.change_percentile == 100 and why.complexity_percentile == 100 and why.health_penalty == ""


@pytest.mark.parametrize(("current", "field", "wanted"), [
    ("rank", "score", "-score"), ("rank", "churn", "-churn"), ("-score", "score", "score"),
    ("score", "score", "-score"),
    ("-score", "path", "path"), ("-score", "rank", "rank"), ("rank", "rank", "-rank"),
])
def test_numeric_columns_sort_descending_first(current, field, wanted):
    assert next_sort(current, field) == wanted


@pytest.mark.parametrize(("score", "step"), [(None, 5), (0.0, 5), (9.9, 5), (10.0, 4), (45.0, 3), (100.0, 2),
                                             (200.0, 1), (250.0, 0), (10_000.0, 0)])
def test_function_scores_have_their_own_steps(score, step):
    assert palette.function_step(score) == step


@pytest.mark.parametrize(("values", "bounds", "expected"), [
    ([9.13, 9.07], None, (8.6, 9.6)), ([1.0, 5.0], None, (1.0, 5.0)), ([9.13, 9.07], (0.0, 10.0), (0.0, 10.0)),
])
def test_sparklines_keep_a_sane_range(values, bounds, expected):
    assert sparkline_range(values, bounds=bounds) == pytest.approx(expected)


def test_health_bands_are_green_amber_red():
    bands = summary_of({"health_bands": {"healthy": 3, "warning": 2, "alert": 1}}).bands
    assert [(band.key, band.css) for band in bands] == [
        ("healthy", "band-healthy"), ("warning", "band-warning"), ("alert", "band-alert")]


@pytest.mark.django_db
def test_ranking_header_links_keep_the_filters_once_and_start_descending(client_user, shop):
    html = client_user.get("/repos/shop/hotspots/?path=src/&min_score=10&window=90&sort=rank").content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" hx-get="[^"]+"[^>]*>(\w[\w /()]*)<', html))
    by_label = {label: url for url, label in links.items()}
    query = parse_qs(urlsplit(by_label["Churn (90 d)"].replace("&amp;", "&")).query)
    assert query == {"path": ["src/"], "min_score": ["10"], "window": ["90"], "sort": ["-churn"]}
    assert urlsplit(by_label["Churn (90 d)"]).path == "/repos/shop/hotspots/"
    assert 'hx-get="/repos/shop/hotspots/"' in html  # the form builds the query itself: no growing URL


@pytest.mark.django_db
def test_functions_link_to_their_page_and_line_and_use_their_own_scale(client_user, shop):
    html = client_user.get("/repos/shop/functions/").content.decode()
    assert '<a href="/repos/shop/functions/src/shop/billing.py::total?window=365">total</a>' in html
    assert '<a href="/repos/shop/files/src/shop/billing.py?window=365#L3"><span class="trunc"' in html
    assert 'class="score fn s' in html
    assert '<span class="trunc" title="src/shop/billing.py"><bdi>src/shop/billing.py</bdi></span>' in html


@pytest.mark.django_db
def test_dashboard_suggests_a_backfill_the_cli_accepts(client_user, db):
    scanned_repository(name="lone", history=0)
    html = client_user.get("/repos/lone/").content.decode()
    assert "--backfill weekly:52" in html and "52w" not in html


@pytest.mark.django_db
def test_dismissing_updates_the_count_and_can_be_undone(client_user, shop, settings):
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"
    items = [debt_item_create(repository=shop.repository, title=f"TODO {n}", status="proposed", source="marker",
                              locations=[LocationSpec(path="src/shop/cart.py")]) for n in range(2)]
    url = f"/repos/shop/proposals/{items[0].pk}/dismiss/"
    html = client_user.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<span id="proposal-count" hx-swap-oob="true"' in html and "1 waiting" in html
    assert f"/repos/shop/proposals/{items[0].pk}/reconsider/" in html and "Undo" in html
    assert DebtItem.objects.get(pk=items[0].pk).status == "wont_fix"
    html = client_user.post(f"/repos/shop/proposals/{items[0].pk}/reconsider/", HTTP_HX_REQUEST="true").content.decode()
    assert DebtItem.objects.get(pk=items[0].pk).status == "proposed"
    assert f'<tr id="proposal-{items[0].pk}">' in html and "2 waiting" in html and "Dismiss" in html


@pytest.mark.django_db
def test_a_file_named_with_a_newline_breaks_no_page(git_repo, client_user, settings):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    body = "def f(x):\n    if x:\n        return 1\n    return 2\n"
    git_repo.commit("start", files={ODD: body, "pkg/ok.py": "X = 1\n"})
    git_repo.commit("again", files={ODD: body.replace("return 1", "return 3")})
    run_scan(repository_create(source=str(git_repo.path), name="odd"))
    for url in ("/", "/repos/odd/", "/repos/odd/hotspots/", "/repos/odd/functions/", "/repos/odd/hotspot-map.json",
                "/repos/odd/hotspots.csv", "/repos/odd/proposals/", "/repos/odd/debt/"):
        assert client_user.get(url).status_code == 200, url
    ranking = client_user.get("/repos/odd/hotspots/").content.decode()
    assert "/repos/odd/files/pkg/odd%0Aname.py" in ranking
    page = client_user.get("/repos/odd/files/pkg/odd%0Aname.py")
    assert page.status_code == 200 and b"Functions" in page.content and b"odd\nname.py" in page.content


@pytest.mark.django_db
def test_production_error_pages_are_styled(client_user, settings):
    settings.DEBUG = False
    missing = client_user.get("/repos/nope/")
    assert missing.status_code == 404 and b"Nothing here" in missing.content and b"No repository" in missing.content
    refused = client_user.get("/repos/x/?path=%00")
    assert refused.status_code == 400 and b"NUL character" in refused.content and b"<style>" in refused.content
    crashed = server_error(RequestFactory().get("/"))
    assert crashed.status_code == 500 and b"Something went wrong on our side" in crashed.content


@pytest.mark.django_db
def test_a_missing_capability_gets_the_styled_403(client_user, shop, settings):
    settings.DEBUG = False
    response = client_user.post("/repos/shop/settings/", {"default_revision": "HEAD"})
    assert response.status_code == 403 and b"You may not do that" in response.content


@pytest.mark.django_db
def test_api_docs_tell_an_anonymous_visitor_to_log_in(client_user):
    response = Client().get("/api/docs/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/api/docs/", 302)]
    html = response.content.decode()
    assert "The API documentation is open to signed-in users only" in html and 'value="/api/docs/"' in html
    assert client_user.get("/api/docs/").status_code == 200
