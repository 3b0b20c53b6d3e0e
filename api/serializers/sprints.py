"""Serializers for teams, members, areas, sprints, scheduling and the sprint figures (output of sprints.data)."""
from rest_framework import serializers

from api.serializers.errors import ErrorOutputSerializer
from api.serializers.fields import (
    QueryChoiceField,
    QueryIntegerField,
    ServiceRangeFloatField,
    ServiceRangeIntegerField,
    StrictBooleanField,
    StrictDateField,
    StrictIntegerField,
    TextField,
)
from sprints.choices import (
    MAX_CAPACITY_HOURS,
    MAX_FIXED_HOURS,
    MAX_LENGTH_WEEKS,
    MAX_SPRINTS_AHEAD,
    MIN_LENGTH_WEEKS,
    BudgetMode,
)


ERRORS = {400: ErrorOutputSerializer, 403: ErrorOutputSerializer, 404: ErrorOutputSerializer,
          409: ErrorOutputSerializer}


def with_errors(responses: dict, *codes: int) -> dict:
    """OpenAPI responses plus the error body for each status code given (all four when none)."""
    return {**responses, **{code: ERRORS[code] for code in (codes or tuple(ERRORS))}}


# Output -------------------------------------------------------------------------------------------------------


class SprintInfoOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()
    skipped = serializers.BooleanField()
    closed = serializers.BooleanField()
    is_current = serializers.BooleanField()


class TeamSummaryOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    is_private = serializers.BooleanField()
    members = serializers.IntegerField()
    capacity_hours = serializers.FloatField()
    current_sprint = SprintInfoOutputSerializer(allow_null=True)


class MemberOutputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    capacity_hours = serializers.FloatField()
    is_lead = serializers.BooleanField()


class AreaOutputSerializer(serializers.Serializer):
    area_id = serializers.IntegerField()
    repository_id = serializers.IntegerField()
    repository_name = serializers.CharField()
    path_prefix = serializers.CharField()
    codeowners_handle = serializers.CharField()
    label = serializers.CharField()


class TeamDetailOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    is_private = serializers.BooleanField()
    first_day = serializers.DateField()
    length_weeks = serializers.IntegerField()
    sprints_ahead = serializers.IntegerField()
    budget_mode = serializers.CharField(help_text="fixed or share.")
    fixed_hours = serializers.FloatField()
    share_percent = serializers.FloatField()
    carry_over = serializers.BooleanField()
    carry_cap_hours = serializers.FloatField()
    overcommit_tolerance_percent = serializers.FloatField()
    underspend_share_percent = serializers.FloatField()
    capacity_hours = serializers.FloatField()
    members = MemberOutputSerializer(many=True)
    areas = AreaOutputSerializer(many=True)
    current_sprint = SprintInfoOutputSerializer(allow_null=True)
    is_member = serializers.BooleanField()
    can_change = serializers.BooleanField()
    can_schedule = serializers.BooleanField()


class ConversionOutputSerializer(serializers.Serializer):
    """A repository's effort unit and its hours per unit (1 for hours)."""

    repository_id = serializers.IntegerField()
    repository_name = serializers.CharField()
    effort_unit = serializers.CharField()
    hours_per_unit = serializers.FloatField()


class BudgetOutputSerializer(serializers.Serializer):
    mode = serializers.CharField()
    capacity_hours = serializers.FloatField()
    base_hours = serializers.FloatField()
    carry_in_hours = serializers.FloatField()
    total_hours = serializers.FloatField()


class ItemLineOutputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    repository_id = serializers.IntegerField()
    owner_name = serializers.CharField()
    effort = serializers.FloatField()
    effort_unit = serializers.CharField()
    hours_per_unit = serializers.FloatField()
    hours = serializers.FloatField()
    areas = serializers.ListField(child=serializers.CharField())
    planned = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)


class BreakdownRowOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    committed_hours = serializers.FloatField()
    spent_hours = serializers.FloatField()


class BurndownPointOutputSerializer(serializers.Serializer):
    day = serializers.DateField()
    at = serializers.DateTimeField()
    ideal_hours = serializers.FloatField()
    remaining_hours = serializers.FloatField(allow_null=True)


class AlertBannerOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    sprint_number = serializers.IntegerField()
    message = serializers.CharField()
    sent_at = serializers.DateTimeField()


class SprintFiguresOutputSerializer(serializers.Serializer):
    team_slug = serializers.CharField()
    team_name = serializers.CharField()
    sprint = SprintInfoOutputSerializer()
    budget = BudgetOutputSerializer()
    committed_hours = serializers.FloatField()
    done_hours = serializers.FloatField()
    unplanned_hours = serializers.FloatField()
    spent_hours = serializers.FloatField()
    left_hours = serializers.FloatField()
    over_committed = serializers.BooleanField()
    overcommit_limit_hours = serializers.FloatField()
    items = ItemLineOutputSerializer(many=True)
    unplanned_items = ItemLineOutputSerializer(many=True)
    by_member = BreakdownRowOutputSerializer(many=True)
    by_area = BreakdownRowOutputSerializer(many=True)
    burndown = BurndownPointOutputSerializer(many=True)
    alerts = AlertBannerOutputSerializer(many=True)
    conversions = ConversionOutputSerializer(many=True)


class SnapshotOutputSerializer(serializers.Serializer):
    recorded_at = serializers.DateTimeField()
    final = serializers.BooleanField()
    open_principal_hours = serializers.FloatField()
    files = serializers.IntegerField()
    mean_health = serializers.FloatField(allow_null=True)
    hotspot_score_sum = serializers.FloatField()


