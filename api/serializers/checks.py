"""Serializers of a repository's change-check policy and its Boy Scout record."""
from rest_framework import serializers

from api.serializers.fields import StrictBooleanField, StrictFloatField, StrictIntegerField

_WHOLE = {"min_value": 0, "max_value": 10**6}


class CheckPolicySerializer(serializers.Serializer):
    """metrics.data.CheckPolicy: the shape GET answers and PUT takes (keys left out keep their defaults)."""

    max_function_complexity = StrictIntegerField(allow_null=True, required=False, **_WHOLE,
                                                 help_text="null: the repository's max_complexity.")
    complexity_tolerance = StrictIntegerField(allow_null=True, required=False, **_WHOLE,
                                              help_text="How much a file's total complexity may rise; "
                                                        "null: not judged.")
    violations_tolerance = StrictIntegerField(required=False, **_WHOLE)
    markers_tolerance = StrictIntegerField(required=False, **_WHOLE)
    mi_tolerance = StrictFloatField(required=False, min_value=0, max_value=1000)
    new_markers_fail = StrictBooleanField(required=False)
    hotspot_must_improve = StrictBooleanField(required=False,
                                              help_text="Touching a top-N hotspot without improving it fails.")
    hotspot_top_n = StrictIntegerField(required=False, **_WHOLE)
    new_file_max_violations = StrictIntegerField(required=False, **_WHOLE)
    new_file_max_markers = StrictIntegerField(required=False, **_WHOLE)
    new_file_max_function_complexity = StrictIntegerField(allow_null=True, required=False, **_WHOLE)


class BoyScoutTallyOutputSerializer(serializers.Serializer):
    checks = serializers.IntegerField()
    cleaner = serializers.IntegerField()
    same = serializers.IntegerField()
    worse = serializers.IntegerField()
    cleaner_share = serializers.FloatField(allow_null=True)
    same_share = serializers.FloatField(allow_null=True)
    worse_share = serializers.FloatField(allow_null=True)
    complexity_removed = serializers.IntegerField(help_text="Net: complexity removed minus complexity added.")
    violations_fixed = serializers.IntegerField()
    markers_removed = serializers.IntegerField()


class BoyScoutAuthorOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    username = serializers.CharField(help_text="The user with this e-mail (after .mailmap), or blank.")
    tally = BoyScoutTallyOutputSerializer()


class BoyScoutWeekOutputSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The week's Monday.")
    tally = BoyScoutTallyOutputSerializer()


class BoyScoutRecordOutputSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    repositories = serializers.ListField(child=serializers.CharField())
    total = BoyScoutTallyOutputSerializer()
    authors = BoyScoutAuthorOutputSerializer(many=True, help_text="The leaderboard: most changes left cleaner first.")
    weeks = BoyScoutWeekOutputSerializer(many=True)
