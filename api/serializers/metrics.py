"""Serializers for repositories, scans, hotspots, coupling and CI change checks."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import (
    EmailTextField,
    RegexTextField,
    SlugTextField,
    StrictBooleanField,
    StrictFloatField,
    StrictIntegerField,
    TextField,
)
from metrics.choices import figure_help
from metrics.services import gate  # the limits a change check accepts, as the gate states them
from metrics.services.scans.progress import ScanProgressReport, scan_progress_report


class ScanProgressOutputSerializer(serializers.Serializer):
    stage = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    elapsed_seconds = serializers.FloatField(allow_null=True, help_text="Since the scan started (to its end).")
    estimate_seconds = serializers.FloatField(
        allow_null=True, help_text="Likely still needed, from the previous scan's stage times; null when ended.")


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
    attempt = serializers.IntegerField(help_text="1, or 2 and more for the retries of a scan whose worker died.")
    retry_of = serializers.IntegerField(source="retry_of_id", allow_null=True)
    after_status = serializers.CharField(
        help_text="The post-scan step (debt register, sprint snapshots), run after the results are visible: "
                  "\"\" (none: backfills, scans without results), queued, running, succeeded, failed or skipped.")
    after_error = serializers.CharField(help_text="Why the post-scan step failed (the scan's results stand).")
    after_finished_at = serializers.DateTimeField(allow_null=True)
    progress = serializers.SerializerMethodField()
    estimate_seconds = serializers.SerializerMethodField()

    @extend_schema_field(ScanProgressOutputSerializer)
    def get_progress(self, scan) -> dict[str, object]:
        return self._report(scan).as_json()

    def get_estimate_seconds(self, scan) -> float | None:
        return self._report(scan).estimate_seconds

    def _report(self, scan) -> ScanProgressReport:
        # One report per scan and serializer: `progress` and `estimate_seconds` share its query.
        cache = self.context.setdefault("_progress_reports", {})
        if scan.pk not in cache:
            cache[scan.pk] = scan_progress_report(scan=scan)
        return cache[scan.pk]


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
    source = TextField(max_length=1000, help_text="A local path, or an https, ssh or git URL.")
    name = SlugTextField(max_length=100, required=False)
    config = serializers.JSONField(required=False)


class ScanCreateInputSerializer(serializers.Serializer):
    revision = TextField(max_length=255, required=False, allow_blank=True)


class FileScoreOutputSerializer(serializers.Serializer):
    """A file's figures over one window; each field's description is its definition (metrics.choices.FIGURES)."""

    path = serializers.CharField()
    window_days = serializers.IntegerField(
        help_text="The window of the window-dependent figures: 90, 365 or 0 (all history).")
    hotspot_rank = serializers.IntegerField(help_text=figure_help("hotspot_rank"))
    hotspot_score = serializers.FloatField(help_text=figure_help("hotspot_score"))
    health = serializers.FloatField(help_text=figure_help("health"))
    revisions = serializers.IntegerField(help_text=figure_help("revisions"))
    churn = serializers.IntegerField(help_text=figure_help("churn"))
    change_frequency = serializers.FloatField(help_text=figure_help("change_frequency"))
    authors = serializers.IntegerField(help_text=figure_help("authors"))
    main_author = serializers.CharField(help_text=figure_help("main_author"))
    ownership_share = serializers.FloatField(help_text=figure_help("ownership_share"))
    loc = serializers.IntegerField(help_text=figure_help("loc"))
    sloc = serializers.IntegerField(help_text=figure_help("sloc"))
    complexity = serializers.IntegerField(help_text=figure_help("complexity"))
    max_function_complexity = serializers.IntegerField(help_text=figure_help("max_function_complexity"))
    violations = serializers.IntegerField(help_text=figure_help("violations"))
    lint_density = serializers.FloatField(help_text=figure_help("lint_density"))
    markers = serializers.IntegerField(help_text=figure_help("markers"))
    coupling_sum = serializers.FloatField(help_text=figure_help("coupling_sum"))
    age_days = serializers.IntegerField(allow_null=True, help_text=figure_help("age_days"))
    is_knowledge_island = serializers.BooleanField(help_text=figure_help("is_knowledge_island"))
    island_label = serializers.CharField(
        help_text='The knowledge island\'s period: "single author ever" or "single author in the last N days".')
    file_class = serializers.CharField(help_text="production, test, generated, vendored or migration.")
    rank_status = serializers.CharField(
        help_text="ranked (meets the hotspot minimums), simple (changing but simple), rare (too few revisions) "
                  "or unchanged (no change in the window).")
    breakdown = serializers.JSONField()


class FunctionScoreOutputSerializer(serializers.Serializer):
    path = serializers.CharField()
    qualname = serializers.CharField()
    kind = serializers.CharField()
    lineno = serializers.IntegerField()
    endline = serializers.IntegerField()
    complexity = serializers.IntegerField()
    rank = serializers.CharField()
    window_days = serializers.IntegerField(
        help_text="The window of `changes` and the score: the repository's function_history_days (0: all history).")
    changes = serializers.IntegerField(help_text=figure_help("changes"))
    hotspot_score = serializers.FloatField(help_text=figure_help("function_score"))
    hotspot_rank = serializers.IntegerField()
    sloc = serializers.IntegerField(help_text="Source lines of code of the function (radon's SLOC).")
    h_volume = serializers.FloatField(help_text="Halstead volume.")
    h_difficulty = serializers.FloatField(help_text="Halstead difficulty.")
    h_effort = serializers.FloatField(help_text="Halstead effort.")
    h_bugs = serializers.FloatField(help_text="Halstead's estimate of delivered bugs.")
    mi = serializers.FloatField(allow_null=True, help_text="Maintainability index of the function, 0-100.")


class CouplingOutputSerializer(serializers.Serializer):
    path_a = serializers.CharField()
    path_b = serializers.CharField()
    shared_revisions = serializers.IntegerField()
    revisions_a = serializers.IntegerField()
    revisions_b = serializers.IntegerField()
    degree = serializers.FloatField()


class ChangedFunctionInputSerializer(serializers.Serializer):
    qualname = TextField(max_length=1000)
    complexity = StrictIntegerField(min_value=0, max_value=gate.MAX_COMPLEXITY)


def _count(help_text: str = "") -> StrictIntegerField:
    return StrictIntegerField(min_value=0, max_value=gate.MAX_COUNT, required=False, default=0, help_text=help_text)


class ChangedFileInputSerializer(serializers.Serializer):
    """One file's figures after the change (metrics.data.ChangedFileFigures, as `debtboard analyze` prints it)."""

    path = TextField(max_length=gate.MAX_PATH, trim_whitespace=False)
    old_path = TextField(max_length=gate.MAX_PATH, required=False, allow_blank=True, default="",
                         trim_whitespace=False,
                         help_text="The file's name before a rename.")
    deleted = StrictBooleanField(required=False, default=False)
    status = serializers.ChoiceField(choices=[("ok", "ok"), ("error", "error")], required=False, default="ok")
    error = TextField(max_length=2000, required=False, allow_blank=True, default="")
    loc = _count()
    total_complexity = _count()
    violation_count = _count()
    marker_count = _count()
    mi = StrictFloatField(min_value=-gate.MAX_MI, max_value=gate.MAX_MI, required=False, allow_null=True, default=None)
    functions = ChangedFunctionInputSerializer(many=True, required=False, default=list,
                                               max_length=gate.MAX_FUNCTIONS_PER_FILE)