class HistoryRowOutputSerializer(serializers.Serializer):
    sprint = SprintInfoOutputSerializer()
    capacity_hours = serializers.FloatField()
    allocated_hours = serializers.FloatField()
    base_hours = serializers.FloatField()
    carry_in_hours = serializers.FloatField()
    carry_out_hours = serializers.FloatField()
    spent_hours = serializers.FloatField()
    unplanned_hours = serializers.FloatField()
    committed_hours = serializers.FloatField()
    capacity_share_spent = serializers.FloatField(allow_null=True)
    snapshot = SnapshotOutputSerializer(allow_null=True)


class TeamHistoryOutputSerializer(serializers.Serializer):
    team_slug = serializers.CharField()
    team_name = serializers.CharField()
    rows = HistoryRowOutputSerializer(many=True)
    conversions = ConversionOutputSerializer(many=True)


class ScheduleResultOutputSerializer(serializers.Serializer):
    sprint_number = serializers.IntegerField()
    item_id = serializers.IntegerField()
    status = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField(),
                                     help_text="item.outside_areas, sprint.over_committed")
    committed_hours = serializers.FloatField()
    budget_hours = serializers.FloatField()


class RefusedItemOutputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(source="0")
    code = serializers.CharField(source="1")
    message = serializers.CharField(source="2")


class BulkScheduleResultOutputSerializer(serializers.Serializer):
    scheduled = ScheduleResultOutputSerializer(many=True)
    refused = serializers.SerializerMethodField()

    def get_refused(self, obj) -> list[dict]:
        return [{"item_id": item_id, "code": code, "message": message} for item_id, code, message in obj.refused]


class GenerateResultOutputSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.IntegerField())
    current = serializers.IntegerField(allow_null=True)


# Input --------------------------------------------------------------------------------------------------------


class TeamCreateInputSerializer(serializers.Serializer):
    name = TextField(max_length=100)
    slug = TextField(max_length=60, required=False, allow_blank=True, default="")
    first_day = StrictDateField()
    is_private = StrictBooleanField(required=False, default=False)
    length_weeks = ServiceRangeIntegerField(required=False, default=2, low=MIN_LENGTH_WEEKS, high=MAX_LENGTH_WEEKS)
    sprints_ahead = ServiceRangeIntegerField(required=False, default=3, low=0, high=MAX_SPRINTS_AHEAD)
    lead_capacity_hours = ServiceRangeFloatField(required=False, default=0, low=0, high=MAX_CAPACITY_HOURS)


class TeamUpdateInputSerializer(serializers.Serializer):
    name = TextField(max_length=100, required=False)
    is_private = StrictBooleanField(required=False)
    overcommit_tolerance_percent = ServiceRangeFloatField(required=False, low=0, high=1000)
    underspend_share_percent = ServiceRangeFloatField(required=False, low=0, high=100)


class CadenceInputSerializer(serializers.Serializer):
    first_day = StrictDateField(required=False)
    length_weeks = StrictIntegerField(required=False, min_value=MIN_LENGTH_WEEKS, max_value=MAX_LENGTH_WEEKS)
    sprints_ahead = StrictIntegerField(required=False, min_value=0, max_value=MAX_SPRINTS_AHEAD)


class BudgetInputSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=BudgetMode.choices, required=False)
    fixed_hours = ServiceRangeFloatField(required=False, low=0, high=MAX_FIXED_HOURS)
    share_percent = ServiceRangeFloatField(required=False, low=0, high=100, help_text="0 to 100.")
    carry_over = StrictBooleanField(required=False)
    carry_cap_hours = ServiceRangeFloatField(required=False, low=0, high=MAX_FIXED_HOURS)


class MemberAddInputSerializer(serializers.Serializer):
    user_id = StrictIntegerField()
    capacity_hours = ServiceRangeFloatField(required=False, default=0, low=0, high=MAX_CAPACITY_HOURS,
                                            help_text="0 to 200 hours per sprint.")
    is_lead = StrictBooleanField(required=False, default=False)


class MemberUpdateInputSerializer(serializers.Serializer):
    capacity_hours = ServiceRangeFloatField(required=False, low=0, high=MAX_CAPACITY_HOURS)
    is_lead = StrictBooleanField(required=False)


class AreaAddInputSerializer(serializers.Serializer):
    repository_id = StrictIntegerField()
    path_prefix = TextField(max_length=1000, required=False, allow_blank=True, default="")
    codeowners_handle = TextField(max_length=200, required=False, allow_blank=True, default="")


class SprintCreateInputSerializer(serializers.Serializer):
    start = StrictDateField()
    end = StrictDateField()
    name = TextField(max_length=100, required=False, allow_blank=True, default="")


class SprintUpdateInputSerializer(serializers.Serializer):
    name = TextField(max_length=100, required=False, allow_blank=True)
    end = StrictDateField(required=False, help_text="A new last day (to shorten the sprint).")
    skipped = StrictBooleanField(required=False)


class ScheduleInputSerializer(serializers.Serializer):
    item_id = StrictIntegerField(min_value=1)


class BulkScheduleInputSerializer(serializers.Serializer):
    item_ids = serializers.ListField(child=StrictIntegerField(min_value=1), min_length=1, max_length=500)


class HistoryFilterInputSerializer(serializers.Serializer):
    last = QueryIntegerField(required=False, min_value=1, max_value=520, help_text="Only the last N sprints.")


class SprintListFilterInputSerializer(serializers.Serializer):
    state = QueryChoiceField(choices=["past", "current", "upcoming"], required=False,
                             help_text="Only ended, current or future sprints.")
