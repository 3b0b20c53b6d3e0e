"""Repositories, scans, hotspot rankings, coupling and CI change checks."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.filters import FileScoreFilter, FunctionScoreFilter, ScanFilter
from api.inputs import valid
from api.permissions import IsStaffToRegister, repository_for, visible_repositories, visible_scans
from api.serializers import access as access_s
from api.serializers import metrics as s
from api.serializers.errors import ErrorOutputSerializer
from debtboard.scan_cache import scan_cached
from metrics.choices import DEFAULT_WINDOW, WINDOWS, Window
from metrics.data import ChangeSubmission, repository_config_from_json
from metrics.errors import ScanAlreadyRunning, ScanNotFound
from metrics.selectors.hotspots import coupling_list, file_score_list, function_score_list
from metrics.selectors.access import repository_member_list
from metrics.selectors.repositories import scan_current, scan_list, scan_list_all
from metrics.selectors.analysis_settings import analysis_settings_get
from metrics.selectors.gate import change_check_list
from metrics.services.gate import change_check_create
from metrics.services.access import repository_member_remove, repository_member_set
from metrics.services.repositories import repository_create
from metrics.services.scans.cancel import scan_cancel
from metrics.services.scans.requests import scan_request

WINDOW_PARAMETER = OpenApiParameter(
    "window", OpenApiTypes.INT, description="History window in days: 90, 365 or 0 (all history).", enum=list(WINDOWS)
)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="Any string up to 255 printable characters: the same key answers with the stored verdict; "
                "the same key with other figures is refused with 409.",
)


def scan_queued_response(request, scan) -> Response:
    """202 with the queued scan and its URL (Location): the scan runs in a worker, never in the request."""
    return Response(s.ScanOutputSerializer(scan).data, status=status.HTTP_202_ACCEPTED,
                    headers={"Location": request.build_absolute_uri(f"/api/v1/scans/{scan.pk}/")})


def scan_live_response(request, error: ScanAlreadyRunning) -> Response:
    """409 with the live scan (in extra.live_scan, its URL in Location): one scan per repository at a time."""
    live = visible_scans(request).filter(pk=error.extra.get("scan")).first()
    extra = {**error.extra, "live_scan": s.ScanOutputSerializer(live).data if live else None}
    headers = {"Location": request.build_absolute_uri(f"/api/v1/scans/{live.pk}/")} if live else {}
    return Response({"code": error.code, "message": error.message, "extra": extra},
                    status=status.HTTP_409_CONFLICT, headers=headers)


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
    permission_classes = [IsStaffToRegister]
    serializer_class = s.RepositoryOutputSerializer
    throttle_scope: str | None = None  # an action may name a tighter scope (api/throttling.py)

    def get_queryset(self):
        return visible_repositories(self.request)

    @extend_schema(request=s.RepositoryCreateInputSerializer, responses={201: s.RepositoryOutputSerializer})
    def create(self, request):
        data = valid(s.RepositoryCreateInputSerializer, request.data)
        repository = repository_create(source=data["source"], name=data.get("name"), config=data.get("config"))
        return Response(s.RepositoryOutputSerializer(repository).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.ScanOutputSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ScanCreateInputSerializer, responses={
        202: OpenApiResponse(s.ScanOutputSerializer, description="The scan is queued for a worker; its URL is in "
                             "the Location header. Scans never run in the request."),
        409: OpenApiResponse(ErrorOutputSerializer, description="A scan of the repository is queued or running: "
                             "code scan.already_running, that scan in extra.live_scan, its URL in Location."),
    })
    @action(detail=True, methods=["get", "post"], throttle_scope="scans")
    def scans(self, request, name=None):
        """List a repository's scans, or (maintainers) request a new scan."""
        repository = self.get_object()
        if request.method == "POST":
            data = valid(s.ScanCreateInputSerializer, request.data)
            try:
                scan = scan_request(repository=repository, revision=data.get("revision", ""),
                                    requested_by=request.user)
            except ScanAlreadyRunning as error:
                return scan_live_response(request, error)
            return scan_queued_response(request, scan)
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
    @action(detail=True, methods=["get", "post"], url_path="change-checks", throttle_scope="change_checks")
    def change_checks(self, request, name=None):
        """CI posts a change's file figures and gets a verdict: did the change leave the code cleaner?"""
        repository = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(change_check_list(repository=repository))
            return self.get_paginated_response(s.ChangeCheckOutputSerializer(page, many=True).data)
        data = valid(s.ChangeCheckCreateInputSerializer, request.data)
        key = valid(s.IdempotencyKeyInputSerializer, {"key": request.headers.get("Idempotency-Key", "")})["key"]
        check, created = change_check_create(
            repository=repository, submission=ChangeSubmission.from_json(data), submitted_by=request.user,
            idempotency_key=key,
        )
        return Response(s.ChangeCheckOutputSerializer(check).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses=s.AnalysisSettingsOutputSerializer)
    @action(detail=True, url_path="analysis-settings")
    def analysis_settings(self, request, name=None):
        """The analyser settings of the repository: `debtboard check` analyses a change with them."""
        settings = analysis_settings_get(repository=self.get_object())
        return Response(s.AnalysisSettingsOutputSerializer(settings.as_json()).data)

    @extend_schema(responses=access_s.RepositoryMemberOutputSerializer(many=True))
    @action(detail=True)
    def members(self, request, name=None):
        """The repository's members and their roles (viewer, member, maintainer), by username."""
        page = self.paginate_queryset(repository_member_list(repository=self.get_object()))
        return self.get_paginated_response(access_s.RepositoryMemberOutputSerializer(page, many=True).data)

    @extend_schema(methods=["PUT"], request=access_s.RepositoryMemberInputSerializer,
                   responses=access_s.RepositoryMemberOutputSerializer,
                   parameters=[OpenApiParameter("username", OpenApiTypes.STR, OpenApiParameter.PATH)])
    @extend_schema(methods=["DELETE"], responses={204: None},
                   parameters=[OpenApiParameter("username", OpenApiTypes.STR, OpenApiParameter.PATH)])
    @action(detail=True, methods=["put", "delete"], url_path=r"members/(?P<username>[^/]+)")
    def member(self, request, name=None, username=None):
        """Give a user a role on the repository (PUT {"role"}), or remove their membership (maintainers)."""
        repository = self.get_object()
        if request.method == "DELETE":
            repository_member_remove(repository=repository, username=username)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = valid(access_s.RepositoryMemberInputSerializer, request.data)
        membership = repository_member_set(repository=repository, username=username, role=data["role"])
        return Response(access_s.RepositoryMemberOutputSerializer(
            {"username": membership.user.get_username(), "role": membership.role}).data)

    def get_object(self):
        """The repository, if the user may do what the action needs (unreadable: 404; else 403)."""
        capability = REPOSITORY_CAPABILITIES.get((self.action, self.request.method), "read")
        return repository_for(self.request, self.kwargs["name"], capability)


