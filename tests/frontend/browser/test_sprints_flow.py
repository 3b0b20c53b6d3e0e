"""Real-browser flow of issue 12: create a team, set a 20 % budget, schedule two items, finish one, see it move."""
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.debt.factories import make_repository
from tests.frontend.factories import UserFactory
from tests.sprints.conftest import make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figure(page, name: str) -> str:
    return page.locator(f"#figure-{name}").inner_text()


def burndown_remaining(page) -> list:
    page.locator("#burndown-chart[data-ready='1'] .main-svg").first.wait_for()
    return page.evaluate("document.getElementById('burndown-chart').data[1].y")


def last_value(series: list) -> object:
    """The newest point of a burn-down series (days still ahead are None)."""
    return [value for value in series if value is not None][-1]


def create_team_with_budget_area_and_sprints(page, browser_session) -> None:
    """Create Payments from the teams list, set a 20 % budget and an area, and generate the sprints."""
    browser_session.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    page.get_by_label("Name").fill("Payments")
    page.get_by_label("First day").fill((timezone.localdate() - timedelta(days=3)).isoformat())
    page.get_by_label("Sprint length").select_option("2")
    page.get_by_label("Your capacity per sprint (hours)").fill("40")
    page.get_by_role("button", name="Create team").click()
    page.get_by_role("heading", name="Payments").wait_for()
    page.locator("#id_mode").select_option("share")
    page.get_by_label("Share of capacity (%)").fill("20")
    page.get_by_role("button", name="Save budget").click()
    assert page.locator("#team-budget").inner_text() == "20 %"
    page.get_by_text("Add an area").click()
    page.get_by_label("Repository").select_option(label="shop")
    page.get_by_label("Path prefix").fill("app/payments/")
    page.get_by_role("button", name="Add area").click()
    page.get_by_role("button", name="Generate sprints").click()
    page.get_by_role("link", name="Current sprint: Sprint 1").wait_for()


def schedule_from_item_pages(page, browser_session, items) -> None:
    for item in items:
        browser_session.goto(f"/debt/{item.pk}/")
        page.get_by_label("Schedule into").select_option(label="Payments · Sprint 1 (current)")
        page.locator("#sprint").get_by_role("button", name="Schedule").click()
        page.get_by_text(f"#{item.pk} scheduled into Sprint 1.").wait_for()


def assert_sprint_before_anything_is_done(page) -> None:
    """Two items (6 h + 4 h) committed against an 8 h budget: over-committed, nothing spent yet."""
    assert figure(page, "budget") == "8 h"  # 20 % of 40 h
    assert (figure(page, "spent"), figure(page, "committed"), figure(page, "left")) == ("0 h", "10 h", "-2 h")
    assert page.locator("#overcommit-flag").is_visible()
    assert page.locator("#sprint-items").get_by_text("Retry <payments>").is_visible()  # escaped, shown as text
    assert last_value(burndown_remaining(page)) == 10  # both items scheduled today
    assert page.evaluate("document.getElementById('burndown-chart').data[0].y[0]") == 10  # the ideal line
    assert page.locator(".budget-spent").evaluate("el => el.getBoundingClientRect().width") == 0


def assert_sprint_after_the_first_item_is_done(page) -> None:
    """The 6 h item is spent: the budget bar and the burn-down move."""
    assert (figure(page, "spent"), figure(page, "committed"), figure(page, "left")) == ("6 h", "4 h", "-2 h")
    assert last_value(burndown_remaining(page)) == 4
    assert page.locator(".budget-spent").evaluate("el => el.getBoundingClientRect().width") > 0
    assert page.locator("#budget-bar").get_attribute("data-spent") == "6.0"


def test_team_budget_schedule_finish_and_see_the_figures_move(browser_session, transactional_db):
    lead = UserFactory(username="lena")
    shop = make_repository("shop")
    first = make_item(shop, effort=6, title="Split checkout")
    second = make_item(shop, effort=4, title="Retry <payments>")
    page = browser_session.page
    browser_session.login_as(lead)
    create_team_with_budget_area_and_sprints(page, browser_session)
    schedule_from_item_pages(page, browser_session, (first, second))

    browser_session.goto("/teams/payments/sprints/1/")
    assert_sprint_before_anything_is_done(page)

    # Finish the first item through its lifecycle buttons on the item page.
    browser_session.goto(f"/debt/{first.pk}/")
    page.get_by_role("button", name="Done", exact=True).click()
    page.get_by_text(f"#{first.pk} is now done.").wait_for()

    browser_session.goto("/teams/payments/sprints/1/")
    assert_sprint_after_the_first_item_is_done(page)
    browser_session.screenshot("sprint-page")

    # The team page's history chart shows the sprint's spend.
    browser_session.goto("/teams/payments/")
    page.locator("#history-chart[data-ready='1'] .main-svg").first.wait_for()
    assert page.evaluate("document.getElementById('history-chart').data[1].y") == [6.0]
