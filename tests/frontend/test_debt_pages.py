"""View tests of the debt pages: register, forms, item page, board, proposals, import and export."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from debt.data import LocationSpec
from debt.models import DebtItem
from debt.services.items import debt_item_create
from debt.services.lifecycle import debt_item_transition

pytestmark = pytest.mark.django_db

DEBT_PAGES = ["/debt/", "/debt/new/", "/repos/shop/debt/", "/repos/shop/board/", "/repos/shop/proposals/",
              "/repos/shop/debt/export.csv", "/repos/shop/debt/import/"]


def _item(repository, title="Split billing", *, status="accepted", path="src/shop/billing.py", **fields):
    return debt_item_create(repository=repository, title=title, status=status,
                            locations=[LocationSpec(path=path)] if path else [], **fields)


@pytest.fixture(autouse=True)
def readers_are_members(settings) -> None:
    """The signed-in "reader" writes debt items here (default role member); tests/frontend/test_permissions.py
    covers every role."""
    settings.DEBTBOARD_DEFAULT_ROLE = "member"


@pytest.fixture
def items(shop, user):
    repo = shop.repository
    made = {
        "billing": _item(repo, "Split billing", impact=5, effort=2, labels=["billing"], owner=user),
        "cart": _item(repo, "Cart retries", path="src/shop/cart.py", kind="design"),
        "planned": _item(repo, "Drop py2 shims", path="src/util/"),
        "todo": _item(repo, "TODO: handle refunds", status="proposed", source="marker"),
        "hot": _item(repo, "Hotspot billing", status="proposed", source="hotspot"),
    }
    debt_item_transition(item=made["planned"], to_status="planned")
    return made


@pytest.mark.parametrize("url", DEBT_PAGES + ["/debt/1/", "/debt/1/edit/"])
def test_debt_pages_require_login(url, shop):
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/debt/1/move/", "/debt/1/comment/", "/debt/1/links/", "/repos/shop/board/1/move/",
                                 "/repos/shop/proposals/bulk/", "/repos/shop/proposals/1/accept/"])
def test_debt_mutations_require_login(url, shop):
    response = Client().post(url, {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_register_lists_open_items_by_priority_with_filters(client_user, items, user, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client_user.get("/repos/shop/debt/")
    html = response.content.decode()
    assert "3 items" in html and "TODO: handle refunds" not in html  # proposals wait in the inbox
    expected = [item.title for item in sorted((items["billing"], items["cart"], items["planned"]),
                                              key=lambda item: -DebtItem.objects.get(pk=item.pk).priority)]
    assert sorted(expected, key=html.index) == expected  # best priority first
    assert "3 items" not in client_user.get("/repos/shop/debt/?status=proposed").content.decode()
    assert "Cart retries" in client_user.get("/debt/?kind=design").content.decode()
    assert "Cart retries" not in client_user.get("/debt/?label=billing").content.decode()
    by_owner = client_user.get(f"/debt/?owner={user.pk}").content.decode()
    assert "1 item," in by_owner and "Split billing" in by_owner
    by_path = client_user.get("/debt/?path=src/util/text.py&repository=shop").content.decode()
    assert "Drop py2 shims" in by_path and "Split billing" not in by_path  # a folder link covers its files
    everything = client_user.get("/debt/?status=all").content.decode()
    assert "5 items" in everything


def test_register_htmx_swaps_only_the_results(client_user, items):
    response = client_user.get("/debt/?kind=code", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b"<html" not in response.content and b"Split billing" in response.content


def test_create_form_is_prefilled_from_a_function_row(client_user, shop):
    html = client_user.get("/debt/new/?repository=shop&path=src/shop/cart.py&function=Cart.add&line_start=25"
                           "&line_end=40").content.decode()
    assert 'value="Simplify Cart.add in cart.py"' in html
    assert 'value="src/shop/cart.py"' in html and 'value="Cart.add"' in html and 'value="25"' in html
    assert '<option value="shop" selected>' in html


def test_create_logs_an_item_linked_to_a_function(client_user, shop, user):
    response = client_user.post("/debt/new/", {
        "repository": "shop", "title": "Simplify Cart.add", "description": "Too many branches", "kind": "code",
        "impact": "4", "effort": "3.5", "path": "src/shop/cart.py", "function": "Cart.add", "line_start": "25",
        "line_end": "40", "labels": "cart, Quick Win", "status": "accepted",
    })
    item = DebtItem.objects.get(title="Simplify Cart.add")
    assert response.status_code == 302 and response["Location"] == f"/debt/{item.pk}/"
    assert item.reporter == user and float(item.effort) == 3.5 and item.impact == 4
    location = item.locations.get()
    assert (location.path, location.qualname, location.line_start, location.line_end) == (
        "src/shop/cart.py", "Cart.add", 25, 40)
    assert sorted(label.name for label in item.labels.all()) == ["cart", "quick-win"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"title": ""}, "title", "This field is required."),
    ({"effort": "0"}, "effort", "greater than or equal to 0.01"),
    ({"effort": "NaN"}, "effort", "Enter a number."),
    ({"path": "../etc/passwd"}, "path", "relative to the repository root"),
    ({"path": "src/", "function": "Cart.add"}, "path", "is a folder"),
    ({"function": "Cart.add", "path": ""}, "path", "Give the file"),
    ({"line_start": "9", "line_end": "3"}, "line_end", "ends before it starts"),
    ({"labels": "ok, not/allowed"}, "labels", "may hold only letters"),
    ({"external_url": "javascript:alert(1)"}, "external_url", "Enter a valid URL."),
])
def test_create_shows_clear_validation_messages(client_user, shop, data, field, message):
    base = {"repository": "shop", "title": "A title", "kind": "code", "impact": "3", "effort": "1",
            "status": "accepted", "path": "src/shop/cart.py"}
    response = client_user.post("/debt/new/", {**base, **data})
    html = response.content.decode()
    assert response.status_code == 200 and DebtItem.objects.count() == 0
    assert message in html, html[html.find("errorlist"):][:400]
    assert f'id="id_{field}_error"' in html or "form-errors" in html


def test_edit_changes_fields_through_the_service_and_records_history(client_user, items):
    item = items["cart"]
    page = client_user.get(f"/debt/{item.pk}/edit/").content.decode()
    assert 'value="Cart retries"' in page
    response = client_user.post(f"/debt/{item.pk}/edit/", {
        "title": "Cart retries everywhere", "kind": "design", "impact": "2", "effort": "8", "labels": "cart",
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Cart retries everywhere" and float(item.effort) == 8
    assert "Changed <strong>title</strong>" in client_user.get(f"/debt/{item.pk}/").content.decode()


def test_item_page_shows_principal_interest_links_and_moves(client_user, items, django_assert_max_num_queries):
    item = items["billing"]
    with django_assert_max_num_queries(16):
        response = client_user.get(f"/debt/{item.pk}/")
    html = response.content.decode()
    assert "Principal" in html and "Interest" in html and "cost of delay" in html
    assert 'href="/repos/shop/files/src/shop/billing.py"' in html
    assert 'value="planned"' in html and 'value="in_progress"' in html and "Logged the item." in html


def test_item_move_follows_the_lifecycle_and_shows_illegal_moves(client_user, items):
    item = items["billing"]
    ok = client_user.post(f"/debt/{item.pk}/move/", {"to_status": "planned", "expected_status": "accepted"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.status == "planned"
    illegal = client_user.post(f"/debt/{item.pk}/move/", {"to_status": "proposed", "expected_status": "planned"})
    assert illegal.status_code == 400 and "cannot move to proposed" in illegal.content.decode()
    stale = client_user.post(f"/debt/{item.pk}/move/", {"to_status": "done", "expected_status": "accepted"})
    assert stale.status_code == 409 and "by someone else meanwhile" in stale.content.decode()


def test_comments_render_sanitised_markdown(client_user, items):
    item = items["billing"]
    client_user.post(f"/debt/{item.pk}/comment/", {"body": "**bold** <script>alert(1)</script> [x](javascript:1)"})
    html = client_user.get(f"/debt/{item.pk}/").content.decode()
    assert "<strong>bold</strong>" in html and "<script>alert(1)</script>" not in html
    assert 'href="javascript' not in html
    empty = client_user.post(f"/debt/{item.pk}/comment/", {"body": "   "})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()


def test_links_are_added_and_removed(client_user, items):
    item = items["cart"]
    client_user.post(f"/debt/{item.pk}/links/", {"path": "src/shop/", "function": ""})
    assert sorted(item.locations.values_list("path", flat=True)) == ["src/shop/", "src/shop/cart.py"]
    bad = client_user.post(f"/debt/{item.pk}/links/", {"path": "/abs.py"})
    assert bad.status_code == 400 and "relative to the repository root" in bad.content.decode()
    location = item.locations.get(path="src/shop/")
    client_user.post(f"/debt/{item.pk}/links/{location.pk}/remove/")
    assert list(item.locations.values_list("path", flat=True)) == ["src/shop/cart.py"]


def test_board_moves_cards_with_htmx_and_reports_illegal_moves(client_user, items, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):  # a query, its two prefetches and a count per column
        board = client_user.get("/repos/shop/board/").content.decode()
    assert board.index("Accepted") < board.index("Planned") and "Drop py2 shims" in board
    item = items["billing"]
    move = {"to_status": "in_progress", "expected_status": "accepted"}
    moved = client_user.post(f"/repos/shop/board/{item.pk}/move/", move, HTTP_HX_REQUEST="true",
                             HTTP_HX_TARGET="board")
    html = moved.content.decode()
    assert moved.status_code == 200 and html.startswith('<div id="board"') and "moved to in progress" in html
    item.refresh_from_db()
    assert item.status == "in_progress"
    illegal = client_user.post(f"/repos/shop/board/{items['planned'].pk}/move/",
                               {"to_status": "proposed", "expected_status": "planned"}, HTTP_HX_REQUEST="true")
    assert "cannot move to proposed" in illegal.content.decode() and 'class="card-error"' in illegal.content.decode()


def test_board_move_of_another_repository_item_is_404(client_user, items):
    from tests.frontend.factories import RepositoryFactory

    RepositoryFactory(name="other")
    response = client_user.post(f"/repos/other/board/{items['billing'].pk}/move/", {"to_status": "planned"})
    assert response.status_code == 404


def test_proposals_are_accepted_and_dismissed_one_by_one_and_in_bulk(client_user, items, shop, settings,
                                                                     django_assert_max_num_queries):
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"  # triaging proposals is a maintainer's
    with django_assert_max_num_queries(10):
        inbox = client_user.get("/repos/shop/proposals/").content.decode()
    assert "TODO: handle refunds" in inbox and "Split billing" not in inbox and 'data-select-all="ids"' in inbox
    todo, hot = items["todo"], items["hot"]
    one = client_user.post(f"/repos/shop/proposals/{todo.pk}/accept/", HTTP_HX_REQUEST="true")
    assert "accepted into the register" in one.content.decode()
    again = client_user.post(f"/repos/shop/proposals/{todo.pk}/dismiss/", HTTP_HX_REQUEST="true")
    assert "not a proposal" in again.content.decode()
    extra = _item(shop.repository, "Island", status="proposed", source="hotspot")
    bulk = {"action": "dismiss", "ids": [hot.pk, extra.pk, todo.pk]}
    response = client_user.post("/repos/shop/proposals/bulk/", bulk, follow=True)
    html = response.content.decode()
    assert "Dismissed 2 proposals." in html and f"Skipped #{todo.pk}" in html
    hot.refresh_from_db()
    assert hot.status == "wont_fix" and hot.dismissed
    nothing = client_user.post("/repos/shop/proposals/bulk/", {"action": "accept"}, follow=True)
    assert "Tick at least one proposal." in nothing.content.decode()


def test_import_is_for_staff_and_reports_refused_rows(client_user, client_staff, shop):
    assert client_user.get("/repos/shop/debt/import/").status_code == 403
    assert client_user.post("/repos/shop/debt/import/").status_code == 403
    content = json.dumps({"items": [
        {"title": "Imported one", "kind": "code", "impact": 3, "effort": 2, "external_id": "JIRA-1"},
        {"title": "", "kind": "code", "impact": 9, "effort": -1, "external_id": "JIRA-2"},
    ]}).encode()
    response = client_staff.post("/repos/shop/debt/import/", {
        "file": SimpleUploadedFile("debt.json", content, content_type="application/json"), "format": "auto",
    })
    html = response.content.decode()
    assert response.status_code == 200 and "Import report" in html
    assert "<strong>1</strong> created" in html and "<strong>1</strong> row refused" in html
    assert DebtItem.objects.filter(external_id="JIRA-1").exists()
    unknown = client_staff.post("/repos/shop/debt/import/", {"file": SimpleUploadedFile("debt.txt", b"x"),
                                                             "format": "auto"})
    assert unknown.status_code == 400 and "Choose CSV or JSON" in unknown.content.decode()


def test_export_downloads_the_register(client_user, items):
    response = client_user.get("/repos/shop/debt/export.csv")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    assert b"Split billing" in response.content
    data = json.loads(client_user.get("/repos/shop/debt/export.json").content)
    assert len(data["items"]) == 5
    assert client_user.get("/repos/shop/debt/export.xml").status_code == 404


def test_file_page_lists_linked_debt(client_user, items):
    html = client_user.get("/repos/shop/files/src/util/text.py").content.decode()
    assert "Drop py2 shims" in html  # linked through its folder


def test_home_and_dashboard_show_open_debt(client_user, items):
    home = client_user.get("/").content.decode()
    assert "3 open items" in home and "2 proposals" in home  # under the principal (effort)
    assert "2 proposals" in client_user.get("/repos/shop/").content.decode()


def test_debt_titles_are_escaped_everywhere(client_user, shop):
    evil = _item(shop.repository, "<script>alert('debt')</script>", description="<img src=x onerror=alert(1)>")
    _item(shop.repository, "<script>alert('proposal')</script>", status="proposed")
    for url in ("/debt/", "/repos/shop/debt/", f"/debt/{evil.pk}/", "/repos/shop/board/", "/repos/shop/proposals/",
                "/repos/shop/files/src/shop/billing.py", f"/debt/{evil.pk}/edit/"):
        html = client_user.get(url).content.decode()
        assert "<script>alert(" not in html, url
        assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", ""), url