def _revision(help_text: str) -> serializers.RegexField:
    return RegexTextField(gate.REVISION_PATTERN, max_length=64, required=False, allow_blank=True, default="",
                          help_text=help_text,
                          error_messages={"invalid": "A git commit id (7 to 64 hexadecimal digits)."})


class ChangeCheckCreateInputSerializer(serializers.Serializer):
    revision = _revision("The change's head commit id; a change posted again returns the stored verdict.")
    base_revision = _revision("The commit the change starts from.")
    parent_revision = _revision("The head commit's first parent.")
    reference = TextField(max_length=255, required=False, allow_blank=True, default="",
                          help_text="The pull or merge request number.")
    branch = TextField(max_length=255, required=False, allow_blank=True, default="")
    author_name = TextField(max_length=255, required=False, allow_blank=True, default="",
                            help_text="The commit's author, as git shows it (before .mailmap).")
    author_email = EmailTextField(max_length=255, required=False, allow_blank=True, default="")
    files = ChangedFileInputSerializer(many=True, allow_empty=False, min_length=1, max_length=gate.MAX_FILES)


class FindingOutputSerializer(serializers.Serializer):
    path = serializers.CharField()
    rule = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)


class FileChangeOutputSerializer(serializers.Serializer):
    """What a change did to one file: negative deltas mean cleaner."""

    path = serializers.CharField()
    complexity = serializers.IntegerField()
    violations = serializers.IntegerField()
    markers = serializers.IntegerField()
    mi = serializers.FloatField(allow_null=True)
    new = serializers.BooleanField()
    deleted = serializers.BooleanField()


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
    decided_by = serializers.CharField(help_text="The rule that decided the verdict (a finding's rule).")
    parent = serializers.CharField()
    branch = serializers.CharField()
    author_name = serializers.CharField()
    author_email = serializers.CharField()
    file_changes = FileChangeOutputSerializer(many=True)
    created_at = serializers.DateTimeField()

    def get_passed(self, obj) -> bool:
        return obj.status != "fail"


