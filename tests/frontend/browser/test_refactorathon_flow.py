"""Real-browser flow of issue 13: plan an event, pin a left-out item, re-plan, begin, finish an item, finish the
event and read the report's figures and charts (no console error, no CSP violation, no outside request)."""
from datetime import date, datetime, timezone as tz

import pytest

from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from sprints.services.refactorathons import refactorathon_create, refactorathon_participant_add
from tests.frontend.factories import UserFactory
from tests.gitrepo import BASE_DATE
from tests.sprints.conftest import make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START, END = date(2024, 3, 4), date(2024, 3, 8)
TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(8)) + \
    "    return b\n"
SIMPLE = "def pay(a, b):\n    return b + a\n"


def text(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def chosen_ids(page) -> set[int]:
    return {int(value) for value in page.locator("#plan-chosen tr[data-item]").evaluate_all(
        "rows => rows.map(row => row.dataset.item)")}


def build(git_repo):
    """shop scanned (pay() with complexity 9), Ada (8 h) at Spring <clean> over app/, 14 h of items."""
    git_repo.commit("start", files={"app/pay.py": TANGLED, "app/refund.py": "def refund():\n    return 1\n",
                                    "app/cart.py": "def cart():\n    return []\n"},
                    author="Ada Lovelace <ada@example.com>", date=BASE_DATE)
    shop = repository_create(source=str(git_repo.path), name="shop")
    assert scan_run(scan_id=scan_request(repository=shop, enqueue=False).pk).succeeded
    ada = UserFactory(username="ada", email="ada@example.com")
    event = refactorathon_create(actor=ada, name="Spring <clean>", start=START, end=END, scope=[(shop.pk, ["app/"])])
    refactorathon_participant_add(event=event, actor=ada, user_id=ada.pk, hours=8, areas=["app/"])
    pay = make_item(shop, effort=6, path="app/pay.py", title="Untangle pay")
    for title, effort, path in (("Tidy refund", 3, "app/refund.py"), ("Split the cart", 5, "app/cart.py")):
        make_item(shop, effort=effort, path=path, title=title)
    return shop, ada, event, pay


def pin(page, item_id: int) -> None:
    page.locator(f"#candidate-list tr[data-item='{item_id}']").get_by_role("button", name="Pin").click()
    page.locator(f"#candidate-list tr[data-item='{item_id}'] .badge.pinned").wait_for()
    page.get_by_role("button", name="Re-plan").click()


def plan_pin_and_replan(page, pay_id: int) -> None:
    """Plan; pin a left-out item and re-plan; make sure pay.py's item is planned too."""
    page.get_by_role("button", name="Plan", exact=True).click()
    assert (text(page, "#plan-status"), text(page, "#plan-version")) == ("optimal", "1")
    left_out = int(page.locator("#plan-left-out tr[data-item]").first.get_attribute("data-item"))
    # 14 h of items, 8 h of capacity: something is left out, with its reason.
    assert (left_out in chosen_ids(page), "capacity" in text(page, "#plan-left-out")) == (False, True)
    pin(page, left_out)
    assert (text(page, "#plan-version"), left_out in chosen_ids(page)) == ("2", True)
    assert page.locator(".capacity-bar span").evaluate("el => el.getBoundingClientRect().width") > 0
    if pay_id not in chosen_ids(page):
        pin(page, pay_id)
    assert pay_id in chosen_ids(page)


def read_report(page) -> None:
    """The report: figures, the per-file table and the before/after chart, drawn by the local plotly."""
    page.get_by_role("navigation", name="Refactorathon").get_by_role("link", name="Report").click()
    assert (text(page, "#total-complexity"), text(page, "#items-done")) == ("8", "1")
    assert "9 → 1" in text(page, "#file-deltas tr[data-path='app/pay.py']")
    page.locator("#report-files-chart[data-ready='1'] .main-svg").first.wait_for()
    assert page.evaluate("[document.getElementById('report-files-chart').data[0].y[0], "
                         "document.getElementById('report-files-chart').data[1].y[0]]") == [9, 1]


def test_plan_pin_replan_finish_an_item_and_read_the_report(browser_session, git_repo, transactional_db):
    shop, ada, event, pay = build(git_repo)
    page = browser_session.page
    browser_session.login_as(ada)
    browser_session.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Refactorathons").click()
    page.get_by_role("link", name="Spring <clean>").click()  # escaped: shown as text
    plan_pin_and_replan(page, pay.pk)
    page.get_by_role("button", name="Begin the event").click()
    assert text(page, "#event-status") == "running"

    # The event's work: pay() simplified during the event, scanned; its item finished from the event page.
    git_repo.commit("simplify pay", files={"app/pay.py": SIMPLE}, author="Ada Lovelace <ada@example.com>",
                    date=datetime(2024, 3, 5, 10, tzinfo=tz.utc))
    assert scan_run(scan_id=scan_request(repository=shop, enqueue=False).pk).succeeded
    browser_session.goto(f"/refactorathons/{event.slug}/event/")
    assert text(page, "#total-complexity") == "8"  # the code's figures since the start: 9 -> 1
    page.locator(f"#event-items tr[data-item='{pay.pk}']").get_by_role("button", name="Done").click()
    page.get_by_text(f"#{pay.pk} is now done.").wait_for()
    assert text(page, "#items-progress").startswith("1 of")
    page.get_by_role("button", name="Finish the event").click()
    assert text(page, "#event-status") == "finished"
    read_report(page)
    browser_session.screenshot("refactorathon-report")
