"""The debt register over REST: items, transitions, links, comments, proposals, import and export."""
from collections.abc import Sequence
from dataclasses import replace

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.inputs import valid
from api.permissions import item_for, repository_for, repository_require, visible_repositories
from api.serializers import debt as s
from api.serializers.errors import ErrorOutputSerializer
from debt.data import LocationSpec
from debt.errors import DebtItemInvalid
from debt.selectors.items import debt_comment_list, debt_item_get, debt_item_list, debt_item_timeline
from debt.selectors.proposals import debt_proposal_list
from debt.services.comments import debt_item_comment
from debt.services.items import debt_item_create, debt_item_delete, debt_item_update
from debt.services.lifecycle import debt_item_transition
from debt.services.locations import debt_item_link, debt_item_unlink
from debt.services.payoff import debt_item_resolution_confirm, debt_item_resolution_reject
from debt.services.proposals import (
    debt_proposal_accept,
    debt_proposal_bulk_accept,
    debt_proposal_bulk_dismiss,
    debt_proposal_dismiss,
)
from debt.services.transfer import debt_item_export, debt_item_import
from debt.services.transfer_codec import check_upload_size, read_upload
from debtboard.errors import NotFound


def user_named(username: str | None):
    """The active user with a username, None for none, or a NotFound error (404: which users exist is state)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(f"No active user {username!r}.", code="user.not_found", extra={"field": "owner"})
    return user


ITEM_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="A debt item's id.")


DETAIL_ACTIONS = ("retrieve", "partial_update", "destroy", "transition", "links", "unlink", "comments", "activity",
                  "resolution_confirm", "resolution_reject", "accept", "dismiss")


@extend_schema_view(list=extend_schema(parameters=[s.DebtItemFilterInputSerializer]),
                    **{name: extend_schema(parameters=[ITEM_ID]) for name in DETAIL_ACTIONS})
class DebtItemViewSet(viewsets.GenericViewSet):
    """Debt items, ranked by priority (WSJF: cost of delay over effort)."""

    serializer_class = s.DebtItemOutputSerializer
    throttle_scope: str | None = None  # an action may name a tighter scope (api/throttling.py)
    lookup_value_regex = r"[0-9]+"
    filter_backends: list = []  # filters are validated by DebtItemFilterInputSerializer and applied by the selector

    def get_queryset(self):
        return debt_item_list()

    def list(self, request):
        params = valid(s.DebtItemFilterInputSerializer, request.query_params)
        repository, visible = self.repository_scope(params.get("repository"))
        queryset = debt_item_list(
            repository=repository, repositories=visible,
            status=list(params.get("status", [])), kind=list(params.get("kind", [])),
            source=list(params.get("source", [])), label=params.get("label"), owner=user_named(params.get("owner")),
            path=params.get("path"), search=params.get("search"), looks_resolved=params.get("looks_resolved"),
            ordering=params["ordering"],
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.DebtItemOutputSerializer(page, many=True).data)

    def repository_scope(self, name: str | None) -> tuple:
        """(the named repository if readable, None) or (None, every repository the user may read)."""
        if name:
            return repository_for(self.request, name), None
        return None, visible_repositories(self.request)

    def retrieve(self, request, pk=None):
        return Response(s.DebtItemOutputSerializer(item_for(request, pk)).data)

    @extend_schema(request=s.DebtItemCreateInputSerializer, responses={201: s.DebtItemOutputSerializer})
    def create(self, request):
        data = valid(s.DebtItemCreateInputSerializer, request.data)
        repository = repository_for(request, data.pop("repository"), "write_items")
        locations = [LocationSpec(**location) for location in data.pop("locations", [])]
        if "owner" in data:
            data["owner"] = user_named(data["owner"])
        item = debt_item_create(repository=repository, actor=request.user, locations=locations, **data)
        return Response(s.DebtItemOutputSerializer(debt_item_get(item_id=item.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DebtItemUpdateInputSerializer, responses=s.DebtItemOutputSerializer)
    def partial_update(self, request, pk=None):
        item = item_for(request, pk, "write_items")
        data = valid(s.DebtItemUpdateInputSerializer, request.data, partial=True)
        if "owner" in data:
            data["owner"] = user_named(data["owner"])
        debt_item_update(item=item, actor=request.user, **data)
        return Response(s.DebtItemOutputSerializer(debt_item_get(item_id=pk)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        debt_item_delete(item=item_for(request, pk, "manage"))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.TransitionInputSerializer, responses=s.DebtItemOutputSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move an item through its lifecycle; illegal moves answer 400 with the allowed next states."""
        item = item_for(request, pk, "write_items")
        data = valid(s.TransitionInputSerializer, request.data)
        debt_item_transition(item=item, to_status=data["to_status"], actor=request.user,
                             note=data["note"], expected_status=data.get("expected_status"))
        return Response(s.DebtItemOutputSerializer(debt_item_get(item_id=pk)).data)

    @extend_schema(request=s.LocationInputSerializer, responses={201: s.LocationOutputSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request, pk=None):
        """Link an item to a file, a folder (ending in '/'), a function or a line range."""
        item = item_for(request, pk, "write_items")
        data = valid(s.LocationInputSerializer, request.data)
        location = debt_item_link(item=item, actor=request.user, **data)
        return Response(s.LocationOutputSerializer(location).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"links/(?P<location_id>\d+)")
    def unlink(self, request, pk=None, location_id=None):
        debt_item_unlink(item=item_for(request, pk, "write_items"), location_id=int(location_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # An item's comments and activity are whole lists, not pages: pagination_class=None says so to the schema.
    @extend_schema(methods=["GET"], responses=s.CommentOutputSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.CommentInputSerializer, responses={201: s.CommentOutputSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        item = item_for(request, pk, "read" if request.method == "GET" else "write_items")
        if request.method == "GET":
            return Response(s.CommentOutputSerializer(debt_comment_list(item=item), many=True).data)
        comment = debt_item_comment(item=item, body=valid(s.CommentInputSerializer, request.data)["body"],
                                    actor=request.user)
        return Response(s.CommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.TimelineEntryOutputSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def activity(self, request, pk=None):
        """Everything that happened to an item, oldest first."""
        timeline = debt_item_timeline(item=item_for(request, pk))
        return Response(s.TimelineEntryOutputSerializer(timeline, many=True).data)

    @extend_schema(request=None, responses=s.DebtItemOutputSerializer)
    @action(detail=True, methods=["post"], url_path="resolution/confirm")
    def resolution_confirm(self, request, pk=None):
        """Confirm a "looks resolved" flag: the item is done."""
        debt_item_resolution_confirm(item=item_for(request, pk, "write_items"), actor=request.user)
        return Response(s.DebtItemOutputSerializer(debt_item_get(item_id=pk)).data)

    @extend_schema(request=None, responses=s.DebtItemOutputSerializer)
    @action(detail=True, methods=["post"], url_path="resolution/reject")
    def resolution_reject(self, request, pk=None):
        """Reject a "looks resolved" flag; the same evidence never raises it again."""
        debt_item_resolution_reject(item=item_for(request, pk, "write_items"), actor=request.user)
        return Response(s.DebtItemOutputSerializer(debt_item_get(item_id=pk)).data)

    @extend_schema(request=None, responses=s.DebtItemOutputSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a discovered proposal into the register."""
        debt_proposal_accept(item=item_for(request, pk, "triage"), actor=request.user)
        return Response(s.DebtItemOutputSerializer(debt_item_get(item_id=pk)).data)

    @extend_schema(request=None, responses=s.DebtItemOutputSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Dismiss a proposal; later scans never propose it again."""
        debt_proposal_dismiss(item=item_for(request, pk, "triage"), actor=request.user)
        return Response(s.DebtItemOutputSerializer(debt_item_get(item_id=pk)).data)

    @extend_schema(parameters=[OpenApiParameter("repository", OpenApiTypes.STR)],
                   responses=s.DebtItemOutputSerializer(many=True))
    @action(detail=False)
    def proposals(self, request):
        """Discovered items waiting for a person to accept or dismiss them."""
        repository, visible = self.repository_scope(request.query_params.get("repository"))
        queryset = debt_proposal_list(repository=repository, repositories=visible)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.DebtItemOutputSerializer(page, many=True).data)

    @extend_schema(request=s.BulkProposalInputSerializer, responses=s.BulkResultOutputSerializer)
    @action(detail=False, methods=["post"], url_path="proposals/bulk")
    def proposals_bulk(self, request):
        """Accept or dismiss many proposals at once; items no longer proposed are skipped."""
        data = valid(s.BulkProposalInputSerializer, request.data)
        item_ids, hidden = self.triageable_ids(data["item_ids"])
        if data["action"] == "accept":
            result = debt_proposal_bulk_accept(item_ids=item_ids, actor=request.user)
        else:
            result = debt_proposal_bulk_dismiss(item_ids=item_ids, actor=request.user, reason=data["reason"])
        result = replace(result, skipped=tuple(sorted((*result.skipped, *hidden))))
        return Response(s.BulkResultOutputSerializer(result).data)

    def triageable_ids(self, item_ids: Sequence[int]) -> tuple[Sequence[int], Sequence[int]]:
        """(ids of visible items, ids of invisible or absent ones); Forbidden if a visible one may not be triaged.

        Items of repositories the user cannot read are skipped as if absent (their existence stays hidden).
        """
        visible = debt_item_list(repositories=visible_repositories(self.request, "triage")).filter(
            pk__in=item_ids)
        found: dict[int, object] = {item.pk: item.repository for item in visible}
        for repository in {repository.pk: repository for repository in found.values()}.values():
            repository_require(self.request, repository, "triage")
        return [pk for pk in item_ids if pk in found], [pk for pk in item_ids if pk not in found]

    @extend_schema(parameters=[OpenApiParameter("repository", OpenApiTypes.STR, required=True),
                               OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "json"])],
                   responses={(200, "text/csv"): OpenApiTypes.STR, (200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=False, url_path="export")
    def export(self, request):
        """Every item of a repository with all fields, as CSV or JSON."""
        repository = repository_for(request, request.query_params.get("repository", ""))
        fmt = request.query_params.get("format", "csv")
        if fmt not in ("csv", "json"):
            raise DebtItemInvalid("format must be csv or json.", extra={"field": "format"})
        content = debt_item_export(repository=repository, format=fmt)
        response = HttpResponse(content, content_type="text/csv" if fmt == "csv" else "application/json")
        response["Content-Disposition"] = f'attachment; filename="{repository.name}-debt.{fmt}"'
        return response

    @extend_schema(request={"multipart/form-data": s.ImportInputSerializer}, responses={
        200: s.ImportReportOutputSerializer,
        413: OpenApiResponse(ErrorOutputSerializer, description="The file is over the 10 MB import limit."),
    })
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser],
            throttle_scope="imports")
    def import_items(self, request):
        """Bring an existing debt list in; refused rows are reported with their reasons."""
        # The announced size is refused before the body is parsed; the file's own size before it is read.
        check_upload_size(_content_length(request) - UPLOAD_OVERHEAD_BYTES)
        data = valid(s.ImportInputSerializer, request.data)
        repository = repository_for(request, data["repository"], "import")
        upload = data["file"]
        content = read_upload(upload.chunks(), size=upload.size)
        report = debt_item_import(repository=repository, content=content,
                                  format=data["format"], actor=request.user)
        return Response(s.ImportReportOutputSerializer(report).data)


# A multipart body carries the file plus boundaries and the other fields.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
