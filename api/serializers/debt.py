"""Serializers for debt items, their links, comments, transitions, proposals and imports."""
import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import (
    EffortField,
    QueryBooleanField,
    QueryCharField,
    QueryChoiceField,
    QueryChoicesField,
    SlugTextField,
    StrictDateField,
    StrictIntegerField,
    TextField,
)
from debt.errors import DebtItemInvalid
from debt.selectors.items import ORDERINGS, debt_item_choices
from debt.services.validation import MAX_COMMENT, MAX_LABELS

CHOICES = debt_item_choices()
STATUS_CHOICES = CHOICES["status"]  # one OpenAPI enum for every status field (ENUM_NAME_OVERRIDES)
KIND_CHOICES = CHOICES["kind"]  # KindEnum, as before a rescan schedule's `kind` (RescanKindEnum) existed
MAX_LINE = 10_000_000  # debt.services.validation.clean_line_range
MAX_NOTE = 1000  # debt.services.lifecycle: a transition's note
MAX_ID = 2**31 - 1  # ids are 32-bit wide on every supported database
# What debt.services.validation accepts, as patterns the schema can state: a label as stored (lowercased by the
# service), and the plain http(s) URLs that Django's URLValidator accepts (a host name with a letter TLD).
LABEL_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$"
# The URL pattern takes no empty string: drf-spectacular states blank as a oneOf branch of its own.
URL_PATTERN = r"^https?://([A-Za-z0-9]{1,63}\.){1,10}[A-Za-z]{2,63}(/[A-Za-z0-9._~/-]{0,900})?$"


@extend_schema_field({"type": "string", "maxLength": 1000, "pattern": URL_PATTERN})
class ExternalUrlField(serializers.CharField):
    """An http(s) URL or blank, as given (no trimming); checked against URL_PATTERN by the serializer."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)


class LocationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    path = serializers.CharField()
    original_path = serializers.CharField()
    qualname = serializers.CharField()
    line_start = serializers.IntegerField(allow_null=True)
    line_end = serializers.IntegerField(allow_null=True)
    revision = serializers.CharField()


class LocationInputSerializer(serializers.Serializer):
    path = TextField(max_length=1000)
    qualname = TextField(max_length=1000, required=False, allow_blank=True, default="")
    line_start = StrictIntegerField(min_value=1, max_value=MAX_LINE, required=False, allow_null=True, default=None)
    line_end = StrictIntegerField(min_value=1, max_value=MAX_LINE, required=False, allow_null=True, default=None,
                                  help_text="Needs line_start, and is not before it.")
    revision = TextField(max_length=64, required=False, allow_blank=True, default="")


class DebtItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    repository = serializers.CharField(source="repository.name")
    title = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    dismissed = serializers.BooleanField()
    impact = serializers.IntegerField()
    effort = serializers.DecimalField(max_digits=9, decimal_places=2)
    effort_unit = serializers.CharField(source="repository.effort_unit")
    interest = serializers.FloatField()
    priority = serializers.FloatField()
    interest_evidence = serializers.JSONField()
    due_date = serializers.DateField(allow_null=True)
    reporter = serializers.CharField(source="reporter.username", allow_null=True, default=None)
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    labels = serializers.SerializerMethodField()
    external_url = serializers.CharField()
    external_id = serializers.CharField()
    source = serializers.CharField()
    looks_resolved = serializers.BooleanField()
    resolution_evidence = serializers.JSONField()
    locations = LocationOutputSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_labels(self, obj) -> list[str]:
        return [label.name for label in obj.labels.all()]


class DebtItemFilterInputSerializer(serializers.Serializer):
    """Query-string filters of the item list (validated, then passed to the selector)."""

    repository = QueryCharField(required=False, max_length=100, help_text="A repository name.")
    status = QueryChoicesField(choices=CHOICES["status"], required=False, help_text="Repeat for several.")
    kind = QueryChoicesField(choices=CHOICES["kind"], required=False, help_text="Repeat for several.")
    source = QueryChoicesField(choices=CHOICES["source"], required=False, help_text="Repeat for several.")
    label = QueryCharField(required=False, max_length=200)
    owner = QueryCharField(required=False, max_length=150, help_text="A username.")
    path = QueryCharField(required=False, max_length=1000,
                          help_text="Items linked to this file, or to a folder ending in '/'.")
    search = QueryCharField(required=False, max_length=200, help_text="Words in the title or description.")
    looks_resolved = QueryBooleanField(required=False, help_text="true: items flagged as looking resolved.")
    ordering = QueryChoiceField(choices=sorted(ORDERINGS), required=False, default="-priority")


class _DebtItemFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=CHOICES["kind"], required=False)
    impact = StrictIntegerField(min_value=1, max_value=5, required=False)
    effort = EffortField(required=False)
    due_date = StrictDateField(required=False, allow_null=True)
    owner = serializers.CharField(required=False, allow_null=True, help_text="A username.")
    labels = serializers.ListField(child=serializers.RegexField(LABEL_PATTERN, max_length=50), required=False,
                                   max_length=MAX_LABELS)
    external_url = ExternalUrlField(max_length=1000, required=False, allow_blank=True,
                                    help_text="An http or https URL (an issue in a tracker), or blank.")
    external_id = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate_external_url(self, value: str) -> str:
        # The service's own error (debt_item.invalid), for a URL outside the pattern the schema states.
        if value and not re.fullmatch(URL_PATTERN, value):
            raise DebtItemInvalid(f"external_url must be an http or https URL; got {value!r}.",
                                  extra={"field": "external_url"})
        return value


class DebtItemCreateInputSerializer(_DebtItemFieldsSerializer):
    repository = SlugTextField()
    source = serializers.ChoiceField(choices=[("manual", "manual"), ("ci", "ci")], required=False)
    locations = LocationInputSerializer(many=True, required=False)


class DebtItemUpdateInputSerializer(_DebtItemFieldsSerializer):
    title = TextField(max_length=200, required=False)


class TransitionInputSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=CHOICES["status"])
    expected_status = serializers.ChoiceField(choices=CHOICES["status"], required=False,
                                              help_text="Refuse with 409 if someone changed the status meanwhile.")
    note = TextField(required=False, allow_blank=True, default="", max_length=MAX_NOTE)


class CommentInputSerializer(serializers.Serializer):
    body = TextField(max_length=MAX_COMMENT)


class CommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.username", allow_null=True, default=None)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class TimelineEntryOutputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    field = serializers.CharField()
    old_value = serializers.CharField()
    new_value = serializers.CharField()
    note = serializers.CharField()


class BulkProposalInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("accept", "accept"), ("dismiss", "dismiss")])
    item_ids = serializers.ListField(child=StrictIntegerField(min_value=1, max_value=MAX_ID), min_length=1,
                                     max_length=1000)
    reason = TextField(required=False, allow_blank=True, default="", max_length=2000)


class BulkResultOutputSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.ListField(child=serializers.IntegerField())


class ImportInputSerializer(serializers.Serializer):
    repository = SlugTextField()
    format = serializers.ChoiceField(choices=[("csv", "csv"), ("json", "json")])
    file = serializers.FileField(max_length=255, allow_empty_file=False)


class ImportRowErrorOutputSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportReportOutputSerializer(serializers.Serializer):
    format = serializers.CharField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = ImportRowErrorOutputSerializer(many=True)
    ignored_columns = serializers.ListField(child=serializers.CharField())
