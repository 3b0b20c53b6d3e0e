"""Query-string filters of the hotspot endpoints (django-filter)."""
import django_filters


class FileScoreFilter(django_filters.FilterSet):
    path_prefix = django_filters.CharFilter(field_name="path", lookup_expr="startswith")
    min_score = django_filters.NumberFilter(field_name="hotspot_score", lookup_expr="gte")
    max_health = django_filters.NumberFilter(field_name="health", lookup_expr="lte")
    knowledge_island = django_filters.BooleanFilter(field_name="is_knowledge_island")


class FunctionScoreFilter(django_filters.FilterSet):
    path = django_filters.CharFilter(field_name="path")
    path_prefix = django_filters.CharFilter(field_name="path", lookup_expr="startswith")
    min_complexity = django_filters.NumberFilter(field_name="complexity", lookup_expr="gte")
