"""Serializers for repositories, scans, hotspots, coupling and CI change checks."""
from rest_framework import serializers


class ScanOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    repository = serializers.CharField(source="repository.name")
    revision = serializers.CharField()
    commit_sha = serializers.CharField()
    committed_at = serializers.DateTimeField(allow_null=True)
    is_backfill = serializers.BooleanField()
    status = serializers.CharField()
    stage = serializers.CharField()
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    counts = serializers.JSONField()
    summary = serializers.JSONField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class RepositoryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()
    path = serializers.CharField()
    default_revision = serializers.CharField()
    effort_unit = serializers.CharField()
    config = serializers.JSONField()
    current_scan = ScanOutputSerializer(allow_null=True)
    history_truncated_at = serializers.DateTimeField(
        allow_null=True, help_text="Set for a shallow clone: where mined history (churn, ownership) starts.")
    created_at = serializers.DateTimeField()


class RepositoryCreateInputSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=1000, help_text="A local path, or an https, ssh or git URL.")
    name = serializers.SlugField(max_length=100, required=False)
    config = serializers.JSONField(required=False)


class ScanCreateInputSerializer(serializers.Serializer):
    revision = serializers.CharField(max_length=255, required=False, allow_blank=True)


class FileScoreOutputSerializer(serializers.Serializer):
    path = serializers.CharField()
    window_days = serializers.IntegerField()
    hotspot_rank = serializers.IntegerField()
    hotspot_score = serializers.FloatField()
    health = serializers.FloatField()
    revisions = serializers.IntegerField()
    churn = serializers.IntegerField()
    change_frequency = serializers.FloatField()
    authors = serializers.IntegerField()
    main_author = serializers.CharField()
    ownership_share = serializers.FloatField()
    loc = serializers.IntegerField()
    complexity = serializers.IntegerField()
    max_function_complexity = serializers.IntegerField()
    violations = serializers.IntegerField()
    lint_density = serializers.FloatField()
    markers = serializers.IntegerField()
    coupling_sum = serializers.FloatField()
    age_days = serializers.IntegerField(allow_null=True)
    is_knowledge_island = serializers.BooleanField()
    breakdown = serializers.JSONField()


class FunctionScoreOutputSerializer(serializers.Serializer):
    path = serializers.CharField()
    qualname = serializers.CharField()
    kind = serializers.CharField()
    lineno = serializers.IntegerField()
    endline = serializers.IntegerField()
    complexity = serializers.IntegerField()
    rank = serializers.CharField()
    changes = serializers.IntegerField()
    hotspot_score = serializers.FloatField()
    hotspot_rank = serializers.IntegerField()


class CouplingOutputSerializer(serializers.Serializer):
    path_a = serializers.CharField()
    path_b = serializers.CharField()
    shared_revisions = serializers.IntegerField()
    revisions_a = serializers.IntegerField()
    revisions_b = serializers.IntegerField()
    degree = serializers.FloatField()


class ChangedFunctionInputSerializer(serializers.Serializer):
    qualname = serializers.CharField(max_length=1000)
    complexity = serializers.IntegerField(min_value=0, max_value=100000)


class ChangedFileInputSerializer(serializers.Serializer):
    """One file's figures after the change, in the shape `debtboard analyze --format json` prints."""

    path = serializers.CharField(max_length=1000)
    old_path = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="",
                                     help_text="The file's name before a rename.")
    deleted = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(choices=[("ok", "ok"), ("error", "error")], required=False, default="ok")
    error = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    loc = serializers.IntegerField(min_value=0, required=False, default=0)
    total_complexity = serializers.IntegerField(min_value=0, required=False, default=0)
    violation_count = serializers.IntegerField(min_value=0, required=False, default=0)
    marker_count = serializers.IntegerField(min_value=0, required=False, default=0)
    mi = serializers.FloatField(min_value=-1000, max_value=1000, required=False, allow_null=True, default=None)
    functions = ChangedFunctionInputSerializer(many=True, required=False, default=list)


class ChangeCheckCreateInputSerializer(serializers.Serializer):
    revision = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    base_revision = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    files = ChangedFileInputSerializer(many=True, allow_empty=False, max_length=5000)


class FindingOutputSerializer(serializers.Serializer):
    path = serializers.CharField()
    rule = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)


class ChangeCheckOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    repository = serializers.CharField(source="repository.name")
    status = serializers.CharField(help_text="pass, cleaner (passed and improved something) or fail.")
    passed = serializers.SerializerMethodField()
    revision = serializers.CharField()
    base_revision = serializers.CharField()
    reference = serializers.CharField()
    baseline_scan = serializers.IntegerField(source="baseline_scan_id", allow_null=True)
    files = serializers.IntegerField()
    findings = FindingOutputSerializer(many=True)
    created_at = serializers.DateTimeField()

    def get_passed(self, obj) -> bool:
        return obj.status != "fail"
