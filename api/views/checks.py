"""A repository's change-check policy (GET/PUT) and its Boy Scout record."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.inputs import valid
from api.permissions import repository_for
from api.serializers.checks import BoyScoutRecordOutputSerializer, CheckPolicySerializer
from metrics.selectors.boy_scout import BOY_SCOUT_DAYS, boy_scout_days, boy_scout_record
from metrics.services.gate_policy import check_policy_get, check_policy_set

NAME = OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH)


class CheckPolicyView(APIView):
    """What the gate counts as worse on this repository (maintainers change it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_repositories_check_policy_retrieve", parameters=[NAME],
                   responses=CheckPolicySerializer)
    def get(self, request, name: str) -> Response:
        policy = check_policy_get(repository=repository_for(request, name))
        return Response(CheckPolicySerializer(policy.as_json()).data)

    @extend_schema(operation_id="v1_repositories_check_policy_update", parameters=[NAME],
                   request=CheckPolicySerializer, responses=CheckPolicySerializer)
    def put(self, request, name: str) -> Response:
        repository = repository_for(request, name, "manage")
        data = valid(CheckPolicySerializer, request.data)
        policy = check_policy_set(repository=repository, data=dict(data))
        return Response(CheckPolicySerializer(policy.as_json()).data)


class BoyScoutView(APIView):
    """Who left the code cleaner: changes checked, cleaner/same/worse shares, per author and per week."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_repositories_boy_scout_retrieve", responses=BoyScoutRecordOutputSerializer,
                   parameters=[NAME, OpenApiParameter("days", OpenApiTypes.INT, enum=list(BOY_SCOUT_DAYS))])
    def get(self, request, name: str) -> Response:
        repository = repository_for(request, name)
        days = boy_scout_days(request.query_params.get("days"))
        return Response(BoyScoutRecordOutputSerializer(boy_scout_record(repositories=[repository], days=days)).data)
