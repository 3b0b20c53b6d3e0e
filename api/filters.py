"""Query-string filters of the list endpoints (django-filter), strict: a value the schema does not allow is a 400."""
import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from metrics.choices import ScanStatus

# Scores and health are finite and far below this; a bound keeps a typo such as 1e50 a 400, never a float overflow.
SCORE_BOUND = 1e9
MAX_COMPLEXITY_FILTER = 1_000_000


class StrictBooleanField(forms.Field):
    """true or false, nothing else (django-filter's default widget turns every unknown value into "no filter")."""

    default_error_messages = {"invalid": "Use true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value == "true"


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that refuses a typed filter given blank (the schema's enums, numbers and booleans have no blank)."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.data:
            typed = name in self.filters and not isinstance(self.filters[name], django_filters.CharFilter)
            if typed and self.data.get(name) == "":
                self.form.add_error(name, "Give a value or leave the parameter out.")
                valid = False
        return valid


@extend_schema_field({"type": "number", "minimum": -SCORE_BOUND, "maximum": SCORE_BOUND})
class ScoreFilter(django_filters.NumberFilter):
    """A finite number within +-SCORE_BOUND (the schema says so)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=-SCORE_BOUND, max_value=SCORE_BOUND, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_COMPLEXITY_FILTER})
class ComplexityFilter(django_filters.NumberFilter):
    """A whole number from 0 to MAX_COMPLEXITY_FILTER."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_COMPLEXITY_FILTER, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[^\x00]*$"})  # api.schema.TEXT_PATTERN (import loop)
class TextFilter(django_filters.CharFilter):
    """A text filter; the schema says NUL is refused (debtboard.middleware answers 400 for it)."""


class FileScoreFilter(StrictFilterSet):
    path_prefix = TextFilter(field_name="path", lookup_expr="startswith")
    min_score = ScoreFilter(field_name="hotspot_score", lookup_expr="gte")
    max_health = ScoreFilter(field_name="health", lookup_expr="lte")
    knowledge_island = StrictBooleanFilter(field_name="is_knowledge_island")


class FunctionScoreFilter(StrictFilterSet):
    path = TextFilter(field_name="path")
    path_prefix = TextFilter(field_name="path", lookup_expr="startswith")
    min_complexity = ComplexityFilter(field_name="complexity", lookup_expr="gte")


class ScanFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=ScanStatus.choices)
    is_backfill = StrictBooleanFilter()


class StrictOrderingFilter(OrderingFilter):
    """OrderingFilter that answers 400 for a field it does not know (DRF silently ignores it) and says its enum."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is None:
            return self.get_default_ordering(view)
        allowed = set(self.allowed_values(queryset, view))
        fields = [param.strip() for param in params.split(",")]
        if not params or any(field not in allowed for field in fields):
            raise ValidationError({self.ordering_param: f"Order by one of {', '.join(sorted(allowed))} "
                                                        "(comma-separated; '-' for descending)."})
        return fields

    def allowed_values(self, queryset, view) -> list[str]:
        """The view's `ordering_fields`, ascending and descending; a view without them takes no ordering."""
        names = getattr(view, "ordering_fields", None) or []
        return [prefix + name for name in names for prefix in ("", "-")]

    def get_schema_operation_parameters(self, view) -> list[dict]:
        values = self.allowed_values(None, view)
        if not values:
            return []
        alternatives = "|".join(value.replace("-", r"\-") for value in values)
        return [{
            "name": self.ordering_param, "required": False, "in": "query",
            "description": "Order by these fields, comma-separated; '-' for descending.",
            "schema": {"type": "string", "pattern": rf"^({alternatives})(,({alternatives}))*$"},
        }]
