"""Storage for repositories, scans, mined history, blob-addressed analysis results and scores."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from metrics.choices import (
    LIVE_SCAN_STATUSES,
    AfterScanStatus,
    EffortUnit,
    RescanKind,
    Role,
    ScanStage,
    ScanStatus,
    WebhookProvider,
)


def new_history_token() -> str:
    """A fresh random token for a repository's mined history."""
    return secrets.token_hex(16)


class Repository(models.Model):
    """A git repository debtboard scans: a local path, or a remote mirrored into the data directory."""

    name = models.SlugField(max_length=100, unique=True)
    url = models.CharField(max_length=1000, blank=True, help_text="Remote URL (https, ssh, git); blank if local.")
    path = models.CharField(max_length=1000, help_text="Local working path, or the mirror's path for a remote.")
    default_revision = models.CharField(max_length=255, default="HEAD")
    # Analyser and mining configuration (include/exclude globs, flake8 select/ignore, max complexity,
    # marker tags, max files per commit, half-life, bot patterns); see metrics.data.RepositoryConfig.
    config = models.JSONField(default=dict, blank=True)
    effort_unit = models.CharField(max_length=12, choices=EffortUnit.choices, default=EffortUnit.HOURS)
    # The change-check policy (what counts as worse, hotspots, new files); see metrics.data.CheckPolicy.
    check_policy = models.JSONField(default=dict, blank=True)
    # Mining state: the newest commit mined, so a later scan mines only what is new.
    mined_head = models.CharField(max_length=64, blank=True)
    # Changes whenever history is mined again from scratch (a force-push): caches derived from the mined
    # commits (the scoring history cache) are keyed by it.
    history_token = models.CharField(max_length=32, default=new_history_token, editable=False)
    # Set when the repository is a shallow clone: the date of its oldest (graft) commit, where the mined
    # history starts; the graft commits themselves are not mined (they look like one commit adding every file).
    history_truncated_at = models.DateTimeField(null=True, blank=True)
    # The .mailmap blob the stored history was attributed with ("" for none): a new one re-attributes it.
    mailmap_blob = models.CharField(max_length=64, blank=True, default="")
    # The scan whose results are visible; swapped atomically when a scan finishes.
    current_scan = models.ForeignKey(
        "metrics.Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The rescan schedule (metrics.core.schedule): nightly/weekly at `rescan_at` in the server's TIME_ZONE,
    # weekly on `rescan_weekday` (0 = Monday). The next slot is the first after the later of when it was
    # set and when it last fired (metrics.services.scans.schedule.rescan_due).
    rescan_kind = models.CharField(max_length=8, choices=RescanKind.choices, default=RescanKind.OFF)
    rescan_at = models.TimeField(null=True, blank=True)
    rescan_weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    rescan_set_at = models.DateTimeField(null=True, blank=True)
    rescan_fired_at = models.DateTimeField(null=True, blank=True)
    # The push webhooks' shared secret, stored as is: HMAC needs the secret itself (docs/security.md).
    # Blank: the webhooks refuse every delivery until a maintainer creates one.
    webhook_secret = models.CharField(max_length=100, blank=True, default="")
    webhook_secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "repositories"
        constraints = [
            models.CheckConstraint(condition=Q(rescan_weekday__isnull=True) | Q(rescan_weekday__lte=6),
                                   name="metrics_repository_rescan_weekday_0_to_6"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_remote(self) -> bool:
        return bool(self.url)


class Scan(models.Model):
    """One run of mining, analysis and scoring of a repository at a revision."""

    # The vocabulary lives in metrics.choices; the aliases keep `Scan.Status.SUCCEEDED` readable.
    Status = ScanStatus
    Stage = ScanStage

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="scans")
    revision = models.CharField(max_length=255, default="HEAD", help_text="The revision asked for.")
    commit_sha = models.CharField(max_length=64, blank=True, help_text="The commit it resolved to.")
    committed_at = models.DateTimeField(null=True, blank=True, help_text="Commit date, the x axis of trends.")
    is_backfill = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # Repository summary: files per health band, total complexity, violations, markers, hotspot count.
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Retries of a scan whose worker died: the retry is a new scan (the interrupted one stays in history).
    attempt = models.PositiveSmallIntegerField(default=1, help_text="1 for a requested scan, 2+ for its retries.")
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")
    # The post-scan step (scan_finished receivers), run after the results became visible (docs/scanning.md).
    after_status = models.CharField(max_length=12, choices=AfterScanStatus.choices, default=AfterScanStatus.NONE,
                                    blank=True)
    after_error = models.TextField(blank=True)
    after_started_at = models.DateTimeField(null=True, blank=True)
    after_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["repository", "status", "committed_at"])]
        constraints = [
            # The per-repository scan lock: at most one live (non-backfill) scan at a time.
            models.UniqueConstraint(
                fields=["repository"],
                condition=Q(status__in=list(LIVE_SCAN_STATUSES), is_backfill=False),
                name="metrics_scan_one_live_per_repository",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.repository} @ {self.commit_sha[:10] or self.revision} ({self.status})"

    @property
    def is_live(self) -> bool:
        """Queued or running: the scan has not ended yet."""
        return self.status in LIVE_SCAN_STATUSES

    @property
    def succeeded(self) -> bool:
        """The scan finished with results."""
        return self.status == ScanStatus.SUCCEEDED


class Commit(models.Model):
    """A mined commit (merges skipped unless configured)."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="commits")
    sha = models.CharField(max_length=64)
    author_name = models.CharField(max_length=255)
    author_email = models.CharField(max_length=255)
    authored_at = models.DateTimeField()
    subject = models.CharField(max_length=1000, blank=True)
    is_merge = models.BooleanField(default=False)
    files_changed = models.PositiveIntegerField(default=0)
    # Mechanical or bot commits (too many files, bot authors) are kept but excluded from measures.
    is_excluded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-authored_at"]
        constraints = [models.UniqueConstraint(fields=["repository", "sha"], name="metrics_commit_unique_sha")]
        indexes = [models.Index(fields=["repository", "authored_at"])]

    def __str__(self) -> str:
        return f"{self.sha[:10]} {self.subject[:60]}"


class FileChange(models.Model):
    """One file touched by one commit, with its line counts (null for binaries) and its rename source."""

    class ChangeType(models.TextChoices):
        ADDED = "A"
        MODIFIED = "M"
        DELETED = "D"
        RENAMED = "R"
        COPIED = "C"

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="file_changes")
    commit = models.ForeignKey(Commit, on_delete=models.CASCADE, related_name="changes")
    path = models.CharField(max_length=1000)
    old_path = models.CharField(max_length=1000, blank=True)
    change_type = models.CharField(max_length=1, choices=ChangeType.choices, default=ChangeType.MODIFIED)
    added = models.PositiveIntegerField(null=True, blank=True)
    deleted = models.PositiveIntegerField(null=True, blank=True)
    is_binary = models.BooleanField(default=False)
    authored_at = models.DateTimeField(help_text="Copied from the commit for window queries.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commit", "path"], name="metrics_filechange_unique_path"),
        ]
        indexes = [
            models.Index(fields=["repository", "path", "authored_at"]),
            models.Index(fields=["repository", "old_path"]),
        ]

    def __str__(self) -> str:
        return f"{self.path} in {self.commit_id}"


class BlobAnalysis(models.Model):
    """Static analysis of one blob, content-addressed: never analysed twice for the same fingerprint."""

    class Status(models.TextChoices):
        OK = "ok"
        ERROR = "error"

    blob_sha = models.CharField(max_length=64)
    # Hash of the analyser configuration and the radon/flake8 versions; a change re-analyses.
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OK)
    # A stable short code when status is error: syntax, encoding, null_byte, binary, recursion, too_large,
    # timeout, worker_died, lint_failed, radon, missing, memory, internal, pool_failed (see docs/analysis.md).
    error_kind = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    size_bytes = models.PositiveIntegerField(default=0)
    # radon raw metrics: loc = sloc + blank + multi + single_comments.
    loc = models.PositiveIntegerField(default=0)
    lloc = models.PositiveIntegerField(default=0)
    sloc = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    multi = models.PositiveIntegerField(default=0)
    blank = models.PositiveIntegerField(default=0)
    single_comments = models.PositiveIntegerField(default=0)
    mi = models.FloatField(null=True, blank=True)
    mi_rank = models.CharField(max_length=1, blank=True)
    h_volume = models.FloatField(default=0)
    h_difficulty = models.FloatField(default=0)
    h_effort = models.FloatField(default=0)
    h_bugs = models.FloatField(default=0)
    total_complexity = models.PositiveIntegerField(default=0)
    max_complexity = models.PositiveIntegerField(default=0)
    function_count = models.PositiveIntegerField(default=0)
    violation_count = models.PositiveIntegerField(default=0)
    marker_count = models.PositiveIntegerField(default=0, help_text="Debt markers (TODO, FIXME, ...).")
    suppression_count = models.PositiveIntegerField(default=0, help_text="noqa and type: ignore comments.")
    duration_ms = models.PositiveIntegerField(default=0)
    # Warnings the file provoked while it was parsed (SyntaxWarning, ...), one per line.
    warnings = models.TextField(blank=True)
    is_generated = models.BooleanField(default=False, help_text="Its first lines say it is generated.")
    analyzed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blob_sha", "fingerprint"], name="metrics_blob_unique_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"{self.blob_sha[:10]} ({self.status})"


class FunctionAnalysis(models.Model):
    """Cyclomatic complexity of one function, method or class inside a blob."""

    blob = models.ForeignKey(BlobAnalysis, on_delete=models.CASCADE, related_name="functions")
    kind = models.CharField(max_length=8, default="function")  # function, method, class
    name = models.CharField(max_length=255)
    qualname = models.CharField(max_length=1000)
    lineno = models.PositiveIntegerField()
    endline = models.PositiveIntegerField()
    complexity = models.PositiveIntegerField()
    rank = models.CharField(max_length=1)
    # radon's figures of the function itself (0 / null for classes and for analyses older than them).
    sloc = models.PositiveIntegerField(default=0, help_text="Source lines of code (radon's SLOC).")
    h_volume = models.FloatField(default=0)
    h_difficulty = models.FloatField(default=0)
    h_effort = models.FloatField(default=0)
    h_bugs = models.FloatField(default=0)
    mi = models.FloatField(null=True, blank=True, help_text="Maintainability index of the function, 0-100.")

    class Meta:
        ordering = ["lineno"]
        indexes = [models.Index(fields=["complexity"]), models.Index(fields=["blob", "lineno"])]

    def __str__(self) -> str:
        return f"{self.qualname} ({self.complexity})"


class Violation(models.Model):
    """One flake8 violation inside a blob."""

    blob = models.ForeignKey(BlobAnalysis, on_delete=models.CASCADE, related_name="violations")
    code = models.CharField(max_length=16)
    line = models.PositiveIntegerField()
    column = models.PositiveIntegerField()
    message = models.CharField(max_length=1000)

    class Meta:
        ordering = ["line", "column"]
        indexes = [models.Index(fields=["code"]), models.Index(fields=["blob", "code"])]

    def __str__(self) -> str:
        return f"{self.code}:{self.line}"


class Marker(models.Model):
    """A self-admitted debt marker (TODO, FIXME, HACK, XXX) or a suppression (noqa, type: ignore)."""

    class Kind(models.TextChoices):
        DEBT = "debt"
        NOQA = "noqa"
        TYPE_IGNORE = "type_ignore"

    blob = models.ForeignKey(BlobAnalysis, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DEBT)
    tag = models.CharField(max_length=32)
    line = models.PositiveIntegerField()
    text = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["line"]
        indexes = [models.Index(fields=["blob", "kind"])]

    def __str__(self) -> str:
        return f"{self.tag}:{self.line}"


class SnapshotFile(models.Model):
    """A Python file at a scan's revision, pointing at its blob's analysis."""

    # No index of its own: the composite index or constraint below starts with scan.
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="files", db_index=False)
    path = models.CharField(max_length=1000)
    blob_sha = models.CharField(max_length=64)
    analysis = models.ForeignKey(
        BlobAnalysis, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshotfile_set"
    )
    file_class = models.CharField(max_length=12, default="production",
                                  help_text="production, test, generated, vendored or migration.")

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["scan", "path"], name="metrics_snapshot_unique_path")]

    def __str__(self) -> str:
        return self.path


class FileScore(models.Model):
    """Change measures and scores of one file at a scan, over one window (0 days: all history)."""

    # No index of its own: the composite index or constraint below starts with scan.
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="file_scores", db_index=False)
    window_days = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=1000)
    analysis = models.ForeignKey(BlobAnalysis, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revisions = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    churn = models.PositiveIntegerField(default=0)
    change_frequency = models.FloatField(default=0, help_text="Recency-weighted revisions.")
    authors = models.PositiveIntegerField(default=0)
    main_author = models.CharField(max_length=255, blank=True)
    ownership_share = models.FloatField(default=0)
    fragmentation = models.FloatField(default=0)
    first_seen = models.DateTimeField(null=True, blank=True)
    last_changed = models.DateTimeField(null=True, blank=True)
    age_days = models.PositiveIntegerField(null=True, blank=True)
    loc = models.PositiveIntegerField(default=0, help_text="Physical lines (radon's LOC).")
    sloc = models.PositiveIntegerField(default=0, help_text="Source lines (radon's SLOC).")
    complexity = models.PositiveIntegerField(default=0)
    max_function_complexity = models.PositiveIntegerField(default=0)
    violations = models.PositiveIntegerField(default=0)
    lint_density = models.FloatField(default=0, help_text="Violations per 100 physical lines.")
    markers = models.PositiveIntegerField(default=0)
    coupling_sum = models.FloatField(default=0)
    hotspot_score = models.FloatField(default=0)
    hotspot_rank = models.PositiveIntegerField(default=0)
    health = models.FloatField(default=10)
    is_knowledge_island = models.BooleanField(default=False)
    breakdown = models.JSONField(default=dict, blank=True)
    file_class = models.CharField(max_length=12, default="production",
                                  help_text="production, test, generated, vendored or migration.")
    # ranked (meets the minimums), simple (changing but simple), rare (too few revisions), unchanged.
    rank_status = models.CharField(max_length=12, default="ranked")
    island_label = models.CharField(max_length=64, blank=True,
                                    help_text='"single author ever" or "single author in the last N days".')

    class Meta:
        ordering = ["hotspot_rank", "path"]
        constraints = [
            models.UniqueConstraint(fields=["scan", "window_days", "path"], name="metrics_filescore_unique"),
        ]
        indexes = [
            models.Index(fields=["scan", "window_days", "hotspot_rank"]),
            models.Index(fields=["scan", "window_days", "health"]),
        ]

    def __str__(self) -> str:
        return f"{self.path} #{self.hotspot_rank}"


class FunctionScore(models.Model):
    """A function hotspot: complexity times how often the function itself changed."""

    # No index of its own: the composite index or constraint below starts with scan.
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="function_scores", db_index=False)
    window_days = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=1000)
    qualname = models.CharField(max_length=1000)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, default="function")
    lineno = models.PositiveIntegerField()
    endline = models.PositiveIntegerField()
    complexity = models.PositiveIntegerField()
    rank = models.CharField(max_length=1)
    changes = models.PositiveIntegerField(default=0)
    hotspot_score = models.FloatField(default=0)
    hotspot_rank = models.PositiveIntegerField(default=0)
    # radon's figures of the function (FunctionAnalysis), next to its complexity.
    sloc = models.PositiveIntegerField(default=0, help_text="Source lines of code (radon's SLOC).")
    h_volume = models.FloatField(default=0)
    h_difficulty = models.FloatField(default=0)
    h_effort = models.FloatField(default=0)
    h_bugs = models.FloatField(default=0)
    mi = models.FloatField(null=True, blank=True, help_text="Maintainability index of the function, 0-100.")

    class Meta:
        ordering = ["hotspot_rank"]
        indexes = [
            models.Index(fields=["scan", "window_days", "hotspot_rank"]),
            models.Index(fields=["scan", "path"]),
        ]

    def __str__(self) -> str:
        return f"{self.path}:{self.qualname}"


class Coupling(models.Model):
    """Change coupling between two files (code-maat's degree), stored once per pair with path_a < path_b."""

    # No index of its own: the composite index or constraint below starts with scan.
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="couplings", db_index=False)
    window_days = models.PositiveIntegerField(default=0)
    path_a = models.CharField(max_length=1000)
    path_b = models.CharField(max_length=1000)
    shared_revisions = models.PositiveIntegerField()
    revisions_a = models.PositiveIntegerField()
    revisions_b = models.PositiveIntegerField()
    degree = models.FloatField()

    class Meta:
        ordering = ["-degree", "path_a", "path_b"]
        indexes = [
            models.Index(fields=["scan", "window_days", "path_a"]),
            models.Index(fields=["scan", "window_days", "path_b"]),
        ]

    def __str__(self) -> str:
        return f"{self.path_a} <-> {self.path_b} ({self.degree:.0%})"


class FileAuthor(models.Model):
    """One author's share of one file at a scan (all history)."""

    # No index of its own: the composite index or constraint below starts with scan.
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="file_authors", db_index=False)
    path = models.CharField(max_length=1000)
    author = models.CharField(max_length=255)
    email = models.CharField(max_length=255, blank=True)
    commits = models.PositiveIntegerField(default=0)
    added_lines = models.PositiveIntegerField(default=0)
    share = models.FloatField(default=0, help_text="Share of the file's added lines.")

    class Meta:
        ordering = ["-added_lines", "author"]
        indexes = [models.Index(fields=["scan", "path"]), models.Index(fields=["scan", "author"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.path}"


class CodeOwner(models.Model):
    """CODEOWNERS owners of one file at a scan's revision."""

    # No index of its own: the composite index or constraint below starts with scan.
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="code_owners", db_index=False)
    path = models.CharField(max_length=1000)
    owners = models.JSONField(default=list)
    pattern = models.CharField(max_length=1000, blank=True)
    line = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(fields=["scan", "path"])]

    def __str__(self) -> str:
        return f"{self.path}: {' '.join(self.owners)}"


