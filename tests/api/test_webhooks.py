"""Push webhooks over HTTP: real HMAC signatures over GitHub and GitLab push payloads, good, bad, missing, replayed.

The payloads are written by hand in the shape GitHub ("push", "ping") and GitLab ("Push Hook") send; each test
computes the signature the sender would. The client enforces CSRF checks: the hooks must not need a token.
"""
import hashlib
import hmac
import json
import logging
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from metrics.models import Repository, Scan, WebhookDelivery
from metrics.services.repositories import repository_create, repository_sync
from metrics.services.scans.requests import scan_request
from metrics.services.webhooks import webhook_secret_rotate
from metrics.signals import scan_finished
from tests.metrics.test_repositories import served  # noqa: F401 (a fixture: a bare repository behind git daemon)
from tests.task_queue import queued_tasks, run_queued_tasks

pytestmark = pytest.mark.django_db

ZERO = "0" * 40


@pytest.fixture(autouse=True)
def _no_other_listeners(monkeypatch):
    monkeypatch.setattr(scan_finished, "receivers", [])


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def shop(git_repo) -> tuple[Repository, str]:
    """The local repository `shop` (branch main, default revision HEAD) and its webhook secret."""
    git_repo.commit("start", files={"shop/cart.py": "def total(items):\n    return sum(items)\n"})
    repository = repository_create(source=str(git_repo.path), name="shop")
    return repository, webhook_secret_rotate(repository=repository)


def commit_of(sha: str, message: str = "Fix the cart total") -> dict[str, Any]:
    return {"id": sha, "tree_id": "7" * 40, "distinct": True, "message": message,
            "timestamp": "2026-03-04T10:00:00+01:00", "url": f"https://github.com/acme/shop/commit/{sha}",
            "author": {"name": "Ada Lovelace", "email": "ada@example.com", "username": "ada"},
            "committer": {"name": "GitHub", "email": "noreply@github.com", "username": "web-flow"},
            "added": [], "removed": [], "modified": ["shop/cart.py"]}


def github_push(*, ref: str = "refs/heads/main", after: str = "b" * 40, deleted: bool = False,
                default_branch: str = "main") -> dict[str, Any]:
    """A GitHub `push` event payload (trimmed of nothing debtboard might trip on)."""
    commits = [] if deleted else [commit_of(after)]
    return {
        "ref": ref, "before": "a" * 40, "after": ZERO if deleted else after, "repository": {
            "id": 123456789, "node_id": "R_kgDOJ0abcd", "name": "shop", "full_name": "acme/shop", "private": True,
            "owner": {"name": "acme", "email": None, "login": "acme", "id": 42, "type": "Organization"},
            "html_url": "https://github.com/acme/shop", "description": "The shop", "fork": False,
            "url": "https://github.com/acme/shop", "created_at": 1700000000, "updated_at": "2026-03-04T09:00:00Z",
            "pushed_at": 1772614800, "clone_url": "https://github.com/acme/shop.git", "size": 2048,
            "default_branch": default_branch, "master_branch": default_branch, "visibility": "private",
        },
        "pusher": {"name": "ada", "email": "ada@example.com"},
        "organization": {"login": "acme", "id": 42},
        "sender": {"login": "ada", "id": 7, "type": "User", "site_admin": False},
        "created": False, "deleted": deleted, "forced": False, "base_ref": None,
        "compare": "https://github.com/acme/shop/compare/aaaaaaaaaaaa...bbbbbbbbbbbb",
        "commits": commits, "head_commit": commits[0] if commits else None,
    }


def github_ping() -> dict[str, Any]:
    return {"zen": "Keep it logically awesome.", "hook_id": 987654, "hook": {
        "type": "Repository", "id": 987654, "name": "web", "active": True, "events": ["push"],
        "config": {"content_type": "json", "insecure_ssl": "0",
                   "url": "https://debtboard.example.com/hooks/github/shop"},
    }, "repository": {"id": 123456789, "full_name": "acme/shop", "default_branch": "main"},
        "sender": {"login": "ada", "id": 7}}


