"""Refactorathons over REST: events, participants, goals, candidates and item choices, the plan, status, report,
exports; and filling a sprint's debt budget with the planner (under the team's sprint routes).

Permissions are the sprints services' own (sprints/event_scope.py): everyone signed in sees an event without a
team or of a public team; a private team's event is 404 to all but its members and staff; the organiser,
participants, the team's members and staff change it.
"""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.inputs import valid
from api.path_ids import INT_MAX, path_id
from api.serializers import refactorathons as r
from api.serializers.sprints import BulkScheduleResultOutputSerializer, with_errors
from api.views.planning import PlanningViewSet
from debtboard.errors import NotFound
from sprints.selectors.refactorathon_exports import (
    refactorathon_ical,
    refactorathon_plan_csv,
    refactorathon_report_csv,
)
from sprints.selectors.refactorathon_report import refactorathon_report
from sprints.selectors.refactorathons import (
    refactorathon_candidates,
    refactorathon_get,
    refactorathon_info,
    refactorathon_list,
    refactorathon_plan_get,
)
from sprints.selectors.teams import sprint_get, team_get
from sprints.services.refactorathon_plans import refactorathon_item_assign, refactorathon_plan
from sprints.services.refactorathon_moves import refactorathon_move
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_delete,
    refactorathon_goal_add,
    refactorathon_goal_remove,
    refactorathon_hotspot_adopt,
    refactorathon_item_choose,
    refactorathon_participant_add,
    refactorathon_participant_remove,
    refactorathon_participant_update,
    refactorathon_update,
)
from sprints.services.sprint_fill import sprint_fill_confirm, sprint_fill_propose

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="A refactorathon's slug.")
EVENT_SLUG = OpenApiParameter("refactorathon_slug", OpenApiTypes.STR, OpenApiParameter.PATH,
                              description="A refactorathon's slug.")
USER_ID = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The participant's id.")
GOAL_ID = OpenApiParameter("goal_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The goal's id.")
ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="A debt item's id.")
TEAM_SLUG = OpenApiParameter("team_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="A team's slug.")
NUMBER = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                          description="A sprint number, or `current` for the sprint holding today.")
CSV = {(200, "text/csv"): OpenApiTypes.STR}


def _info(request, slug: str):
    return r.RefactorathonOutputSerializer(refactorathon_info(slug=slug, user=request.user)).data


