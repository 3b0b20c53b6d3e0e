"""Real-browser flow: a maintainer sets a weekly rescan, creates a webhook secret (shown once) and GitHub's ping
signed with it is answered by the live server."""
import hashlib
import hmac
import json
import urllib.request

import pytest

from metrics.models import Repository
from tests.frontend.factories import UserFactory, scanned_repository

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_maintainer_schedules_rescans_and_sets_up_a_webhook(browser_session, live_server, settings):
    settings.TIME_ZONE = "UTC"
    scanned_repository(name="shop")
    browser_session.login_as(UserFactory(username="maintainer"))
    page = browser_session.page
    page.set_default_timeout(60_000)  # a bound for a loaded shared machine, not a speed assertion
    browser_session.goto("/repos/shop/settings/")
    section = page.locator("#rescans")
    assert "Now: off" in section.inner_text()
    section.get_by_label("Rescan").select_option("weekly")
    section.get_by_label("At (HH:MM)").fill("06:15")
    section.get_by_label("On (weekly)").select_option("Friday")
    section.get_by_role("button", name="Save schedule").click()
    page.get_by_text("Rescans of shop: weekly on Friday at 06:15.").wait_for()
    assert "Now: weekly on Friday at 06:15; next at" in page.locator("#rescans").inner_text()
    github_url = page.locator("#rescans dd code").first.inner_text()
    assert github_url == f"{live_server.url}/hooks/github/shop"

    page.locator("#rescans").get_by_role("button", name="Create a secret").click()
    secret = page.locator("#webhook-secret").inner_text()
    assert secret == Repository.objects.get(name="shop").webhook_secret
    browser_session.screenshot("webhook-secret-shown-once")
    page.get_by_role("link", name="Back to the settings").click()
    page.locator("#rescans").get_by_role("button", name="Rotate the secret").wait_for()
    assert secret not in page.content()

    body = json.dumps({"zen": "Approachable is better than simple.", "hook_id": 1}).encode()
    request = urllib.request.Request(github_url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-GitHub-Event": "ping", "X-GitHub-Delivery": "ping-1",
        "X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and json.load(response)["status"] == "pong"
