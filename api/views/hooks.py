"""Push webhooks: POST /hooks/github/<repo> and /hooks/gitlab/<repo> (no session, no CSRF: the signature is the proof).

Plain Django views rather than DRF: the signature covers the raw body, which is read here once, bounded by
DEBTBOARD_WEBHOOK_MAX_BYTES (a declared Content-Length over it is refused before a byte is read). Every answer
is JSON; every refusal has the API's error body {"code", "message", "extra"} and is logged.
"""
import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from api.exceptions import RequestTooLarge
from debtboard.errors import DebtboardError
from metrics.choices import WebhookProvider
from metrics.errors import WebhookInvalid
from metrics.services.webhooks import webhook_deliver

logger = logging.getLogger(__name__)

# How a delivery's outcome is answered: a scan queued or already live is accepted work (202); a ping, an
# ignored event or push and a replay are answered 200/202 so the sender does not retry them.
OUTCOME_STATUS = {"queued": 202, "already_running": 202, "ignored": 202, "pong": 200, "duplicate": 200}


class MethodNotAllowed(DebtboardError):
    default_code = "method_not_allowed"
    http_status = 405


def _too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(f"The webhook body is larger than the limit of {limit:,} bytes "
                           "(DEBTBOARD_WEBHOOK_MAX_BYTES).", extra={"limit_bytes": limit})


def _body(request: HttpRequest) -> bytes:
    """The raw body, refused early when its declared or actual length is over the limit."""
    limit = int(settings.DEBTBOARD_WEBHOOK_MAX_BYTES)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit():
        raise WebhookInvalid("Content-Length is not a number.", code="webhook.invalid_length")
    if int(declared) > limit:
        raise _too_large(limit)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    return body


def _refused(request: HttpRequest, provider: str, name: str, error: DebtboardError) -> JsonResponse:
    logger.warning("Webhook %s for %r refused (%s): %s %s", provider, name[:100], error.http_status, error.code,
                   error.message)
    return JsonResponse(error.as_dict(), status=error.http_status)


def _deliver(request: HttpRequest, provider: str, name: str, *, credential: str, delivery: str,
             event: str) -> JsonResponse:
    if request.method != "POST":
        response = _refused(request, provider, name, MethodNotAllowed("Webhooks are delivered with POST."))
        response["Allow"] = "POST"
        return response
    try:
        outcome = webhook_deliver(provider=provider, repository_name=name, body=_body(request),
                                  credential=request.headers.get(credential),
                                  delivery_id=request.headers.get(delivery), event=request.headers.get(event),
                                  content_type=request.content_type or "")
    except DebtboardError as error:
        return _refused(request, provider, name, error)
    return JsonResponse(outcome.as_json(), status=OUTCOME_STATUS[outcome.outcome])


@csrf_exempt
def github_hook(request: HttpRequest, name: str) -> JsonResponse:
    """A GitHub delivery, signed with X-Hub-Signature-256 (HMAC-SHA256 of the body with the secret)."""
    return _deliver(request, WebhookProvider.GITHUB, name, credential="X-Hub-Signature-256",
                    delivery="X-GitHub-Delivery", event="X-GitHub-Event")


@csrf_exempt
def gitlab_hook(request: HttpRequest, name: str) -> JsonResponse:
    """A GitLab delivery, authenticated by X-Gitlab-Token (the secret itself, compared in constant time)."""
    return _deliver(request, WebhookProvider.GITLAB, name, credential="X-Gitlab-Token", delivery="X-Gitlab-Event-UUID",
                    event="X-Gitlab-Event")
