"""Teams, their members, areas, cadence and debt budget, sprints, scheduling and the sprint figures over REST.

Permissions are the sprints services' own: everyone signed in reads public teams; a private team is 404 to
outsiders; only a team's leads and staff change it, its members and staff schedule into its sprints.
"""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.inputs import valid
from api.path_ids import INT_MAX, path_id
from api.serializers import sprints as s
from api.serializers.checks import BoyScoutRecordOutputSerializer
from api.serializers.sprints import with_errors
from api.views.planning import PlanningViewSet
from metrics.selectors.boy_scout import BOY_SCOUT_DAYS, boy_scout_days
from sprints.selectors.alerts import alert_banners
from sprints.selectors.boy_scout import team_boy_scout_record
from sprints.selectors.history import team_history
from sprints.selectors.sprint_figures import sprint_figures
from sprints.selectors.teams import sprint_get, sprint_list, team_detail, team_get, team_list
from sprints.services.budgets import team_budget_set
from sprints.services.cadence import sprint_create, sprint_generate, sprint_update, team_cadence_set
from sprints.services.scheduling import sprint_item_schedule, sprint_item_schedule_bulk, sprint_item_unschedule
from sprints.services.teams import (
    team_area_add,
    team_area_remove,
    team_create,
    team_delete,
    team_member_add,
    team_member_remove,
    team_member_update,
    team_update,
)

TEAM_SLUG = OpenApiParameter("team_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="A team's slug.")
SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="A team's slug.")
NUMBER = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                          description="A sprint number, or `current` for the sprint holding today.")
USER_ID = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The member's user id.")
AREA_ID = OpenApiParameter("area_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The area's id.")
ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="A debt item's id.")
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


def _number(value: str) -> int | None:
    """A sprint number from the path; None for `current` (the route only lets digits or `current` through)."""
    return None if value == "current" else path_id(value, limit=INT_MAX)


