"""The one error body of every API error response: {"code", "message", "extra"}."""
from rest_framework import serializers


class ErrorOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable and machine-readable, e.g. debt_item.not_found.")
    message = serializers.CharField(help_text="One sentence for a person.")
    extra = serializers.DictField(help_text="Details: field errors, limits, the conflicting object.")
