"""Browser fixtures: Debian's headless Chromium through Playwright against pytest-django's live server."""
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from pytest_django.live_server_helper import LiveServer

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


class OneRequestAtATime:
    """A WSGI application that runs the wrapped one for one request at a time (its body read in full), static
    files excepted."""

    def __init__(self, application) -> None:
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                                   else "/" + settings.STATIC_URL):
            return self.application(environ, start_response)  # static files: no database, served side by side
        with self.lock:
            response = self.application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()


class SerialWSGIServer(ThreadedWSGIServer):
    def set_app(self, application) -> None:
        super().set_app(OneRequestAtATime(application))


class SerialLiveServerThread(LiveServerThread):
    """A live server that runs one request at a time when it shares the tests' in-memory SQLite connection.

    Django's threaded live server hands that one connection to every request thread; a page that fetches two
    JSON documents at once then runs two queries on it together, and their rows mix (a `get()` by a unique
    name once saw two rows). Connections are still accepted and read by their own threads (an idle
    pre-connection cannot block the server); only the application is serialised. On PostgreSQL, or a file
    database, each thread has its own connection and nothing is serialised.
    """

    def _create_server(self, connections_override=None):
        if connections_override:
            self.server_class = SerialWSGIServer
        return super()._create_server(connections_override=connections_override)


@pytest.fixture(scope="session")
def live_server(request) -> Iterator[LiveServer]:
    """pytest-django's live server, serialised over a shared in-memory SQLite connection (see above)."""
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    threaded = server.thread
    server.thread = SerialLiveServerThread(threaded.host, threaded.static_handler,
                                           connections_override=threaded.connections_override, port=threaded.port)
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


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
