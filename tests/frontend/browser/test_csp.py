"""The Content-Security-Policy is sent and holds: the pages with htmx and plotly charts run without a violation."""
import pytest

from debt.data import LocationSpec
from debt.services.items import debt_item_create
from tests.frontend.factories import UserFactory, scanned_repository

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(transactional_db):
    return UserFactory(username="reader")


@pytest.fixture
def shop(transactional_db):
    built = scanned_repository()
    debt_item_create(repository=built.repository, title="Split the cart", status="accepted",
                     locations=[LocationSpec(path="src/shop/cart.py")])
    return built


def test_pages_send_the_policy_and_run_without_violations(browser_session, reader, shop):
    page = browser_session.page
    browser_session.login_as(reader)
    response = page.goto(browser_session.base_url + "/repos/shop/")
    policy = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
                      "base-uri 'self'", "form-action 'self'", "img-src 'self' data:"):
        assert directive in policy
    assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    page.locator("#hotspot-map[data-ready='1']").wait_for()  # plotly treemap drawn
    page.locator("#trend-health .main-svg").first.wait_for()
    browser_session.goto("/repos/shop/hotspots/")
    page.locator(".main-svg").first.wait_for()  # the churn/complexity scatter
    browser_session.goto("/repos/shop/files/src/shop/cart.py")
    page.get_by_role("heading", name="Functions").wait_for()
    browser_session.goto("/repos/shop/debt/")
    page.get_by_text("Split the cart").first.wait_for()
    browser_session.goto("/repos/shop/board/")
    page.locator("#card-1, .board-card").first.wait_for()
    page.locator(".board-card select").first.select_option("planned")
    page.locator(".board-card button", has_text="Move").first.click()  # htmx swap under the policy
    page.get_by_role("status").first.wait_for(state="attached")
    assert browser_session.errors == []


def test_the_swagger_ui_works_under_the_policy(browser_session, reader, shop):
    page = browser_session.page
    browser_session.login_as(reader)
    browser_session.goto("/api/docs/")
    page.get_by_text("/api/v1/repositories/").first.wait_for()
    assert browser_session.errors == []