def gitlab_push(*, ref: str = "refs/heads/main", after: str = "c" * 40, default_branch: str = "main") -> dict:
    """A GitLab `Push Hook` payload."""
    return {
        "object_kind": "push", "event_name": "push", "before": "a" * 40, "after": after, "ref": ref,
        "ref_protected": True, "checkout_sha": after, "message": None, "user_id": 4, "user_name": "Ada Lovelace",
        "user_username": "ada", "user_email": "", "user_avatar": "https://gitlab.example.com/uploads/ada.png",
        "project_id": 15, "project": {
            "id": 15, "name": "shop", "description": "", "web_url": "https://gitlab.example.com/acme/shop",
            "avatar_url": None, "git_ssh_url": "git@gitlab.example.com:acme/shop.git",
            "git_http_url": "https://gitlab.example.com/acme/shop.git", "namespace": "acme", "visibility_level": 0,
            "path_with_namespace": "acme/shop", "default_branch": default_branch, "ci_config_path": None,
            "homepage": "https://gitlab.example.com/acme/shop", "url": "git@gitlab.example.com:acme/shop.git",
        },
        "commits": [{"id": after, "message": "Fix the cart total\n", "title": "Fix the cart total",
                     "timestamp": "2026-03-04T10:00:00+01:00",
                     "url": f"https://gitlab.example.com/acme/shop/-/commit/{after}",
                     "author": {"name": "Ada Lovelace", "email": "[REDACTED]"}, "added": [],
                     "modified": ["shop/cart.py"], "removed": []}],
        "total_commits_count": 1, "push_options": {},
        "repository": {"name": "shop", "url": "git@gitlab.example.com:acme/shop.git", "description": "",
                       "homepage": "https://gitlab.example.com/acme/shop", "visibility_level": 0},
    }


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def to_github(client: Client, name: str, payload: Any, *, secret: str | None, event: str = "push",
              delivery: str | None = None, body: bytes | None = None, signature: str | None = None):
    body = json.dumps(payload).encode() if body is None else body
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
               "X-GitHub-Hook-ID": "987654", "User-Agent": "GitHub-Hookshot/abc1234"}
    if signature is not None or secret is not None:
        headers["X-Hub-Signature-256"] = signature if signature is not None else sign(secret, body)
    return client.post(f"/hooks/github/{name}", data=body, content_type="application/json", headers=headers)


def to_gitlab(client: Client, name: str, payload: Any, *, token: str | None, delivery: str | None = None,
              event: str = "Push Hook"):
    headers = {"X-Gitlab-Event": event, "X-Gitlab-Event-UUID": delivery or str(uuid.uuid4()),
               "X-Gitlab-Instance": "https://gitlab.example.com", "User-Agent": "GitLab/17.5.0"}
    if token is not None:
        headers["X-Gitlab-Token"] = token
    return client.post(f"/hooks/gitlab/{name}", data=json.dumps(payload), content_type="application/json",
                       headers=headers)


def error_of(response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"code", "message", "extra"}, body
    return body


def test_github_s_form_encoded_content_type_is_read_too(client, shop, django_capture_on_commit_callbacks):
    _, secret = shop
    body = urlencode({"payload": json.dumps(github_push())}).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/hooks/github/shop", data=body, content_type="application/x-www-form-urlencoded",
                               headers={"X-GitHub-Event": "push", "X-GitHub-Delivery": "form-1",
                                        "X-Hub-Signature-256": sign(secret, body)})
    assert response.status_code == 202 and response.json()["status"] == "queued"
    broken = b"payload=%7Bnot-json"
    refused = client.post("/hooks/github/shop", data=broken, content_type="application/x-www-form-urlencoded",
                          headers={"X-GitHub-Event": "push", "X-GitHub-Delivery": "form-2",
                                   "X-Hub-Signature-256": sign(secret, broken)})
    assert refused.status_code == 400 and error_of(refused)["code"] == "webhook.malformed_json"