def _scope(rows: list[dict]) -> list[tuple[int, list[str]]]:
    return [(row["repository_id"], row["prefixes"]) for row in rows]


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@extend_schema_view(
    list=extend_schema(responses=with_errors({200: r.RefactorathonSummaryOutputSerializer(many=True)}, 400)),
    retrieve=extend_schema(parameters=[SLUG], responses=with_errors({200: r.RefactorathonOutputSerializer}, 404)),
)
class RefactorathonViewSet(PlanningViewSet):
    """Clean-up events: dates, scope, participants, goals, the saved plan and the status."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    serializer_class = r.RefactorathonOutputSerializer

    def list(self, request):
        page = self.paginate_queryset(refactorathon_list(user=request.user))
        return self.get_paginated_response(r.RefactorathonSummaryOutputSerializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        return Response(_info(request, slug))

    @extend_schema(request=r.RefactorathonCreateInputSerializer,
                   responses=with_errors({201: r.RefactorathonOutputSerializer}))
    def create(self, request):
        """Create a draft event over a scope (repositories and path prefixes); the caller organises it."""
        data = valid(r.RefactorathonCreateInputSerializer, request.data)
        team_slug = data.pop("team_slug")
        team = team_get(slug=team_slug, user=request.user) if team_slug else None
        event = refactorathon_create(actor=request.user, team=team, **{**data, "scope": _scope(data["scope"])})
        return Response(_info(request, event.slug), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[SLUG], request=r.RefactorathonUpdateInputSerializer,
                   responses=with_errors({200: r.RefactorathonOutputSerializer}))
    def partial_update(self, request, slug=None):
        """Change a draft or planned event's name, dates, scope or planning options."""
        data = valid(r.RefactorathonUpdateInputSerializer, request.data)
        if "scope" in data:
            data["scope"] = _scope(data["scope"])
        refactorathon_update(event=refactorathon_get(slug=slug, user=request.user), actor=request.user, **data)
        return Response(_info(request, slug))

    @extend_schema(parameters=[SLUG], responses=with_errors({204: None}, 403, 404))
    def destroy(self, request, slug=None):
        """Delete the event with its participants, goals and item choices (the register's items stay)."""
        refactorathon_delete(event=refactorathon_get(slug=slug, user=request.user), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[SLUG], responses=with_errors({200: r.CandidatesOutputSerializer}, 404))
    @action(detail=True)
    def candidates(self, request, slug=None):
        """Open register items in scope (best value first) and the top hotspots in scope without an item."""
        return Response(r.CandidatesOutputSerializer(refactorathon_candidates(slug=slug, user=request.user)).data)

    @extend_schema(methods=["GET"], parameters=[SLUG], responses=with_errors({200: r.PlanOutputSerializer}, 404))
    @extend_schema(methods=["POST"], parameters=[SLUG], request=r.PlanRunInputSerializer,
                   responses=with_errors({201: r.PlanOutputSerializer}))
    @action(detail=True, methods=["get", "post"])
    def plan(self, request, slug=None):
        """GET: the saved plan (404 refactorathon.not_planned before the first). POST: plan and save it."""
        if request.method == "GET":
            plan = refactorathon_plan_get(slug=slug, user=request.user)
            if plan is None:
                return Response({"code": "refactorathon.not_planned", "message": f"{slug} has no plan yet.",
                                 "extra": {"refactorathon": slug}}, status=status.HTTP_404_NOT_FOUND)
            return Response(r.PlanOutputSerializer(plan).data)
        data = valid(r.PlanRunInputSerializer, request.data)
        plan = refactorathon_plan(event=refactorathon_get(slug=slug, user=request.user), actor=request.user, **data)
        return Response(r.PlanOutputSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[SLUG], request=r.StatusMoveInputSerializer,
                   responses=with_errors({200: r.RefactorathonOutputSerializer}))
    @action(detail=True, methods=["post"])
    def status(self, request, slug=None):
        """Move the event: draft -> planned -> running (scans the start) -> finished (scans the end) -> reviewed."""
        data = valid(r.StatusMoveInputSerializer, request.data)
        refactorathon_move(event=refactorathon_get(slug=slug, user=request.user), actor=request.user, **data)
        return Response(_info(request, slug))

    @extend_schema(parameters=[SLUG], responses=with_errors({200: r.ReportOutputSerializer}, 404))
    @action(detail=True)
    def report(self, request, slug=None):
        """The before/after report: per-file deltas, totals, items, goals, contributions, regression check."""
        return Response(r.report_json(refactorathon_report(slug=slug, user=request.user)))

    @extend_schema(operation_id="v1_refactorathons_report_csv_retrieve", parameters=[SLUG],
                   responses={**CSV, **with_errors({}, 404)})
    @action(detail=True, url_path="report-csv")
    def report_csv(self, request, slug=None):
        """The report's per-file deltas as CSV."""
        content = refactorathon_report_csv(refactorathon_report(slug=slug, user=request.user))
        return _download(content, "text/csv; charset=utf-8", f"{slug}-report.csv")

    @extend_schema(operation_id="v1_refactorathons_plan_csv_retrieve", parameters=[SLUG],
                   responses={**CSV, **with_errors({}, 404, 409)})
    @action(detail=True, url_path="plan-csv")
    def plan_csv(self, request, slug=None):
        """The saved plan's chosen items as CSV (409 before the first plan)."""
        return _download(refactorathon_plan_csv(slug=slug, user=request.user), "text/csv; charset=utf-8",
                         f"{slug}-plan.csv")

    @extend_schema(operation_id="v1_refactorathons_ics_retrieve", parameters=[SLUG],
                   responses={(200, "text/calendar"): OpenApiTypes.STR, **with_errors({}, 404)})
    @action(detail=True, url_path="ics")
    def ics(self, request, slug=None):
        """The event as an iCalendar file (one all-day event, the plan in its notes)."""
        content = refactorathon_ical(slug=slug, user=request.user, domain=request.get_host().split(":")[0])
        return _download(content, "text/calendar; charset=utf-8", f"{slug}.ics")

    @extend_schema(parameters=[SLUG], request=r.HotspotAdoptInputSerializer,
                   responses=with_errors({201: r.CandidateOutputSerializer}))
    @action(detail=True, methods=["post"])
    def hotspots(self, request, slug=None):
        """Turn a hotspot in scope into an accepted register item; it becomes a candidate."""
        data = valid(r.HotspotAdoptInputSerializer, request.data)
        row = refactorathon_hotspot_adopt(event=refactorathon_get(slug=slug, user=request.user),
                                          actor=request.user, **data)
        lines = refactorathon_candidates(slug=slug, user=request.user).items
        line = next(line for line in lines if line.item_id == row.item_id)
        return Response(r.CandidateOutputSerializer(line).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[EVENT_SLUG],
                       responses=with_errors({200: r.ParticipantOutputSerializer(many=True)}, 404)),
)
class ParticipantViewSet(PlanningViewSet):
    """The people at an event with their hours for it and the areas they know."""

    lookup_field = "user_id"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None
    serializer_class = r.ParticipantOutputSerializer

    def list(self, request, refactorathon_slug=None):
        info = refactorathon_info(slug=refactorathon_slug, user=request.user)
        return Response(r.ParticipantOutputSerializer(info.participants, many=True).data)

    def _one(self, request, slug: str, user_id: int):
        info = refactorathon_info(slug=slug, user=request.user)
        return r.ParticipantOutputSerializer(next(p for p in info.participants if p.user_id == user_id)).data

    @extend_schema(parameters=[EVENT_SLUG], request=r.ParticipantAddInputSerializer,
                   responses=with_errors({201: r.ParticipantOutputSerializer}))
    def create(self, request, refactorathon_slug=None):
        """Add a user (by id) with their hours for the event (more than 0) and the areas they know."""
        data = valid(r.ParticipantAddInputSerializer, request.data)
        row = refactorathon_participant_add(event=refactorathon_get(slug=refactorathon_slug, user=request.user),
                                            actor=request.user, **data)
        return Response(self._one(request, refactorathon_slug, row.user_id), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[EVENT_SLUG, USER_ID], request=r.ParticipantUpdateInputSerializer,
                   responses=with_errors({200: r.ParticipantOutputSerializer}))
    def partial_update(self, request, refactorathon_slug=None, user_id=None):
        """Change a participant's hours or known areas."""
        data = valid(r.ParticipantUpdateInputSerializer, request.data)
        refactorathon_participant_update(event=refactorathon_get(slug=refactorathon_slug, user=request.user),
                                         actor=request.user, user_id=path_id(user_id, limit=INT_MAX), **data)
        return Response(self._one(request, refactorathon_slug, path_id(user_id, limit=INT_MAX)))

    @extend_schema(parameters=[EVENT_SLUG, USER_ID], responses=with_errors({204: None}))
    def destroy(self, request, refactorathon_slug=None, user_id=None):
        """Take a person out of the event; items assigned to them lose their assignee."""
        refactorathon_participant_remove(event=refactorathon_get(slug=refactorathon_slug, user=request.user),
                                         actor=request.user, user_id=path_id(user_id, limit=INT_MAX))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[EVENT_SLUG], responses=with_errors({200: r.GoalOutputSerializer(many=True)}, 404)),
)
class GoalViewSet(PlanningViewSet):
    """An event's measurable goals."""

    lookup_field = "goal_id"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None
    serializer_class = r.GoalOutputSerializer

    def list(self, request, refactorathon_slug=None):
        info = refactorathon_info(slug=refactorathon_slug, user=request.user)
        return Response(r.GoalOutputSerializer(info.goals, many=True).data)

    @extend_schema(parameters=[EVENT_SLUG], request=r.GoalAddInputSerializer,
                   responses=with_errors({201: r.GoalOutputSerializer}, 400, 403, 404))
    def create(self, request, refactorathon_slug=None):
        """Add a goal: a kind, a target, and a file or folder for hotspot goals."""
        data = valid(r.GoalAddInputSerializer, request.data)
        goal = refactorathon_goal_add(event=refactorathon_get(slug=refactorathon_slug, user=request.user),
                                      actor=request.user, **data)
        info = refactorathon_info(slug=refactorathon_slug, user=request.user)
        return Response(r.GoalOutputSerializer(next(g for g in info.goals if g.goal_id == goal.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[EVENT_SLUG, GOAL_ID], responses=with_errors({204: None}, 403, 404))
    def destroy(self, request, refactorathon_slug=None, goal_id=None):
        refactorathon_goal_remove(event=refactorathon_get(slug=refactorathon_slug, user=request.user),
                                  actor=request.user, goal_id=path_id(goal_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventItemViewSet(PlanningViewSet):
    """Candidates of an event: pin or exclude them for the next plan, give a planned one another assignee."""

    lookup_field = "item_id"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None
    serializer_class = r.CandidateOutputSerializer

    def _line(self, request, slug: str, item_id: int):
        lines = refactorathon_candidates(slug=slug, user=request.user).items
        line = next((line for line in lines if line.item_id == item_id), None)
        if line is None:  # chosen, but not an open register item in the event's scope
            raise NotFound(f"Item #{item_id} is not a candidate of this event.",
                           code="refactorathon_item.not_candidate", extra={"item": item_id})
        return r.CandidateOutputSerializer(line).data

    @extend_schema(parameters=[EVENT_SLUG, ITEM_ID], request=r.ItemChoiceInputSerializer,
                   responses=with_errors({200: r.CandidateOutputSerializer}))
    def partial_update(self, request, refactorathon_slug=None, item_id=None):
        """Pin an item into the next plan or exclude it (pinning clears excluded, and the other way round)."""
        data = valid(r.ItemChoiceInputSerializer, request.data)
        refactorathon_item_choose(event=refactorathon_get(slug=refactorathon_slug, user=request.user),
                                  actor=request.user, item_id=path_id(item_id), **data)
        return Response(self._line(request, refactorathon_slug, path_id(item_id)))

    @extend_schema(parameters=[EVENT_SLUG, ITEM_ID], request=r.AssignInputSerializer,
                   responses=with_errors({200: r.PlanOutputSerializer}))
    @action(detail=True, methods=["post"])
    def assign(self, request, refactorathon_slug=None, item_id=None):
        """Give a planned item to another participant (and partner); the plan's version grows."""
        data = valid(r.AssignInputSerializer, request.data)
        plan = refactorathon_item_assign(event=refactorathon_get(slug=refactorathon_slug, user=request.user),
                                         actor=request.user, item_id=path_id(item_id), **data)
        return Response(r.PlanOutputSerializer(plan).data)


class SprintFillViewSet(PlanningViewSet):
    """Fill a sprint's debt budget: the planner proposes accepted items in the team's areas; confirm schedules."""

    pagination_class = None
    serializer_class = r.SprintFillProposalOutputSerializer

    def _sprint(self, request, team_slug: str, number: str):
        return sprint_get(team=team_get(slug=team_slug, user=request.user),
                          number=None if number == "current" else path_id(number, limit=INT_MAX))

    @extend_schema(operation_id="v1_sprint_fill_propose", parameters=[TEAM_SLUG, NUMBER],
                   request=r.SprintFillProposeInputSerializer,
                   responses=with_errors({200: r.SprintFillProposalOutputSerializer}))
    @action(detail=False, methods=["post"])
    def propose(self, request, team_slug=None, number=None):
        """Propose items for the budget left (nothing is scheduled)."""
        data = valid(r.SprintFillProposeInputSerializer, request.data)
        proposal = sprint_fill_propose(sprint=self._sprint(request, team_slug, number), actor=request.user, **data)
        return Response(r.SprintFillProposalOutputSerializer(proposal).data)

    @extend_schema(operation_id="v1_sprint_fill_confirm", parameters=[TEAM_SLUG, NUMBER],
                   request=r.SprintFillConfirmInputSerializer,
                   responses=with_errors({200: BulkScheduleResultOutputSerializer}))
    @action(detail=False, methods=["post"])
    def confirm(self, request, team_slug=None, number=None):
        """Schedule the proposed items the caller confirms (each scheduled or refused on its own)."""
        data = valid(r.SprintFillConfirmInputSerializer, request.data)
        result = sprint_fill_confirm(sprint=self._sprint(request, team_slug, number), actor=request.user,
                                     item_ids=data["item_ids"])
        return Response(BulkScheduleResultOutputSerializer(result).data)
