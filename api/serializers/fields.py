"""Strict input fields: JSON numbers, decimal text, dates and query values accepted exactly as the schema says."""
import math
import re

from drf_spectacular.utils import extend_schema_field
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


class StrictTextMixin:
    """Text posted as a JSON string (DRF's CharField also takes 12 and 1.5 and stores them as "12" and "1.5")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StrictTextMixin, serializers.CharField):
    """A CharField for request bodies that refuses numbers where the schema says string."""


class SlugTextField(StrictTextMixin, serializers.SlugField):
    """A SlugField for request bodies that refuses numbers where the schema says string."""


class RegexTextField(StrictTextMixin, serializers.RegexField):
    """A RegexField for request bodies that refuses numbers where the schema says string."""


class EmailTextField(StrictTextMixin, serializers.EmailField):
    """An EmailField for request bodies that refuses numbers where the schema says string."""


class StrictBooleanField(serializers.BooleanField):
    """true or false posted as a JSON boolean (DRF's BooleanField also takes "yes", 1 and "on")."""

    default_error_messages = {"invalid": "true or false is required (a JSON boolean)."}

    def to_internal_value(self, data):
        if type(data) is not bool:
            self.fail("invalid")
        return data


class QueryValueMixin:
    """A query-string field that sees a given blank value (DRF treats `?x=` as "not given" for optional fields)."""

    def get_value(self, dictionary):
        if self.field_name in dictionary:
            if isinstance(self, serializers.MultipleChoiceField):
                return dictionary.getlist(self.field_name)
            return dictionary[self.field_name]
        return serializers.empty


class QueryBooleanField(QueryValueMixin, serializers.BooleanField):
    """true or false, nothing else (DRF's BooleanField also takes 1, yes, on, t and blank)."""

    default_error_messages = {"invalid": "Use true or false."}

    def to_internal_value(self, data):
        if data not in ("true", "false"):
            self.fail("invalid")
        return data == "true"


class QueryCharField(QueryValueMixin, serializers.CharField):
    """Text in the query string, as given (blank refused, whitespace kept)."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)


class QueryIntegerField(QueryValueMixin, serializers.IntegerField):
    """A whole number in the query string; a blank value is refused (not read as "not given")."""


class QueryChoiceField(QueryValueMixin, serializers.ChoiceField):
    """One of the choices; a blank value is refused."""


class QueryChoicesField(QueryValueMixin, serializers.MultipleChoiceField):
    """One or more of the choices, the parameter repeated; a blank value is refused."""

    def __init__(self, **kwargs):
        super().__init__(allow_empty=False, **kwargs)


# 0.01 to 9999999.99 with at most two decimals: a whole part from 1, or a fraction of at least 0.01.
DECIMAL_PATTERN = r"^(0*[1-9][0-9]{0,6}(\.[0-9]{1,2})?|0*\.(0[1-9]|[1-9][0-9]?))$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN,
                      "example": "2.5"})
class EffortField(serializers.DecimalField):
    """A positive amount of effort as decimal text, 0.01 to 9999999.99 (the pattern the schema gives)."""

    default_error_messages = {"invalid": "A positive decimal number as text, such as \"2.5\" (at most 2 decimals)."}

    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(DECIMAL_PATTERN, data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "date"})
class StrictDateField(serializers.DateField):
    """A calendar date as YYYY-MM-DD (Python's fromisoformat also takes 20240131 and week dates)."""

    default_error_messages = {"invalid": "A date as YYYY-MM-DD."}

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.fail("invalid")
        return super().to_internal_value(value)


class ServiceRangeMixin:
    """A number whose range the service checks, answering with its own error code; the schema states the range.

    DRF's min_value/max_value would refuse out-of-range values first with the generic `invalid` code; here the
    bounds are only set for drf-spectacular (which reads `min_value` and `max_value`), not as validators.
    """

    def __init__(self, *, low: float, high: float, **kwargs):
        super().__init__(**kwargs)
        self.min_value, self.max_value = low, high


class ServiceRangeFloatField(ServiceRangeMixin, StrictFloatField):
    """A float in a range the service enforces (see ServiceRangeMixin)."""


class ServiceRangeIntegerField(ServiceRangeMixin, StrictIntegerField):
    """A whole number in a range the service enforces (see ServiceRangeMixin)."""
