"""Real-browser flows: log in, the hotspot map, filtering, logging debt, the board, the proposals inbox."""
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from debt.data import LocationSpec
from debt.models import DebtItem
from debt.services.items import debt_item_create
from tests.frontend.factories import PASSWORD, UserFactory, scanned_repository

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(transactional_db):
    return UserFactory(username="reader")


@pytest.fixture
def shop(transactional_db):
    return scanned_repository()


def test_logging_in(browser_session, reader, shop):
    page = browser_session.page
    browser_session.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Repositories").wait_for()
    assert page.get_by_role("link", name="shop", exact=True).is_visible()
    browser_session.screenshot("login-repositories")


def test_hotspot_map_drills_into_a_folder_and_opens_a_file(browser_session, reader, shop):
    page = browser_session.page
    browser_session.login_as(reader)
    browser_session.goto("/repos/shop/")
    page.locator("#hotspot-map[data-ready='1']").wait_for()
    page.locator("#trend-health .main-svg").first.wait_for()
    page.get_by_label("Code health").check()  # recolour by health
    browser_session.screenshot("dashboard-hotspot-map")
    # a folder's text is its name, then its hottest file ("util▲ text.py 10")
    page.locator("#hotspot-map g.slice").filter(has_text=re.compile(r"^util")).first.click()
    leaf = page.locator("#hotspot-map g.slice").filter(has_text="text.py").first
    leaf.wait_for()
    # Plotly ignores clicks during its zoom transition: click until the file page opens.
    for _ in range(10):
        leaf.click()
        try:
            page.wait_for_url("**/repos/shop/files/src/util/text.py", timeout=1_000)
            break
        except PlaywrightTimeoutError:
            continue
    assert page.url.endswith("/repos/shop/files/src/util/text.py")
    page.get_by_role("heading", name="Functions").wait_for()
    browser_session.goto("/repos/shop/files/src/shop/billing.py")  # the file with history over three scans
    page.locator("#history-size .main-svg").first.wait_for()
    browser_session.screenshot("file-page")


def test_filtering_the_ranking_swaps_the_table_and_keeps_the_url(browser_session, reader, shop):
    page = browser_session.page
    browser_session.login_as(reader)
    browser_session.goto("/repos/shop/hotspots/")
    page.locator("#scatter .main-svg").first.wait_for()
    page.evaluate("window.__same_page = true")
    page.get_by_label("Path starts with").fill("src/shop/")
    page.wait_for_function("() => decodeURIComponent(location.search).includes('path=src/shop/')")
    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 2")
    assert page.evaluate("window.__same_page") is True  # htmx swapped the table; no reload
    page.get_by_role("link", name="Churn").click()
    page.wait_for_function("() => location.search.includes('sort=-churn')")
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Churn")
    first = page.locator("#results tbody tr").first
    assert "changed 20 times" in first.locator(".why-sentence").inner_text().lower()
    browser_session.screenshot("hotspot-ranking-filtered")
    page.reload()
    assert page.get_by_label("Path starts with").input_value() == "src/shop/"


def test_logging_a_debt_item_from_a_function_row(browser_session, reader, shop):
    page = browser_session.page
    browser_session.login_as(reader)
    browser_session.goto("/repos/shop/files/src/shop/cart.py")
    page.locator("tr", has_text="Cart.add").get_by_role("link", name="Log debt").click()
    page.get_by_role("heading", name="Log a debt item").wait_for()
    assert page.get_by_label("Path").input_value() == "src/shop/cart.py"
    assert page.get_by_label("Function or method").input_value() == "Cart.add"
    page.get_by_label("Effort (hours)").fill("0")
    page.get_by_role("button", name="Log item").click()
    assert page.get_by_text("Ensure this value is greater than or equal to 0.01.").is_visible()
    page.get_by_label("Effort (hours)").fill("5")
    page.get_by_label("Labels").fill("cart, retries")
    page.get_by_role("button", name="Log item").click()
    page.get_by_text("Principal and interest").wait_for()
    item = DebtItem.objects.get()
    assert page.url.endswith(f"/debt/{item.pk}/")
    assert item.locations.get().qualname == "Cart.add"
    browser_session.screenshot("debt-item")
    browser_session.goto("/repos/shop/files/src/shop/cart.py")
    assert page.locator("#debt-title + *, section", has_text="Simplify Cart.add").first.is_visible()


def test_moving_cards_on_the_board_with_the_keyboard(browser_session, reader, shop):
    page = browser_session.page
    item = debt_item_create(repository=shop.repository, title="Split billing",
                            locations=[LocationSpec(path="src/shop/billing.py")])
    browser_session.login_as(reader)
    browser_session.goto("/repos/shop/board/")
    card = page.locator(f"#card-{item.pk}")
    card.get_by_label(f"Move #{item.pk} to").select_option("planned")
    card.get_by_role("button", name="Move").focus()
    page.keyboard.press("Enter")
    page.locator("section[data-status=planned]").locator(f"#card-{item.pk}").wait_for()
    item.refresh_from_db()
    assert item.status == "planned"
    moved = page.locator(f"#card-{item.pk}")
    moved.get_by_label(f"Move #{item.pk} to").select_option("done")
    moved.get_by_role("button", name="Move").click()
    page.locator("section[data-status=done]").locator(f"#card-{item.pk}").wait_for()
    done = page.locator(f"#card-{item.pk}")
    done.get_by_label(f"Move #{item.pk} to").select_option("accepted")
    done.get_by_role("button", name="Move").click()
    page.locator(f"#card-{item.pk} .card-error").wait_for()
    assert "cannot move to accepted" in page.locator(f"#card-{item.pk} .card-error").inner_text()
    browser_session.screenshot("board")


def test_accepting_and_dismissing_proposals(browser_session, reader, shop):
    page = browser_session.page
    proposals = [
        debt_item_create(repository=shop.repository, title=title, status="proposed", source="marker",
                         locations=[LocationSpec(path="src/shop/cart.py")])
        for title in ("TODO: handle refunds", "FIXME: retry payments", "XXX: remove py2 shim")
    ]
    browser_session.login_as(reader)
    browser_session.goto("/repos/shop/proposals/")
    row = page.locator(f"#proposal-{proposals[0].pk}")
    row.get_by_role("button", name="Accept").click()
    page.get_by_text("accepted into the register").wait_for()
    page.get_by_label("Select all on this page").check()
    page.get_by_role("button", name="Dismiss selected").click()
    page.get_by_text("Dismissed 2 proposals.").wait_for()
    assert page.get_by_text("No proposals waiting.").is_visible()
    statuses = {item.title: item.status for item in DebtItem.objects.all()}
    assert statuses == {"TODO: handle refunds": "accepted", "FIXME: retry payments": "wont_fix",
                        "XXX: remove py2 shim": "wont_fix"}
    browser_session.screenshot("proposals")