def test_a_signed_github_push_to_the_tracked_branch_queues_a_scan_that_runs(
    client, shop, django_capture_on_commit_callbacks
):
    repository, secret = shop
    with django_capture_on_commit_callbacks(execute=True):
        response = to_github(client, "shop", github_push(), secret=secret, delivery="d-1")
    assert response.status_code == 202, response.content
    scan = Scan.objects.get()
    assert response.json() == {"status": "queued", "detail": f"Scan {scan.pk} of main queued.", "scan": scan.pk,
                               "delivery": "d-1"}
    assert queued_tasks() == [("metrics.tasks.scan_run_task", [scan.pk])]
    [row] = run_queued_tasks()
    assert row.return_value == Scan.Status.SUCCEEDED
    delivery = WebhookDelivery.objects.get()
    assert (delivery.provider, delivery.delivery_id, delivery.outcome, delivery.scan_id) == (
        "github", "d-1", "queued", scan.pk)


def test_a_replayed_delivery_does_nothing_the_second_time(client, shop, django_capture_on_commit_callbacks):
    _, secret = shop
    body = json.dumps(github_push()).encode()
    with django_capture_on_commit_callbacks(execute=True):
        first = to_github(client, "shop", None, body=body, secret=secret, delivery="same-id")
    run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        again = to_github(client, "shop", None, body=body, secret=secret, delivery="same-id")
    assert first.status_code == 202 and again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert Scan.objects.count() == 1 and queued_tasks() == [] and WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize(
    ("signature", "code"),
    [(None, "webhook.signature_missing"), ("", "webhook.signature_missing"),
     ("sha256=" + "0" * 64, "webhook.signature_invalid"), ("sha1=abc", "webhook.signature_invalid"),
     ("wrong-secret", "webhook.signature_invalid")],
)
def test_a_bad_or_missing_signature_is_refused_with_401(client, shop, signature, code, caplog):
    body = json.dumps(github_push()).encode()
    if signature == "wrong-secret":
        signature = sign("not the secret", body)
    with caplog.at_level(logging.WARNING, logger="api.views.hooks"):
        response = to_github(client, "shop", None, body=body, secret=None, signature=signature)
    assert response.status_code == 401 and error_of(response)["code"] == code
    assert Scan.objects.count() == 0 and WebhookDelivery.objects.count() == 0
    assert any(code in record.getMessage() for record in caplog.records)


def test_a_signature_over_another_body_is_refused(client, shop):
    _, secret = shop
    signed = json.dumps(github_push(ref="refs/heads/feature")).encode()
    response = to_github(client, "shop", None, body=json.dumps(github_push()).encode(), secret=None,
                         signature=sign(secret, signed))
    assert response.status_code == 401 and Scan.objects.count() == 0


def test_a_repository_without_a_secret_refuses_every_delivery(client, git_repo):
    git_repo.commit("start", files={"a.py": "x = 1\n"})
    repository_create(source=str(git_repo.path), name="bare")
    response = to_github(client, "bare", github_push(), secret="", signature=sign("", b"{}"))
    assert response.status_code == 401 and error_of(response)["code"] == "webhook.no_secret"


def test_a_ping_answers_200_and_queues_nothing(client, shop):
    _, secret = shop
    response = to_github(client, "shop", github_ping(), secret=secret, event="ping")
    assert response.status_code == 200 and response.json()["status"] == "pong"
    assert Scan.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "reason"),
    [(github_push(ref="refs/heads/feature/cart"), "The push is to feature/cart; shop tracks main."),
     (github_push(ref="refs/tags/v1.0"), "refs/tags/v1.0 is not a branch."),
     (github_push(deleted=True), "The push deleted branch main.")],
)
def test_pushes_that_do_not_touch_the_tracked_branch_are_ignored_with_a_reason(client, shop, payload, reason):
    _, secret = shop
    response = to_github(client, "shop", payload, secret=secret)
    assert response.status_code == 202
    assert response.json()["status"] == "ignored" and response.json()["detail"] == reason
    assert Scan.objects.count() == 0 and queued_tasks() == []