@extend_schema_view(
    list=extend_schema(responses=with_errors({200: s.TeamSummaryOutputSerializer(many=True)}, 400)),
    retrieve=extend_schema(parameters=[SLUG], responses=with_errors({200: s.TeamDetailOutputSerializer}, 404)),
)
class TeamViewSet(PlanningViewSet):
    """Teams the user may see, by name, with members, capacity and current sprint."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    serializer_class = s.TeamDetailOutputSerializer

    def list(self, request):
        page = self.paginate_queryset(team_list(user=request.user))
        return self.get_paginated_response(s.TeamSummaryOutputSerializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        return Response(s.TeamDetailOutputSerializer(team_detail(slug=slug, user=request.user)).data)

    @extend_schema(request=s.TeamCreateInputSerializer,
                   responses=with_errors({201: s.TeamDetailOutputSerializer}, 400, 403, 409))
    def create(self, request):
        """Create a team; the caller becomes its first lead."""
        team = team_create(actor=request.user, **valid(s.TeamCreateInputSerializer, request.data))
        return Response(s.TeamDetailOutputSerializer(team_detail(slug=team.slug, user=request.user)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[SLUG], request=s.TeamUpdateInputSerializer,
                   responses=with_errors({200: s.TeamDetailOutputSerializer}))
    def partial_update(self, request, slug=None):
        """Rename the team, make it private or public, or change its alert thresholds."""
        data = valid(s.TeamUpdateInputSerializer, request.data)
        team_update(team=team_get(slug=slug, user=request.user), actor=request.user, **data)
        return Response(s.TeamDetailOutputSerializer(team_detail(slug=slug, user=request.user)).data)

    @extend_schema(parameters=[SLUG], responses=with_errors({204: None}, 403, 404))
    def destroy(self, request, slug=None):
        """Delete the team with its sprints and schedule (the register's items stay)."""
        team_delete(team=team_get(slug=slug, user=request.user), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[SLUG], request=s.CadenceInputSerializer,
                   responses=with_errors({200: s.TeamDetailOutputSerializer}))
    @action(detail=True, methods=["patch"])
    def cadence(self, request, slug=None):
        """Change the first day (before any sprint exists), the sprint length or how many sprints to plan ahead."""
        data = valid(s.CadenceInputSerializer, request.data)
        team_cadence_set(team=team_get(slug=slug, user=request.user), actor=request.user, **data)
        return Response(s.TeamDetailOutputSerializer(team_detail(slug=slug, user=request.user)).data)

    @extend_schema(parameters=[SLUG], request=s.BudgetInputSerializer,
                   responses=with_errors({200: s.TeamDetailOutputSerializer}))
    @action(detail=True, methods=["patch"])
    def budget(self, request, slug=None):
        """Set the debt budget: fixed hours or a share of capacity, with an optional capped carry-over."""
        data = valid(s.BudgetInputSerializer, request.data)
        team_budget_set(team=team_get(slug=slug, user=request.user), actor=request.user, **data)
        return Response(s.TeamDetailOutputSerializer(team_detail(slug=slug, user=request.user)).data)

    @extend_schema(parameters=[SLUG, s.HistoryFilterInputSerializer],
                   responses=with_errors({200: s.TeamHistoryOutputSerializer}, 400, 404))
    @action(detail=True)
    def history(self, request, slug=None):
        """Allocated vs spent vs committed per sprint, capacity share spent, carry-over, area snapshots."""
        params = valid(s.HistoryFilterInputSerializer, request.query_params)
        return Response(s.TeamHistoryOutputSerializer(
            team_history(slug=slug, user=request.user, last=params.get("last"))).data)

    @extend_schema(parameters=[SLUG, OpenApiParameter("days", OpenApiTypes.INT, enum=[*BOY_SCOUT_DAYS])],
                   responses=with_errors({200: BoyScoutRecordOutputSerializer}, 400, 404))
    @action(detail=True, url_path="boy-scout")
    def boy_scout(self, request, slug=None):
        """Who left the code cleaner in the repositories of the team's areas (those the user may read)."""
        days = boy_scout_days(request.query_params.get("days"))
        _, record = team_boy_scout_record(slug=slug, user=request.user, days=days)
        return Response(BoyScoutRecordOutputSerializer(record).data)

    @extend_schema(parameters=[SLUG], responses=with_errors({200: s.AlertBannerOutputSerializer(many=True)}, 404))
    @action(detail=True, pagination_class=None)  # a short list (two sprints' banners): not paginated
    def alerts(self, request, slug=None):
        """The alert banners: those of the team's two latest sprints that had any, newest first."""
        return Response(s.AlertBannerOutputSerializer(alert_banners(slug=slug, user=request.user), many=True).data)


@extend_schema_view(
    list=extend_schema(parameters=[TEAM_SLUG], responses=with_errors({200: s.MemberOutputSerializer(many=True)}, 404)),
)
class TeamMemberViewSet(PlanningViewSet):
    """A team's members with their capacity per sprint (hours) and lead role."""

    lookup_field = "user_id"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None
    serializer_class = s.MemberOutputSerializer

    def list(self, request, team_slug=None):
        members = team_detail(slug=team_slug, user=request.user).members
        return Response(s.MemberOutputSerializer(members, many=True).data)

    def _member(self, request, team_slug: str, user_id: int):
        members = team_detail(slug=team_slug, user=request.user).members
        return next(member for member in members if member.user_id == user_id)

    @extend_schema(parameters=[TEAM_SLUG], request=s.MemberAddInputSerializer,
                   responses=with_errors({201: s.MemberOutputSerializer}))
    def create(self, request, team_slug=None):
        """Add a user (by id) with a capacity of 0 to 200 hours per sprint."""
        data = valid(s.MemberAddInputSerializer, request.data)
        member = team_member_add(team=team_get(slug=team_slug, user=request.user), actor=request.user, **data)
        return Response(s.MemberOutputSerializer(self._member(request, team_slug, member.user_id)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[TEAM_SLUG, USER_ID], request=s.MemberUpdateInputSerializer,
                   responses=with_errors({200: s.MemberOutputSerializer}, 400, 403, 404))
    def partial_update(self, request, team_slug=None, user_id=None):
        """Change a member's capacity or lead role (the last lead stays a lead)."""
        data = valid(s.MemberUpdateInputSerializer, request.data)
        member = team_member_update(team=team_get(slug=team_slug, user=request.user), actor=request.user,
                                    user_id=path_id(user_id, limit=INT_MAX), **data)
        return Response(s.MemberOutputSerializer(self._member(request, team_slug, member.user_id)).data)

    @extend_schema(parameters=[TEAM_SLUG, USER_ID], responses=with_errors({204: None}, 400, 403, 404))
    def destroy(self, request, team_slug=None, user_id=None):
        """Take a member out of the team (not its last lead)."""
        team_member_remove(team=team_get(slug=team_slug, user=request.user), actor=request.user,
                           user_id=path_id(user_id, limit=INT_MAX))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[TEAM_SLUG], responses=with_errors({200: s.AreaOutputSerializer(many=True)}, 404)),
)
class TeamAreaViewSet(PlanningViewSet):
    """The code a team owns: repositories, narrowed to path prefixes and/or CODEOWNERS handles."""

    lookup_field = "area_id"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None
    serializer_class = s.AreaOutputSerializer

    def list(self, request, team_slug=None):
        return Response(s.AreaOutputSerializer(team_detail(slug=team_slug, user=request.user).areas, many=True).data)

    @extend_schema(parameters=[TEAM_SLUG], request=s.AreaAddInputSerializer,
                   responses=with_errors({201: s.AreaOutputSerializer}, 400, 403, 404))
    def create(self, request, team_slug=None):
        """Give the team an area: a repository (by id), a path prefix and/or a CODEOWNERS handle."""
        data = valid(s.AreaAddInputSerializer, request.data)
        area = team_area_add(team=team_get(slug=team_slug, user=request.user), actor=request.user, **data)
        areas = team_detail(slug=team_slug, user=request.user).areas
        return Response(s.AreaOutputSerializer(next(a for a in areas if a.area_id == area.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[TEAM_SLUG, AREA_ID], responses=with_errors({204: None}, 403, 404))
    def destroy(self, request, team_slug=None, area_id=None):
        team_area_remove(team=team_get(slug=team_slug, user=request.user), actor=request.user, area_id=int(area_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[TEAM_SLUG, OpenApiParameter("state", OpenApiTypes.STR,
                                                               enum=["past", "current", "upcoming"])],
                       responses=with_errors({200: s.SprintInfoOutputSerializer(many=True)}, 400, 404)),
    retrieve=extend_schema(parameters=[TEAM_SLUG, NUMBER],
                           responses=with_errors({200: s.SprintInfoOutputSerializer}, 404)),
)
class SprintViewSet(PlanningViewSet):
    """A team's sprints by start; `current` stands for the sprint holding today."""

    lookup_field = "number"
    lookup_value_regex = r"[0-9]+|current"
    serializer_class = s.SprintInfoOutputSerializer

    def _sprint(self, request, team_slug: str, number: str):
        return sprint_get(team=team_get(slug=team_slug, user=request.user), number=_number(number))

    def _info(self, request, team_slug: str, number: int):
        return next(info for info in sprint_list(slug=team_slug, user=request.user) if info.number == number)

    def list(self, request, team_slug=None):
        params = valid(s.SprintListFilterInputSerializer, request.query_params)
        page = self.paginate_queryset(sprint_list(slug=team_slug, user=request.user, state=params.get("state")))
        return self.get_paginated_response(s.SprintInfoOutputSerializer(page, many=True).data)

    def retrieve(self, request, team_slug=None, number=None):
        sprint = self._sprint(request, team_slug, number)
        return Response(s.SprintInfoOutputSerializer(self._info(request, team_slug, sprint.number)).data)

    @extend_schema(parameters=[TEAM_SLUG], request=s.SprintCreateInputSerializer,
                   responses=with_errors({201: s.SprintInfoOutputSerializer}))
    def create(self, request, team_slug=None):
        """Add a sprint by hand; dates overlapping another sprint answer 409 (sprint.overlap)."""
        data = valid(s.SprintCreateInputSerializer, request.data)
        sprint = sprint_create(team=team_get(slug=team_slug, user=request.user), actor=request.user, **data)
        return Response(s.SprintInfoOutputSerializer(self._info(request, team_slug, sprint.number)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[TEAM_SLUG, NUMBER], request=s.SprintUpdateInputSerializer,
                   responses=with_errors({200: s.SprintInfoOutputSerializer}))
    def partial_update(self, request, team_slug=None, number=None):
        """Rename a sprint, shorten it (a new last day) or skip it (a holiday: no budget, no alerts)."""
        data = valid(s.SprintUpdateInputSerializer, request.data)
        sprint = sprint_update(sprint=self._sprint(request, team_slug, number), actor=request.user, **data)
        return Response(s.SprintInfoOutputSerializer(self._info(request, team_slug, sprint.number)).data)

    @extend_schema(parameters=[TEAM_SLUG], request=None,
                   responses=with_errors({200: s.GenerateResultOutputSerializer}, 403, 404))
    @action(detail=False, methods=["post"])
    def generate(self, request, team_slug=None):
        """Generate the team's sprints up to today's sprint plus the configured number ahead (idempotent)."""
        result = sprint_generate(team=team_get(slug=team_slug, user=request.user), actor=request.user)
        return Response(s.GenerateResultOutputSerializer(result).data)

    @extend_schema(parameters=[TEAM_SLUG, NUMBER], responses=with_errors({200: s.SprintFiguresOutputSerializer}, 404))
    @action(detail=True)
    def figures(self, request, team_slug=None, number=None):
        """Budget (with carry-over), committed, done, unplanned, left, by member, by area, burn-down, alerts."""
        figures = sprint_figures(slug=team_slug, user=request.user, number=_number(number))
        return Response(s.SprintFiguresOutputSerializer(figures).data)

    @extend_schema(parameters=[TEAM_SLUG, NUMBER],
                   responses=with_errors({200: s.BurndownPointOutputSerializer(many=True)}, 404))
    @action(detail=True, pagination_class=None)  # one point a day: never paginated
    def burndown(self, request, team_slug=None, number=None):
        """The burn-down series: ideal vs remaining committed hours, day by day (null remaining: the future)."""
        figures = sprint_figures(slug=team_slug, user=request.user, number=_number(number))
        return Response(s.BurndownPointOutputSerializer(figures.burndown, many=True).data)

    @extend_schema(parameters=[TEAM_SLUG, NUMBER], request=s.ScheduleInputSerializer,
                   responses=with_errors({201: s.ScheduleResultOutputSerializer}))
    @action(detail=True, methods=["post"])
    def items(self, request, team_slug=None, number=None):
        """Schedule an item (accepted, planned or in progress); warnings say when it is outside the areas."""
        data = valid(s.ScheduleInputSerializer, request.data)
        result = sprint_item_schedule(sprint=self._sprint(request, team_slug, number), item_id=data["item_id"],
                                      actor=request.user)
        return Response(s.ScheduleResultOutputSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[TEAM_SLUG, NUMBER], request=s.BulkScheduleInputSerializer,
                   responses=with_errors({200: s.BulkScheduleResultOutputSerializer}))
    @action(detail=True, methods=["post"], url_path="items/bulk")
    def items_bulk(self, request, team_slug=None, number=None):
        """Schedule several items; each is scheduled or refused (with its error code) on its own."""
        data = valid(s.BulkScheduleInputSerializer, request.data)
        result = sprint_item_schedule_bulk(sprint=self._sprint(request, team_slug, number),
                                           item_ids=data["item_ids"], actor=request.user)
        return Response(s.BulkScheduleResultOutputSerializer(result).data)

    @extend_schema(parameters=[TEAM_SLUG, NUMBER, ITEM_ID], request=None,
                   responses=with_errors({200: s.ScheduleResultOutputSerializer}, 403, 404, 409))
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<item_id>[0-9]+)")
    def unschedule(self, request, team_slug=None, number=None, item_id=None):
        """Take an item out of a sprint that has not ended; a still-planned item goes back to accepted."""
        result = sprint_item_unschedule(sprint=self._sprint(request, team_slug, number), item_id=path_id(item_id),
                                        actor=request.user)
        return Response(s.ScheduleResultOutputSerializer(result).data)
