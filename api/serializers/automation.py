"""Serializers of a repository's rescan schedule and its push webhook set-up."""
from rest_framework import serializers

from api.serializers.fields import (
    RegexTextField,
    StrictIntegerField,
)
from metrics.choices import RescanKind, WebhookProvider

TIME_OF_DAY = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"


class RescanScheduleInputSerializer(serializers.Serializer):
    """What PUT takes: off and hourly take neither time nor weekday; nightly a time; weekly a time and a weekday."""

    kind = serializers.ChoiceField(choices=RescanKind.choices, help_text="hourly: at the top of every UTC hour.")
    time = RegexTextField(TIME_OF_DAY, required=False, allow_null=True, max_length=5,
                          help_text="HH:MM, a time of day in the server's time zone (time_zone in the "
                          "answer); nightly and weekly only. A date or seconds are refused.")
    weekday = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=6,
                                 help_text="0 = Monday … 6 = Sunday; weekly only.")


class RescanScheduleOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RescanKind.choices)
    time = serializers.CharField(allow_null=True, help_text="HH:MM in time_zone, or null.")
    weekday = serializers.IntegerField(allow_null=True, help_text="0 = Monday … 6 = Sunday, or null.")
    description = serializers.CharField(help_text='In words, e.g. "weekly on Monday at 06:00".')
    time_zone = serializers.CharField(help_text="The server's time zone (DJANGO_TIME_ZONE), which time is in.")
    next_due_at = serializers.DateTimeField(allow_null=True, help_text="When the next scheduled scan is queued "
                                            "(within DEBTBOARD_RESCAN_INTERVAL); null when off.")
    last_fired_at = serializers.DateTimeField(allow_null=True)


class WebhookDeliveryOutputSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=WebhookProvider.choices)
    delivery_id = serializers.CharField()
    outcome = serializers.CharField(help_text="queued, already_running or ignored.")
    detail = serializers.CharField()
    scan = serializers.IntegerField(source="scan_id", allow_null=True)
    received_at = serializers.DateTimeField()


class WebhookOutputSerializer(serializers.Serializer):
    github_url = serializers.URLField(help_text="Payload URL for GitHub (content type application/json).")
    gitlab_url = serializers.URLField(help_text="URL for GitLab (push events).")
    secret_set = serializers.BooleanField(help_text="Without a secret every delivery is refused (401).")
    secret_rotated_at = serializers.DateTimeField(allow_null=True)
    recent_deliveries = WebhookDeliveryOutputSerializer(many=True)


class WebhookSecretOutputSerializer(serializers.Serializer):
    github_url = serializers.URLField()
    gitlab_url = serializers.URLField()
    secret = serializers.CharField(help_text="Shown this once: paste it into GitHub's or GitLab's webhook form.")
    secret_rotated_at = serializers.DateTimeField()
