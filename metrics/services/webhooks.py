"""Push webhooks: rotate a repository's secret, and act on a GitHub or GitLab delivery.

A delivery is checked in this order, so each refusal says the first thing wrong: the repository exists (404),
the signature or token matches its secret (401), the body is JSON (400), then a ping answers at once and a
push is recorded by its delivery id (a replay does nothing: the id is unique per repository and provider) and,
when it is a push to the tracked branch, queues a scan (fetch, then scan) through the same request path as
"Scan now": a scan already live answers with that scan.
"""
import json
import logging
import secrets
from typing import Any
from urllib.parse import parse_qs

from django.db import IntegrityError, transaction
from django.utils import timezone

from metrics.core.webhooks import (
    GITHUB,
    GITLAB,
    PushEvent,
    WebhookPayloadInvalid,
    github_signature_valid,
    gitlab_token_valid,
    push_parse,
    tracked_branch,
)
from metrics.data import WebhookOutcome
from metrics.errors import RepositoryNotFound, ScanAlreadyRunning, WebhookInvalid, WebhookUnauthorized
from metrics.models import Repository, WebhookDelivery
from metrics.services.scans.requests import scan_request

logger = logging.getLogger(__name__)

PUSH_EVENTS = {GITHUB: "push", GITLAB: "Push Hook"}
MAX_DELIVERY_ID = 100
FORM_ENCODED = "application/x-www-form-urlencoded"


def webhook_secret_rotate(*, repository: Repository) -> str:
    """Give the repository a new random webhook secret and return it (shown once; the old one stops working)."""
    secret = secrets.token_urlsafe(32)
    repository.webhook_secret, repository.webhook_secret_rotated_at = secret, timezone.now()
    repository.save(update_fields=["webhook_secret", "webhook_secret_rotated_at"])
    logger.info("Webhook secret of %s rotated", repository.name)
    return secret


def _repository(name: str) -> Repository:
    repository = Repository.objects.filter(name=name).first()
    if repository is None:
        raise RepositoryNotFound(f"No repository {name[:100]!r}.", extra={"repository": name[:100]})
    return repository


def _verify(provider: str, repository: Repository, body: bytes, credential: str | None) -> None:
    header = "X-Hub-Signature-256" if provider == GITHUB else "X-Gitlab-Token"
    if not repository.webhook_secret:
        raise WebhookUnauthorized(f"{repository.name} has no webhook secret yet: a maintainer creates one on its "
                                  "settings page.", code="webhook.no_secret")
    if not credential:
        raise WebhookUnauthorized(f"The {header} header is missing.", code="webhook.signature_missing",
                                  extra={"header": header})
    valid = (github_signature_valid(secret=repository.webhook_secret, body=body, header=credential)
             if provider == GITHUB else gitlab_token_valid(secret=repository.webhook_secret, header=credential))
    if not valid:
        raise WebhookUnauthorized(f"The {header} header does not match the repository's webhook secret.",
                                  code="webhook.signature_invalid", extra={"header": header})


def _json(body: bytes, content_type: str) -> Any:
    """The payload: the JSON body, or GitHub's form encoding (`payload=<JSON>`, its default content type)."""
    try:
        if content_type.split(";")[0].strip().lower() == FORM_ENCODED:
            fields = parse_qs(body.decode("ascii"), strict_parsing=True, max_num_fields=10)
            body = (fields.get("payload") or [""])[0].encode()
        return json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise WebhookInvalid(f"The body is not valid JSON: {str(error)[:200]}", code="webhook.malformed_json") \
            from None


def _delivery_id(value: str | None, provider: str) -> str:
    header = "X-GitHub-Delivery" if provider == GITHUB else "X-Gitlab-Event-UUID"
    value = (value or "").strip()
    if not value or len(value) > MAX_DELIVERY_ID or not value.isprintable():
        raise WebhookInvalid(f"The {header} header must hold the delivery's id (up to {MAX_DELIVERY_ID} "
                             "printable characters).", code="webhook.delivery_id_invalid", extra={"header": header})
    return value


def _push(provider: str, payload: Any) -> PushEvent:
    try:
        return push_parse(provider=provider, payload=payload)
    except WebhookPayloadInvalid as error:
        raise WebhookInvalid(str(error), code="webhook.payload_invalid", extra={"field": error.field}) from None


def _ignored_reason(repository: Repository, push: PushEvent) -> str:
    """Why a push does not ask for a scan ("" when it does)."""
    if push.branch is None:
        return f"{push.ref[:100]} is not a branch."
    if push.deleted:
        return f"The push deleted branch {push.branch}."
    tracked = tracked_branch(default_revision=repository.default_revision, default_branch=push.default_branch)
    if not tracked:
        return ("The tracked branch is unknown: the payload names no default branch; set the repository's "
                "default revision to a branch name.")
    if push.branch != tracked:
        return f"The push is to {push.branch}; {repository.name} tracks {tracked}."
    return ""


def _act(repository: Repository, push: PushEvent) -> WebhookOutcome:
    reason = _ignored_reason(repository, push)
    if reason:
        return WebhookOutcome(outcome="ignored", detail=reason)
    try:
        scan = scan_request(repository=repository)
    except ScanAlreadyRunning as error:
        return WebhookOutcome(outcome="already_running", detail=error.message, scan_id=error.extra.get("scan"))
    return WebhookOutcome(outcome="queued", detail=f"Scan {scan.pk} of {push.branch} queued.", scan_id=scan.pk)


def _record_and_act(repository: Repository, provider: str, delivery_id: str, push: PushEvent) -> WebhookOutcome:
    """Record the delivery and act on it in one transaction; a delivery id seen before does nothing."""
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(repository=repository, provider=provider,
                                                      delivery_id=delivery_id, event=PUSH_EVENTS[provider])
            outcome = _act(repository, push)
            delivery.outcome, delivery.detail, delivery.scan_id = outcome.outcome, outcome.detail[:300], \
                outcome.scan_id
            delivery.save(update_fields=["outcome", "detail", "scan"])
    except IntegrityError:
        if not WebhookDelivery.objects.filter(repository=repository, provider=provider,
                                              delivery_id=delivery_id).exists():
            raise
        return WebhookOutcome(outcome="duplicate", detail=f"Delivery {delivery_id} was received before; "
                                                          "nothing done.")
    return outcome


def webhook_deliver(*, provider: str, repository_name: str, body: bytes, credential: str | None,
                    delivery_id: str | None, event: str | None, content_type: str = "") -> WebhookOutcome:
    """Check and act on one webhook delivery (see the module's docstring for the order of the checks)."""
    repository = _repository(repository_name)
    _verify(provider, repository, body, credential)
    payload = _json(body, content_type)
    event = (event or "").strip()
    if provider == GITHUB and event == "ping":
        return WebhookOutcome(outcome="pong", detail="pong")
    delivery_id = _delivery_id(delivery_id, provider)
    if event != PUSH_EVENTS[provider]:
        return WebhookOutcome(outcome="ignored", detail=f"Event {event[:50]!r} is not a push; only pushes "
                                                        "start scans.", delivery_id=delivery_id)
    push = _push(provider, payload)
    outcome = _record_and_act(repository, provider, delivery_id, push)
    logger.info("Webhook %s %s for %s: %s (%s)", provider, delivery_id, repository.name, outcome.outcome,
                outcome.detail)
    return WebhookOutcome(outcome=outcome.outcome, detail=outcome.detail, scan_id=outcome.scan_id,
                          delivery_id=delivery_id)
