"""Strict JSON number fields: `true` is not a number, "12" is not an integer, NaN and Infinity are refused."""
import math

from rest_framework import serializers


class StrictIntegerField(serializers.IntegerField):
    """An integer posted as a JSON integer (DRF's IntegerField also takes true, "12" and 12.0)."""

    default_error_messages = {"invalid": "A whole number is required (not text, a boolean or a fraction)."}

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    """A finite number posted as a JSON number (DRF's FloatField also takes true, "1.5" and NaN)."""

    default_error_messages = {"invalid": "A finite number is required (not text or a boolean)."}

    def to_internal_value(self, data):
        if type(data) not in (int, float) or not math.isfinite(data):
            self.fail("invalid")
        return super().to_internal_value(data)