class IdempotencyKeyInputSerializer(serializers.Serializer):
    """The Idempotency-Key header of a change check (blank: none)."""

    key = RegexTextField(r"^[\x21-\x7e]{1,255}$", allow_blank=True,
                         error_messages={"invalid": "Idempotency-Key must be 1 to 255 printable characters."})


class AnalysisSettingsOutputSerializer(serializers.Serializer):
    """The analyser settings of a repository (metrics.data.AnalysisSettings): `debtboard check` analyses with them."""

    include = serializers.ListField(child=serializers.CharField())
    exclude = serializers.ListField(child=serializers.CharField())
    flake8_select = serializers.ListField(child=serializers.CharField())
    flake8_ignore = serializers.ListField(child=serializers.CharField())
    max_complexity = serializers.IntegerField()
    max_line_length = serializers.IntegerField()
    marker_tags = serializers.ListField(child=serializers.CharField())
    max_file_bytes = serializers.IntegerField()
    file_timeout_seconds = serializers.FloatField()
    flake8_extend_select = serializers.ListField(child=serializers.CharField())
    flake8_extend_ignore = serializers.ListField(child=serializers.CharField())
    max_doc_length = serializers.IntegerField(help_text="0: W505 off.")
    flake8_per_file_ignores = serializers.ListField(child=serializers.CharField(),
                                                    help_text='"pattern:CODE,CODE" entries, as flake8\'s own.')
    lint_exclude = serializers.ListField(child=serializers.CharField())
    lint_engine = serializers.ChoiceField(choices=["flake8", "ruff"])
    repository_lint_settings = serializers.BooleanField(
        help_text="Whether the repository's own flake8 settings (setup.cfg, tox.ini, .flake8, pyproject.toml at the "
                  "analysed revision) apply under the keys it did not pin.")
    test_globs = serializers.ListField(child=serializers.CharField())
    generated_globs = serializers.ListField(child=serializers.CharField())
    vendored_globs = serializers.ListField(child=serializers.CharField())
    migration_globs = serializers.ListField(child=serializers.CharField())
    pinned = serializers.ListField(child=serializers.CharField(), allow_null=True,
                                   help_text="The lint keys the repository's debtboard configuration sets: they win "
                                             "over the repository's own flake8 files.")
    default_branch = serializers.CharField(help_text="The repository's default revision; the client's default base.")
