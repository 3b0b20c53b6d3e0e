"""Django admin for the debt register's models."""
from django.contrib import admin

from debt.models import DebtChange, DebtComment, DebtItem, DebtLocation, DebtTransition, Label


class DebtLocationInline(admin.TabularInline):
    model = DebtLocation
    extra = 0
    fields = ("path", "original_path", "qualname", "line_start", "line_end", "revision", "renamed_in")
    readonly_fields = ("original_path", "renamed_in")


class DebtTransitionInline(admin.TabularInline):
    model = DebtTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "at")


@admin.register(DebtItem)
class DebtItemAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "repository", "kind", "status", "source", "impact", "effort", "interest",
                    "priority", "owner", "looks_resolved", "updated_at")
    list_filter = ("repository", "status", "kind", "source", "signal", "dismissed", "looks_resolved", "labels")
    search_fields = ("title", "description", "external_id", "fingerprint", "locations__path", "marker_text")
    list_select_related = ("repository", "owner")
    autocomplete_fields = ("owner", "reporter")
    filter_horizontal = ("labels",)
    readonly_fields = ("interest", "priority", "interest_evidence", "interest_scan", "priority_computed_at",
                       "resolution_evidence", "resolution_flagged_at", "created_at", "updated_at",
                       "status_changed_at", "fingerprint")
    inlines = [DebtLocationInline, DebtTransitionInline]
    date_hierarchy = "created_at"


@admin.register(DebtLocation)
class DebtLocationAdmin(admin.ModelAdmin):
    list_display = ("path", "original_path", "qualname", "line_start", "line_end", "item")
    list_filter = ("item__repository",)
    search_fields = ("path", "original_path", "qualname")
    list_select_related = ("item",)
    raw_id_fields = ("item",)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(DebtTransition)
class DebtTransitionAdmin(admin.ModelAdmin):
    list_display = ("item", "from_status", "to_status", "actor", "at")
    list_filter = ("from_status", "to_status", "item__repository")
    search_fields = ("item__title", "note")
    list_select_related = ("item", "actor")
    raw_id_fields = ("item",)


@admin.register(DebtChange)
class DebtChangeAdmin(admin.ModelAdmin):
    list_display = ("item", "field", "old_value", "new_value", "actor", "at")
    list_filter = ("field", "item__repository")
    search_fields = ("item__title", "old_value", "new_value")
    list_select_related = ("item", "actor")
    raw_id_fields = ("item",)


@admin.register(DebtComment)
class DebtCommentAdmin(admin.ModelAdmin):
    list_display = ("item", "author", "created_at")
    list_filter = ("item__repository",)
    search_fields = ("body", "item__title")
    list_select_related = ("item", "author")
    raw_id_fields = ("item",)
