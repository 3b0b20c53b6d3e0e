"""Serializers for refactorathons: set-up, participants, goals, candidates, plans, the report, sprint filling."""
from dataclasses import replace
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import (
    ServiceRangeFloatField,
    StrictBooleanField,
    StrictDateField,
    StrictFloatField,
    StrictIntegerField,
    TextField,
)
from sprints.choices import MAX_AREA_CAP_HOURS, MAX_EVENT_HOURS, MAX_GOAL_TARGET, GoalKind, RefactorathonStatus

# Plain strings with their values listed: the names "status" and "kind" are other enums' in the schema already.
STATUSES = "One of " + ", ".join(RefactorathonStatus.values) + "."
KINDS = "One of " + ", ".join(GoalKind.values) + "."


@extend_schema_field({"type": "number", "format": "double", "minimum": 0, "exclusiveMinimum": True,
                      "maximum": MAX_EVENT_HOURS})
class EventHoursField(serializers.FloatField):
    """A participant's hours for the event: more than 0, at most 200; the service checks them (its own code)."""


# Output -------------------------------------------------------------------------------------------------------


class ScopeEntryOutputSerializer(serializers.Serializer):
    repository_id = serializers.IntegerField()
    repository_name = serializers.CharField()
    prefixes = serializers.ListField(child=serializers.CharField(), help_text="Empty: the whole repository.")


class ParticipantOutputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    hours = serializers.FloatField()
    areas = serializers.ListField(child=serializers.CharField())
    identities = serializers.ListField(child=serializers.CharField(), help_text="Git author names and e-mails.")


class GoalOutputSerializer(serializers.Serializer):
    goal_id = serializers.IntegerField()
    kind = serializers.CharField(help_text=KINDS)
    label = serializers.CharField()
    target = serializers.FloatField()
    path = serializers.CharField()


class RefactorathonSummaryOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    status = serializers.CharField(help_text=STATUSES)
    plan_status = serializers.CharField()
    plan_version = serializers.IntegerField()


class RefactorathonOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    team_slug = serializers.CharField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    status = serializers.CharField(help_text=STATUSES)
    next_statuses = serializers.ListField(child=serializers.CharField())
    scope = ScopeEntryOutputSerializer(many=True)
    participants = ParticipantOutputSerializer(many=True)
    goals = GoalOutputSerializer(many=True)
    capacity_hours = serializers.FloatField()
    coupling_threshold = serializers.FloatField()
    area_cap_hours = serializers.FloatField(allow_null=True)
    pair_islands = serializers.BooleanField()
    time_limit_seconds = serializers.FloatField()
    plan_status = serializers.CharField(help_text="optimal, feasible, greedy, empty, or blank (not planned).")
    plan_version = serializers.IntegerField(help_text="Send it back as expected_version when you re-plan.")
    start_scan_id = serializers.IntegerField(allow_null=True)
    end_scan_id = serializers.IntegerField(allow_null=True)


class CandidateOutputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    repository_id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    value = serializers.FloatField(help_text="The item's priority in the register.")
    effort = serializers.FloatField()
    effort_unit = serializers.CharField()
    hours_per_unit = serializers.FloatField()
    effort_hours = serializers.FloatField()
    paths = serializers.ListField(child=serializers.CharField())
    pinned = serializers.BooleanField()
    excluded = serializers.BooleanField()
    chosen = serializers.BooleanField()
    assignee = serializers.CharField(allow_null=True)
    partner = serializers.CharField(allow_null=True)


class HotspotCandidateOutputSerializer(serializers.Serializer):
    repository_id = serializers.IntegerField()
    path = serializers.CharField()
    hotspot_score = serializers.FloatField()
    health = serializers.FloatField(allow_null=True)
    complexity = serializers.IntegerField()


class CandidatesOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    items = CandidateOutputSerializer(many=True)
    hotspots = HotspotCandidateOutputSerializer(many=True)


class PlanLineOutputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    title = serializers.CharField()
    value = serializers.FloatField()
    effort_hours = serializers.FloatField()
    assignee = serializers.CharField()
    partner = serializers.CharField(allow_null=True)
    why = serializers.CharField()
    explanation = serializers.CharField()


class LeftOutLineOutputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    title = serializers.CharField()
    value = serializers.FloatField()
    effort_hours = serializers.FloatField()
    reason = serializers.CharField(help_text="capacity, dependency, coupling, area_cap, excluded, ...")
    explanation = serializers.CharField()


class LoadLineOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    capacity_hours = serializers.FloatField()
    hours = serializers.FloatField()


class PlanOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.CharField(help_text="The solver's status: optimal (proven) or feasible (time limit hit).")
    reason = serializers.CharField()
    total_value = serializers.FloatField()
    total_effort_hours = serializers.FloatField()
    capacity_hours = serializers.FloatField()
    greedy_value = serializers.FloatField()
    solver_seconds = serializers.FloatField()
    chosen = PlanLineOutputSerializer(many=True)
    left_out = LeftOutLineOutputSerializer(many=True)
    loads = LoadLineOutputSerializer(many=True)
    planned_at = serializers.DateTimeField(allow_null=True)


class FileFiguresOutputSerializer(serializers.Serializer):
    path = serializers.CharField()
    complexity = serializers.IntegerField()
    max_function_complexity = serializers.IntegerField()
    violations = serializers.IntegerField()
    markers = serializers.IntegerField()
    cleanup_markers = serializers.IntegerField()
    health = serializers.FloatField(allow_null=True)
    hotspot_score = serializers.FloatField(allow_null=True)


class FileDeltaOutputSerializer(serializers.Serializer):
    repository_id = serializers.IntegerField()
    path = serializers.CharField()
    before = FileFiguresOutputSerializer(allow_null=True)
    after = FileFiguresOutputSerializer(allow_null=True)
    complexity_change = serializers.IntegerField()
    violations_change = serializers.IntegerField()
    markers_change = serializers.IntegerField()
    cleanup_markers_change = serializers.IntegerField()
    health_change = serializers.FloatField(allow_null=True)
    hotspot_score_change = serializers.FloatField(allow_null=True)


class ReportTotalsOutputSerializer(serializers.Serializer):
    complexity_removed = serializers.IntegerField()
    violations_fixed = serializers.IntegerField()
    markers_removed = serializers.IntegerField()
    cleanup_markers_removed = serializers.IntegerField()
    health_gained = serializers.FloatField()
    hotspots_cooled = serializers.IntegerField()
    files_before = serializers.IntegerField()
    files_after = serializers.IntegerField()


class GoalResultOutputSerializer(serializers.Serializer):
    goal_id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()
    target = serializers.FloatField()
    path = serializers.CharField()
    at_start = serializers.FloatField(allow_null=True)
    now = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField()


class ContributionOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    items_planned = serializers.IntegerField()
    items_done = serializers.IntegerField()
    commits_in_scope = serializers.IntegerField()


class RegressionLineOutputSerializer(serializers.Serializer):
    weeks = serializers.IntegerField()
    repository_id = serializers.IntegerField()
    path = serializers.CharField()
    scan_id = serializers.IntegerField()
    complexity_at_end = serializers.IntegerField()
    complexity_later = serializers.IntegerField()
    violations_at_end = serializers.IntegerField()
    violations_later = serializers.IntegerField()
    markers_at_end = serializers.IntegerField()
    markers_later = serializers.IntegerField()
    worse = serializers.BooleanField()


class RegressionCheckOutputSerializer(serializers.Serializer):
    checked = serializers.ListField(child=serializers.IntegerField(), help_text="Weeks after the end checked.")
    lines = RegressionLineOutputSerializer(many=True)


class ReportOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    frozen = serializers.BooleanField(help_text="Figures frozen when the event finished.")
    before_scan_ids = serializers.ListField(child=serializers.IntegerField())
    after_scan_ids = serializers.ListField(child=serializers.IntegerField())
    files = FileDeltaOutputSerializer(many=True)
    totals = ReportTotalsOutputSerializer()
    items_planned = serializers.IntegerField()
    items_done = serializers.IntegerField()
    goals = GoalResultOutputSerializer(many=True)
    contributions = ContributionOutputSerializer(many=True)
    regression = RegressionCheckOutputSerializer()


class SprintFillProposalOutputSerializer(serializers.Serializer):
    team_slug = serializers.CharField()
    sprint_number = serializers.IntegerField()
    capacity_hours = serializers.FloatField(help_text="The budget left: total - spent - committed.")
    status = serializers.CharField()
    reason = serializers.CharField()
    item_ids = serializers.ListField(child=serializers.IntegerField(), help_text="Confirm these to schedule them.")
    plan = PlanOutputSerializer()


