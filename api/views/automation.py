"""A repository's rescan schedule (GET/PUT) and its push webhook set-up (GET; POST rotates the secret)."""
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.inputs import valid
from api.permissions import repository_for
from api.serializers import automation as s
from api.serializers.errors import ErrorOutputSerializer
from api.views.checks import NAME
from metrics.selectors.rescans import rescan_schedule_get
from metrics.selectors.webhooks import webhook_delivery_list, webhook_secret_is_set
from metrics.services.scans.schedule import rescan_schedule_set
from metrics.services.webhooks import webhook_secret_rotate

SCHEDULE_INVALID = OpenApiResponse(ErrorOutputSerializer, description="A field is wrong: code invalid (extra.fields) "
                                   "or rescan_schedule.invalid (extra.field names it).")


def webhook_urls(request, name: str) -> dict[str, str]:
    """The absolute URLs GitHub and GitLab deliver to."""
    return {provider + "_url": request.build_absolute_uri(reverse(f"hooks-{provider}", args=[name]))
            for provider in ("github", "gitlab")}


class RescanScheduleView(APIView):
    """When the repository is rescanned on its own (maintainers change it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_repositories_rescan_schedule_retrieve", parameters=[NAME],
                   responses=s.RescanScheduleOutputSerializer)
    def get(self, request, name: str) -> Response:
        state = rescan_schedule_get(repository=repository_for(request, name))
        return Response(s.RescanScheduleOutputSerializer(state).data)

    @extend_schema(operation_id="v1_repositories_rescan_schedule_update", parameters=[NAME],
                   request=s.RescanScheduleInputSerializer, responses={200: s.RescanScheduleOutputSerializer,
                                                                       400: SCHEDULE_INVALID})
    def put(self, request, name: str) -> Response:
        repository = repository_for(request, name, "manage")
        data = valid(s.RescanScheduleInputSerializer, request.data)
        state = rescan_schedule_set(repository=repository, kind=data["kind"], at=data.get("time"),
                                    weekday=data.get("weekday"))
        return Response(s.RescanScheduleOutputSerializer(state).data)


class WebhookView(APIView):
    """The push webhooks' URLs, whether a secret is set, and the recent deliveries (maintainers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_repositories_webhook_retrieve", parameters=[NAME],
                   responses=s.WebhookOutputSerializer)
    def get(self, request, name: str) -> Response:
        repository = repository_for(request, name, "manage")
        data = {**webhook_urls(request, repository.name),
                "secret_set": webhook_secret_is_set(repository=repository),
                "secret_rotated_at": repository.webhook_secret_rotated_at,
                "recent_deliveries": webhook_delivery_list(repository=repository)}
        return Response(s.WebhookOutputSerializer(data).data)


class WebhookSecretView(APIView):
    """A new webhook secret, answered this once (the previous one stops working at once)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_repositories_webhook_secret_rotate", parameters=[NAME], request=None,
                   responses=s.WebhookSecretOutputSerializer)
    def post(self, request, name: str) -> Response:
        repository = repository_for(request, name, "manage")
        secret = webhook_secret_rotate(repository=repository)
        data = {**webhook_urls(request, repository.name), "secret": secret,
                "secret_rotated_at": repository.webhook_secret_rotated_at}
        return Response(s.WebhookSecretOutputSerializer(data).data, headers={"Cache-Control": "no-store"})
