"""The new pages in Chromium: annotated source, adding and scanning a repository, folder and function pages."""
from datetime import timedelta

import pytest

from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.task_queue import run_queued_tasks
from tests.frontend.factories import UserFactory
from tests.gitrepo import BASE_DATE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADA = "Ada Lovelace <ada@example.com>"
CART = '''\
"""Cart."""
import os


def total(items):
    # TODO: handle refunds
    return sum(items)
'''


@pytest.fixture
def staff(transactional_db):
    return UserFactory(username="operator", is_staff=True)


@pytest.fixture
def scanned(git_repo, settings, transactional_db):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    git_repo.commit("start", files={"shop/__init__.py": "", "shop/cart.py": CART,
                                    "CODEOWNERS": "shop/ @shop-team\n"}, author=ADA, date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="real")
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == "succeeded", scan.error
    git_repo.commit("more", files={"shop/cart.py": CART + "\n\ndef count(items):\n    return len(items)\n"},
                    author=ADA, date=BASE_DATE + timedelta(days=3))
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)  # a second commit: a trend
    assert scan.status == "succeeded", scan.error
    return repository


def test_annotated_source_shows_a_known_violation_on_its_line(browser_session, staff, scanned):
    page = browser_session.page
    browser_session.login_as(staff)
    browser_session.goto("/repos/real/files/shop/cart.py")
    line = page.locator("#source #L2")  # `import os`, unused: F401
    line.wait_for()
    assert "F401" in line.inner_text() and "import" in line.inner_text()
    assert "TODO" in page.locator("#source #L6").inner_text()
    assert "cc 1" in page.locator("#source #L5").inner_text()
    page.locator("[data-coupling]").first.wait_for()
    page.get_by_role("link", name="total").first.click()  # the function list jumps to the line
    page.wait_for_function("window.location.hash === '#L5'")
    browser_session.screenshot("file-annotated-source")


def test_adding_a_repository_from_the_ui_and_scanning_it(browser_session, staff, git_repo, settings):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    git_repo.commit("start", files={"app.py": "import os\n\n\ndef f():\n    return 1\n"}, author=ADA, date=BASE_DATE)
    page = browser_session.page
    browser_session.login_as(staff)
    browser_session.goto("/")
    page.get_by_role("link", name="Add a repository").click()
    page.get_by_label("Path or URL").fill(str(git_repo.path))
    page.get_by_label("Name").fill("fromui")
    page.get_by_role("button", name="Add repository").click()
    page.get_by_text("Registered fromui").wait_for()
    page.get_by_role("button", name="Scan now").click()
    page.get_by_text("Scan requested.").wait_for()  # queued: the request returns at once
    assert [row.status for row in run_queued_tasks()] == ["SUCCESSFUL"]  # what `scan_worker` does
    page.locator("#scan-status .pill.succeeded").wait_for(timeout=60_000)  # the polling status sees it end
    browser_session.goto("/repos/fromui/files/app.py")
    assert "F401" in page.locator("#source #L1").inner_text()
    browser_session.screenshot("repository-added-and-scanned")


def test_folder_and_function_pages_render_without_errors(browser_session, staff, scanned):
    page = browser_session.page
    browser_session.login_as(staff)
    browser_session.goto("/repos/real/files/shop/cart.py")
    page.locator(".path-links a", has_text="shop").click()
    page.get_by_role("heading", name="Sub-folders and files").wait_for()
    assert "@shop-team" in page.content()
    page.locator("#folder-size .main-svg").first.wait_for()  # two scans: the trend is drawn
    browser_session.screenshot("folder-page")
    browser_session.goto("/repos/real/functions/")
    page.get_by_role("link", name="total").first.click()
    page.get_by_role("heading", name="Commits that changed it").wait_for()
    assert "start" in page.locator("table").last.inner_text()
    browser_session.screenshot("function-page")
    browser_session.goto("/repos/real/")
    page.locator("[data-coupling]").first.wait_for()