class ChangeCheck(models.Model):
    """A CI change check: a change's file figures judged against the current scan ("cleaner than you found it")."""

    class Status(models.TextChoices):
        PASS = "pass"
        CLEANER = "cleaner"
        FAIL = "fail"

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="change_checks")
    baseline_scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.CharField(max_length=255, blank=True, help_text="The change's head commit, as CI names it.")
    base_revision = models.CharField(max_length=255, blank=True)
    reference = models.CharField(max_length=255, blank=True, help_text="A branch or pull request, for people.")
    status = models.CharField(max_length=8, choices=Status.choices)
    files = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    idempotency_key = models.CharField(max_length=255, blank=True,
                                       help_text="The client's Idempotency-Key header, if it sent one.")
    request_digest = models.CharField(max_length=64, blank=True,
                                      help_text="SHA-256 of the posted figures: a replay must post the same.")
    decided_by = models.CharField(max_length=64, blank=True, help_text="The gate rule that decided the verdict.")
    # The Boy Scout record: who made the change (as the commit says, posted by CI) and what it did per file.
    author_name = models.CharField(max_length=255, blank=True)
    author_email = models.CharField(max_length=255, blank=True, db_index=True)
    branch = models.CharField(max_length=255, blank=True)
    parent = models.CharField(max_length=64, blank=True, help_text="The change's parent commit.")
    file_changes = models.JSONField(default=list, blank=True,
                                    help_text="Per file: complexity, violations, markers and MI deltas.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["repository", "created_at"])]
        constraints = [
            # One verdict per change: CI posting the same revision and reference again gets the stored one.
            models.UniqueConstraint(fields=["repository", "revision", "reference"], condition=~Q(revision=""),
                                    name="change_check_one_per_revision"),
            models.UniqueConstraint(fields=["repository", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="change_check_one_per_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.repository} {self.revision[:10]} {self.status}"


class RepositoryMembership(models.Model):
    """A user's role on one repository (viewer, member, maintainer); see metrics.selectors.access."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repository_memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["repository", "user"], name="unique_membership_per_repository_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.repository}"


class WebhookDelivery(models.Model):
    """A push webhook delivery that passed its signature check: its id is unique, so a replay does nothing."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="webhook_deliveries")
    provider = models.CharField(max_length=8, choices=WebhookProvider.choices)
    # X-GitHub-Delivery or X-Gitlab-Event-UUID.
    delivery_id = models.CharField(max_length=100)
    event = models.CharField(max_length=50, blank=True)
    # queued, already_running, ignored, pong (see metrics.services.webhooks).
    outcome = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "provider", "delivery_id"],
                                    name="metrics_webhook_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} delivery {self.delivery_id} to {self.repository_id}: {self.outcome}"


class FileBlame(models.Model):
    """Who last wrote given lines of a file, by repository, path and blob: an unchanged file is blamed once.

    `lines` maps a line number (as text) to [commit sha, author name, author email, author time (epoch
    seconds) or null]. Written by metrics.services.blame (docs/scanning.md, marker attribution).
    """

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+", db_index=False)
    path = models.CharField(max_length=1000)
    blob_sha = models.CharField(max_length=64)
    lines = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["repository", "path", "blob_sha"],
                                               name="metrics_file_blame_unique")]

    def __str__(self) -> str:
        return f"{self.path}@{self.blob_sha[:10]}"


class WorkerHeartbeat(models.Model):
    """A running worker (scan_worker or Celery) and when it last said it was alive (/healthz, /metrics)."""

    worker_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, help_text="database-queue or celery")
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} worker {self.worker_id} on {self.hostname} (pid {self.pid})"
