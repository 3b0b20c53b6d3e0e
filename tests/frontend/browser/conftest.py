"""Browser fixtures: Debian's headless Chromium through Playwright against pytest-django's live server."""
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are still sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    """One headless Chromium for the whole session (never downloaded: Debian's package)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserSession:
    """A page in its own browser context that records every request and script error it makes."""

    def __init__(self, browser, base_url: str) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        # Every Content-Security-Policy violation becomes a console error, so `errors` holds them too.
        self.page.add_init_script(
            "document.addEventListener('securitypolicyviolation', event => console.error("
            "'CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));"
        )

    def login_as(self, user) -> None:
        """Log in by giving the browser a session cookie of `user` (the login form has its own test)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not (url.startswith(self.base_url) or url.startswith("data:"))]


@pytest.fixture(autouse=True)
def _signed_in_users_maintain(settings) -> None:
    """The flows log, move and triage debt as a plain user: make every signed-in user a maintainer here."""
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"


@pytest.fixture
def browser_session(chromium, live_server) -> Iterator[BrowserSession]:
    """A fresh browser context; after the test, no request may have left the server and no script failed."""
    session = BrowserSession(chromium, live_server.url)
    yield session
    session.context.close()
    assert session.outside_requests() == []
    assert session.errors == []