# Input --------------------------------------------------------------------------------------------------------


class ScopeInputSerializer(serializers.Serializer):
    repository_id = StrictIntegerField()
    prefixes = serializers.ListField(child=TextField(max_length=1000, allow_blank=True), required=False,
                                     default=list, max_length=50)


class RefactorathonCreateInputSerializer(serializers.Serializer):
    name = TextField(max_length=100)
    slug = TextField(max_length=60, required=False, default="")
    start = StrictDateField()
    end = StrictDateField()
    team_slug = TextField(max_length=60, required=False, allow_null=True, default=None)
    scope = ScopeInputSerializer(many=True, max_length=50)
    coupling_threshold = ServiceRangeFloatField(required=False, default=0.6, low=0, high=1)
    area_cap_hours = ServiceRangeFloatField(required=False, allow_null=True, default=None, low=0,
                                            high=MAX_AREA_CAP_HOURS)
    pair_islands = StrictBooleanField(required=False, default=False)
    time_limit_seconds = ServiceRangeFloatField(required=False, default=5.0, low=0.1, high=60)


class RefactorathonUpdateInputSerializer(serializers.Serializer):
    name = TextField(max_length=100, required=False)
    start = StrictDateField(required=False)
    end = StrictDateField(required=False)
    scope = ScopeInputSerializer(many=True, required=False, max_length=50)
    coupling_threshold = ServiceRangeFloatField(required=False, low=0, high=1)
    area_cap_hours = ServiceRangeFloatField(required=False, low=0, high=MAX_AREA_CAP_HOURS,
                                            help_text="0 removes the cap.")
    pair_islands = StrictBooleanField(required=False)
    time_limit_seconds = ServiceRangeFloatField(required=False, low=0.1, high=60)


class ParticipantAddInputSerializer(serializers.Serializer):
    user_id = StrictIntegerField()
    hours = EventHoursField()
    areas = serializers.ListField(child=TextField(max_length=1000), required=False, default=list,
                                  max_length=50)


class ParticipantUpdateInputSerializer(serializers.Serializer):
    hours = EventHoursField(required=False)
    areas = serializers.ListField(child=TextField(max_length=1000), required=False, max_length=50)


class GoalAddInputSerializer(serializers.Serializer):
    kind = TextField(max_length=40, help_text=KINDS)
    target = ServiceRangeFloatField(low=0, high=MAX_GOAL_TARGET)
    path = TextField(max_length=1000, required=False, default="")


class ItemChoiceInputSerializer(serializers.Serializer):
    pinned = StrictBooleanField(required=False, allow_null=True, default=None)
    excluded = StrictBooleanField(required=False, allow_null=True, default=None)


class AssignInputSerializer(serializers.Serializer):
    assignee_id = StrictIntegerField()
    partner_id = StrictIntegerField(required=False, allow_null=True, default=None)
    expected_version = StrictIntegerField(required=False, allow_null=True, default=None, min_value=0)


class PlanRunInputSerializer(serializers.Serializer):
    expected_version = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=0,
        help_text="The plan version you read; a newer one answers 409 (plan.version_conflict). Null: no check.")


class HotspotAdoptInputSerializer(serializers.Serializer):
    repository_id = StrictIntegerField()
    path = TextField(max_length=1000)
    effort = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, default=4)
    title = TextField(max_length=200, required=False, default="")


class StatusMoveInputSerializer(serializers.Serializer):
    to_status = TextField(
        max_length=20, help_text=f"{STATUSES}; running scans the start ('before'), finished scans the end and "
                                 "freezes the figures. A move the status does not allow answers 409.")


class SprintFillProposeInputSerializer(serializers.Serializer):
    time_limit = StrictFloatField(required=False, default=5.0, min_value=0.1, max_value=60)


class SprintFillConfirmInputSerializer(serializers.Serializer):
    item_ids = serializers.ListField(child=StrictIntegerField(), min_length=1, max_length=500)


def report_json(report: Any) -> dict[str, Any]:
    """The report as ReportOutputSerializer states it; its per-file deltas (thousands of rows, each a plain dataclass
    whose fields are the serializer's) go out as their own JSON instead of through a serializer per row."""
    data = ReportOutputSerializer(replace(report, files=())).data
    data["files"] = [delta.as_json() for delta in report.files]
    return data