def test_a_named_default_revision_is_the_tracked_branch(client, shop, django_capture_on_commit_callbacks):
    repository, secret = shop
    Repository.objects.filter(pk=repository.pk).update(default_revision="main")
    ignored = to_github(client, "shop", github_push(ref="refs/heads/trunk", default_branch="trunk"), secret=secret)
    assert ignored.json()["status"] == "ignored"
    with django_capture_on_commit_callbacks(execute=True):
        queued = to_github(client, "shop", github_push(default_branch="trunk"), secret=secret)
    assert queued.json()["status"] == "queued"


def test_other_events_are_ignored(client, shop):
    _, secret = shop
    response = to_github(client, "shop", {"action": "opened", "number": 1}, secret=secret, event="pull_request")
    assert response.status_code == 202 and response.json()["status"] == "ignored"
    assert Scan.objects.count() == 0


def test_a_push_while_a_scan_is_live_answers_with_the_live_scan(client, shop):
    repository, secret = shop
    live = scan_request(repository=repository, enqueue=False)
    response = to_github(client, "shop", github_push(), secret=secret)
    assert response.status_code == 202
    assert response.json()["status"] == "already_running" and response.json()["scan"] == live.pk
    assert Scan.objects.count() == 1


def test_an_unknown_repository_is_404_with_the_error_body(client, caplog):
    with caplog.at_level(logging.WARNING, logger="api.views.hooks"):
        response = to_github(client, "nope", github_push(), secret="x")
    assert response.status_code == 404 and error_of(response)["code"] == "repository.not_found"
    assert "repository.not_found" in caplog.text
    assert to_gitlab(client, "nope", gitlab_push(), token="x").status_code == 404


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000])
def test_malformed_json_is_400(client, shop, body):
    _, secret = shop
    response = to_github(client, "shop", None, body=body, secret=secret)
    assert response.status_code == 400 and error_of(response)["code"] == "webhook.malformed_json"


@pytest.mark.parametrize("payload", [[1, 2], "push", {"ref": 5}, {"after": "b" * 40}])
def test_a_payload_that_is_not_a_push_is_400(client, shop, payload):
    _, secret = shop
    response = to_github(client, "shop", payload, secret=secret)
    assert response.status_code == 400 and error_of(response)["code"] == "webhook.payload_invalid"


@pytest.mark.parametrize("ref", ["refs/heads/ma\x00in", "refs/heads/main\n", "refs/heads/a\x1b[31mred",
                                 "refs/heads/tab\there", "refs/heads/del\x7f"])
def test_branch_names_with_control_characters_are_400(client, shop, ref):
    _, secret = shop
    response = to_github(client, "shop", github_push(ref=ref), secret=secret)
    assert response.status_code == 400 and error_of(response)["code"] == "webhook.payload_invalid"
    assert error_of(response)["extra"] == {"field": "ref"}
    assert Scan.objects.count() == 0 and WebhookDelivery.objects.count() == 0
    token_response = to_gitlab(client, "shop", gitlab_push(ref=ref), token=shop[1])
    assert token_response.status_code == 400


def test_a_30_mb_body_is_refused_before_it_is_read(client, shop, settings):
    _, secret = shop
    body = b"{" + b" " * (30 * 1024 * 1024) + b"}"
    response = to_github(client, "shop", None, body=body, secret=secret)
    assert response.status_code == 413
    assert error_of(response)["extra"] == {"limit_bytes": settings.DEBTBOARD_WEBHOOK_MAX_BYTES}