# What each write under /repositories/{name}/ needs (metrics.selectors.access); every other action reads.
REPOSITORY_CAPABILITIES = {
    ("scans", "POST"): "scan",
    ("change_checks", "POST"): "post_checks",
    ("member", "PUT"): "manage",
    ("member", "DELETE"): "manage",
}


class ScanViewSet(viewsets.ReadOnlyModelViewSet):
    """Scans of every repository, newest first, with their stage and progress."""

    serializer_class = s.ScanOutputSerializer
    filterset_class = ScanFilter

    def get_queryset(self):
        return visible_scans(self.request)

    @extend_schema(request=None, responses={
        200: OpenApiResponse(s.ScanOutputSerializer, description="Cancelled: a running scan stops at its next "
                             "stage boundary or file batch; the repository's current scan stays."),
        409: OpenApiResponse(ErrorOutputSerializer, description="The scan has ended: code scan.not_live."),
    })
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a queued or running scan (the repository's maintainers and staff)."""
        # Cancelling needs the scan capability (and a token's write_metrics scope), not the read scope.
        scan = scan_list_all().filter(pk=pk).first() if str(pk).isdigit() else None
        if scan is None:
            raise ScanNotFound(f"No scan {str(pk)[:20]}.", extra={"scan": str(pk)[:20]})
        repository_for(request, scan.repository.name, "scan")  # 404 when the user cannot read the repository
        scan = scan_cancel(scan=scan, requested_by=request.user)
        return Response(s.ScanOutputSerializer(scan).data)


class RepositoryScopedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list under /repositories/{name}/…, read from the repository's current scan; its answers are cached."""

    def repository(self):
        if not hasattr(self, "_repository"):  # the access check, once per request
            self._repository = repository_for(self.request, self.kwargs["repository_name"])
        return self._repository

    def list(self, request, *args, **kwargs):
        """The page asked for, cached under the current scan (debtboard.scan_cache) once access is checked."""
        repository = self.repository()  # 404 or 403 before any cached answer is looked at
        # Everything the answer depends on besides the scan: the query, the host the links are built with,
        # and the repository's settings (the function window).
        params = [request.get_host(), request.is_secure(), sorted(request.query_params.lists()),
                  repository.name, repository.config]
        return Response(scan_cached(scan=repository.current_scan, part=f"api.{self.basename}", params=params,
                                    compute=lambda: super(RepositoryScopedViewSet, self).list(request).data))


@extend_schema(parameters=[WINDOW_PARAMETER])
class HotspotViewSet(RepositoryScopedViewSet):
    """Files ranked by hotspot score at the repository's current scan."""

    serializer_class = s.FileScoreOutputSerializer
    filterset_class = FileScoreFilter
    ordering_fields = ["hotspot_rank", "hotspot_score", "health", "churn", "revisions", "complexity", "loc", "sloc",
                       "path"]

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
