"""A repository's push webhook set-up as pages and the API show it: whether a secret is set, recent deliveries."""
from django.db.models import QuerySet

from metrics.models import Repository, WebhookDelivery

RECENT_DELIVERIES = 10


def webhook_delivery_list(*, repository: Repository, limit: int = RECENT_DELIVERIES) -> QuerySet:
    """The repository's newest verified deliveries (pushes), newest first."""
    return WebhookDelivery.objects.filter(repository=repository).order_by("-received_at", "-id")[:limit]


def webhook_secret_is_set(*, repository: Repository) -> bool:
    """Whether the repository has a webhook secret (without it every delivery is refused with 401)."""
    return bool(repository.webhook_secret)