def test_a_body_over_a_lowered_limit_is_413(client, shop, settings):
    _, secret = shop
    settings.DEBTBOARD_WEBHOOK_MAX_BYTES = 1000
    response = to_github(client, "shop", github_push(), secret=secret)
    assert response.status_code == 413 and error_of(response)["code"] == "request.too_large"


@pytest.mark.parametrize("delivery", ["", " ", "x" * 101, "id\nwith\nnewlines"])
def test_a_missing_or_malformed_delivery_id_is_400(client, shop, delivery):
    _, secret = shop
    body = json.dumps(github_push()).encode()
    response = client.post("/hooks/github/shop", data=body, content_type="application/json", headers={
        "X-GitHub-Event": "push", "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": sign(secret, body)})
    assert response.status_code == 400 and error_of(response)["code"] == "webhook.delivery_id_invalid"


def test_only_post_is_answered(client, shop):
    response = client.get("/hooks/github/shop")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert error_of(response)["code"] == "method_not_allowed"


def test_a_gitlab_push_with_the_right_token_queues_a_scan_once(client, shop, django_capture_on_commit_callbacks):
    _, secret = shop
    with django_capture_on_commit_callbacks(execute=True):
        first = to_gitlab(client, "shop", gitlab_push(), token=secret, delivery="gl-1")
    assert first.status_code == 202 and first.json()["status"] == "queued"
    run_queued_tasks()
    replay = to_gitlab(client, "shop", gitlab_push(), token=secret, delivery="gl-1")
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    assert Scan.objects.count() == 1
    assert WebhookDelivery.objects.get().provider == "gitlab"


@pytest.mark.parametrize(("token", "code"),
                         [(None, "webhook.signature_missing"), ("nope", "webhook.signature_invalid")])
def test_a_gitlab_push_with_a_missing_or_wrong_token_is_401(client, shop, token, code):
    response = to_gitlab(client, "shop", gitlab_push(), token=token)
    assert response.status_code == 401 and error_of(response)["code"] == code
    assert Scan.objects.count() == 0


def test_a_gitlab_push_to_another_branch_and_a_tag_push_are_ignored(client, shop):
    _, secret = shop
    assert to_gitlab(client, "shop", gitlab_push(ref="refs/heads/dev"), token=secret).json()["status"] == "ignored"
    tag = to_gitlab(client, "shop", gitlab_push(ref="refs/tags/v2"), token=secret, event="Tag Push Hook")
    assert tag.status_code == 202 and tag.json()["status"] == "ignored"
    assert Scan.objects.count() == 0


def test_rotating_the_secret_retires_the_old_one(client, shop):
    repository, old = shop
    new = webhook_secret_rotate(repository=repository)
    assert new != old and len(new) >= 40
    assert to_github(client, "shop", github_ping(), secret=old, event="ping").status_code == 401
    assert to_github(client, "shop", github_ping(), secret=new, event="ping").status_code == 200


def test_a_push_to_a_remote_fetches_the_new_commit_and_scans_it(
    client, served, settings, django_capture_on_commit_callbacks  # noqa: F811
):
    settings.DEBTBOARD_REMOTE_ALLOW_HOSTS = ["127.0.0.1"]
    source, _bare, url = served
    repository = repository_create(source=url, name="remote-shop")
    repository_sync(repository=repository)
    secret = webhook_secret_rotate(repository=repository)
    source.commit("second", files={"app.py": "def f(x):\n    return x or 1\n"})
    source.git("push", "-q", "origin", "main")
    with django_capture_on_commit_callbacks(execute=True):
        response = to_github(client, "remote-shop", github_push(after=source.head()), secret=secret)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    [row] = run_queued_tasks()
    assert row.return_value == Scan.Status.SUCCEEDED
    assert Scan.objects.get().commit_sha == source.head()
