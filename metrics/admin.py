"""Admin for repositories, scans, history and analysis results."""
from django.contrib import admin

from metrics import models


@admin.register(models.Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "path", "mined_head", "current_scan", "created_at"]
    search_fields = ["name", "url", "path"]
    raw_id_fields = ["current_scan"]
    # The webhook secret is shown once, when it is created (docs/security.md): never in the admin.
    exclude = ["webhook_secret"]


@admin.register(models.WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "repository", "provider", "delivery_id", "outcome", "scan"]
    list_filter = ["provider", "outcome"]
    search_fields = ["delivery_id", "detail"]
    raw_id_fields = ["scan"]


@admin.register(models.Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["id", "repository", "revision", "commit_sha", "status", "stage", "is_backfill", "started_at",
                    "finished_at"]
    list_filter = ["status", "stage", "is_backfill", "repository"]
    search_fields = ["commit_sha", "revision", "error"]
    raw_id_fields = ["requested_by"]


@admin.register(models.Commit)
class CommitAdmin(admin.ModelAdmin):
    list_display = ["sha", "repository", "author_name", "authored_at", "subject", "files_changed", "is_excluded"]
    list_filter = ["repository", "is_merge", "is_excluded"]
    search_fields = ["sha", "author_name", "author_email", "subject"]


@admin.register(models.FileChange)
class FileChangeAdmin(admin.ModelAdmin):
    list_display = ["path", "old_path", "change_type", "added", "deleted", "is_binary", "authored_at"]
    list_filter = ["repository", "change_type", "is_binary"]
    search_fields = ["path", "old_path"]
    raw_id_fields = ["commit"]


class FunctionInline(admin.TabularInline):
    model = models.FunctionAnalysis
    extra = 0


@admin.register(models.BlobAnalysis)
class BlobAnalysisAdmin(admin.ModelAdmin):
    list_display = ["blob_sha", "status", "error_kind", "loc", "mi", "total_complexity", "violation_count",
                    "analyzed_at"]
    list_filter = ["status", "error_kind", "mi_rank"]
    search_fields = ["blob_sha", "error"]
    inlines = [FunctionInline]


@admin.register(models.FunctionAnalysis)
class FunctionAnalysisAdmin(admin.ModelAdmin):
    list_display = ["qualname", "kind", "complexity", "rank", "lineno", "endline"]
    list_filter = ["rank", "kind"]
    search_fields = ["qualname"]
    raw_id_fields = ["blob"]


@admin.register(models.Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["code", "line", "column", "message"]
    list_filter = ["code"]
    search_fields = ["code", "message"]
    raw_id_fields = ["blob"]


@admin.register(models.Marker)
class MarkerAdmin(admin.ModelAdmin):
    list_display = ["tag", "kind", "line", "text"]
    list_filter = ["kind", "tag"]
    search_fields = ["text"]
    raw_id_fields = ["blob"]


@admin.register(models.SnapshotFile)
class SnapshotFileAdmin(admin.ModelAdmin):
    list_display = ["path", "scan", "blob_sha"]
    list_filter = ["scan__repository"]
    search_fields = ["path", "blob_sha"]
    raw_id_fields = ["scan", "analysis"]


@admin.register(models.FileScore)
class FileScoreAdmin(admin.ModelAdmin):
    list_display = ["path", "scan", "window_days", "hotspot_rank", "hotspot_score", "health", "revisions", "churn"]
    list_filter = ["window_days", "is_knowledge_island", "scan__repository"]
    search_fields = ["path", "main_author"]
    raw_id_fields = ["scan", "analysis"]


@admin.register(models.FunctionScore)
class FunctionScoreAdmin(admin.ModelAdmin):
    list_display = ["qualname", "path", "complexity", "changes", "hotspot_score", "hotspot_rank"]
    list_filter = ["window_days", "rank", "scan__repository"]
    search_fields = ["path", "qualname"]
    raw_id_fields = ["scan"]


@admin.register(models.Coupling)
class CouplingAdmin(admin.ModelAdmin):
    list_display = ["path_a", "path_b", "shared_revisions", "degree", "window_days"]
    list_filter = ["window_days", "scan__repository"]
    search_fields = ["path_a", "path_b"]
    raw_id_fields = ["scan"]


@admin.register(models.FileAuthor)
class FileAuthorAdmin(admin.ModelAdmin):
    list_display = ["path", "author", "commits", "added_lines", "share"]
    list_filter = ["scan__repository"]
    search_fields = ["path", "author", "email"]
    raw_id_fields = ["scan"]


@admin.register(models.CodeOwner)
class CodeOwnerAdmin(admin.ModelAdmin):
    list_display = ["path", "owners", "pattern", "line"]
    list_filter = ["scan__repository"]
    search_fields = ["path", "pattern"]
    raw_id_fields = ["scan"]
