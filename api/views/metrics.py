"""Repositories, scans, hotspot rankings, coupling and CI change checks."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.filters import FileScoreFilter, FunctionScoreFilter, ScanFilter
from api.inputs import valid
from api.permissions import IsStaffForWrites
from api.serializers import metrics as s
from api.serializers.errors import ErrorOutputSerializer
from metrics.choices import DEFAULT_WINDOW, LIVE_SCAN_STATUSES, WINDOWS, ScanStatus, Window
from metrics.data import repository_config_from_json
from metrics.selectors.hotspots import coupling_list, file_score_list, function_score_list
from metrics.selectors.repositories import repository_get, repository_list, scan_current, scan_list, scan_list_all
from metrics.selectors.gate import change_check_list
from metrics.services.gate import PostedFile, change_check_create
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request

WINDOW_PARAMETER = OpenApiParameter(
    "window", OpenApiTypes.INT, description="History window in days: 90, 365 or 0 (all history).", enum=list(WINDOWS)
)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="Any string up to 255 printable characters: the same key answers with the stored verdict; "
                "the same key with other figures is refused with 409.",
)


def scan_started_response(scan) -> Response:
    """What really happened to a requested scan: 201 ran and succeeded, 202 queued, 422 ran and failed."""
    body = s.ScanOutputSerializer(scan).data
    if scan.status == ScanStatus.SUCCEEDED:
        return Response(body, status=status.HTTP_201_CREATED)
    if scan.status in LIVE_SCAN_STATUSES:
        return Response(body, status=status.HTTP_202_ACCEPTED)
    message = f"Scan {scan.pk} {scan.status}: {scan.error or 'no reason was recorded'}"
    return Response({"code": "scan.failed", "message": message, "extra": {"scan": body}},
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def window_from(request, default: int = DEFAULT_WINDOW) -> int:
    """The `window` query parameter, one of the stored windows."""
    raw = request.query_params.get("window", "")
    if raw == "":
        return default
    try:
        window = int(raw)
    except ValueError:
        window = -1
    if window not in WINDOWS:
        raise ValidationError({"window": f"Choose one of {', '.join(map(str, WINDOWS))} (0 is all history)."})
    return window


class RepositoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Repositories, their scans, hotspots, function hotspots, coupling and change checks."""

    lookup_field = "name"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [IsStaffForWrites]
    serializer_class = s.RepositoryOutputSerializer
    throttle_scope: str | None = None  # an action may name a tighter scope (api/throttling.py)

    def get_queryset(self):
        return repository_list()

    @extend_schema(request=s.RepositoryCreateInputSerializer, responses={201: s.RepositoryOutputSerializer})
    def create(self, request):
        data = valid(s.RepositoryCreateInputSerializer, request.data)
        repository = repository_create(source=data["source"], name=data.get("name"), config=data.get("config"))
        return Response(s.RepositoryOutputSerializer(repository).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.ScanOutputSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ScanCreateInputSerializer, responses={
        201: OpenApiResponse(s.ScanOutputSerializer, description="The scan ran in the request and succeeded."),
        202: OpenApiResponse(s.ScanOutputSerializer, description="The scan is queued for a worker."),
        422: OpenApiResponse(ErrorOutputSerializer, description="The scan ran in the request and failed: "
                             "code scan.failed, the scan in extra.scan."),
    })
    @action(detail=True, methods=["get", "post"], throttle_scope="scans")
    def scans(self, request, name=None):
        """List a repository's scans, or (staff) request a new scan."""
        repository = self.get_object()
        if request.method == "POST":
            data = valid(s.ScanCreateInputSerializer, request.data)
            scan = scan_request(repository=repository, revision=data.get("revision", ""), requested_by=request.user)
            scan.refresh_from_db()
            return scan_started_response(scan)
        page = self.paginate_queryset(scan_list(repository=repository))
        return self.get_paginated_response(s.ScanOutputSerializer(page, many=True).data)

    @extend_schema(
        parameters=[WINDOW_PARAMETER, OpenApiParameter("path", OpenApiTypes.STR, description="Only pairs with it.")],
        responses=s.CouplingOutputSerializer(many=True),
    )
    @action(detail=True)
    def coupling(self, request, name=None):
        """Files that change together (code-maat's degree), strongest first."""
        scan = scan_current(repository=self.get_object())
        queryset = coupling_list(scan=scan, path=request.query_params.get("path", ""),
                                 window_days=window_from(request, default=Window.ALL))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.CouplingOutputSerializer(page, many=True).data)

    @extend_schema(methods=["POST"], request=s.ChangeCheckCreateInputSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: s.ChangeCheckOutputSerializer,
                              200: OpenApiResponse(s.ChangeCheckOutputSerializer,
                                                   description="The same change was posted before: its stored "
                                                               "verdict, nothing new stored."),
                              409: OpenApiResponse(ErrorOutputSerializer,
                                                   description="The same Idempotency-Key or revision was posted "
                                                               "with other figures.")})
    @extend_schema(methods=["GET"], responses=s.ChangeCheckOutputSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="change-checks",
            permission_classes=[IsAuthenticated], throttle_scope="change_checks")
    def change_checks(self, request, name=None):
        """CI posts a change's file figures and gets a verdict: did the change leave the code cleaner?"""
        repository = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(change_check_list(repository=repository))
            return self.get_paginated_response(s.ChangeCheckOutputSerializer(page, many=True).data)
        data = valid(s.ChangeCheckCreateInputSerializer, request.data)
        key = valid(s.IdempotencyKeyInputSerializer, {"key": request.headers.get("Idempotency-Key", "")})["key"]
        files = [
            PostedFile(
                path=f["path"], old_path=f["old_path"], deleted=f["deleted"],
                error=(f["error"] or "analysis failed") if f["status"] == "error" else "",
                loc=f["loc"], complexity=f["total_complexity"], violations=f["violation_count"],
                markers=f["marker_count"], mi=f["mi"],
                functions=tuple((fn["qualname"], fn["complexity"]) for fn in f["functions"]),
            )
            for f in data["files"]
        ]
        check, created = change_check_create(
            repository=repository, files=files, revision=data["revision"], base_revision=data["base_revision"],
            reference=data["reference"], submitted_by=request.user, idempotency_key=key,
        )
        return Response(s.ChangeCheckOutputSerializer(check).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def get_object(self):
        return repository_get(name=self.kwargs["name"])


class ScanViewSet(viewsets.ReadOnlyModelViewSet):
    """Scans of every repository, newest first, with their stage and progress."""

    serializer_class = s.ScanOutputSerializer
    filterset_class = ScanFilter

    def get_queryset(self):
        return scan_list_all()


class RepositoryScopedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list under /repositories/{name}/…, read from the repository's current scan."""

    def repository(self):
        return repository_get(name=self.kwargs["repository_name"])


@extend_schema(parameters=[WINDOW_PARAMETER])
class HotspotViewSet(RepositoryScopedViewSet):
    """Files ranked by hotspot score at the repository's current scan."""

    serializer_class = s.FileScoreOutputSerializer
    filterset_class = FileScoreFilter
    ordering_fields = ["hotspot_rank", "hotspot_score", "health", "churn", "revisions", "complexity", "path"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no repository, an empty queryset
            return file_score_list(scan=None)
        scan = scan_current(repository=self.repository())
        return file_score_list(scan=scan, window_days=window_from(self.request))


class FunctionHotspotViewSet(RepositoryScopedViewSet):
    """Functions ranked by complexity times how often they themselves changed."""

    serializer_class = s.FunctionScoreOutputSerializer
    filterset_class = FunctionScoreFilter
    ordering_fields = ["hotspot_rank", "complexity", "changes", "path"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no repository, an empty queryset
            return function_score_list(scan=None)
        repository = self.repository()
        scan = scan_current(repository=repository)
        # Function hotspots are stored for one window: the repository's function history window.
        window = repository_config_from_json(repository.config).function_history_days
        return function_score_list(scan=scan, window_days=window)
