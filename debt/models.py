"""Storage of the debt register: items, their links to code, labels, transitions, changes and comments."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from debt.choices import OPEN_STATUSES, Kind, Source, Status


class Label(models.Model):
    """A normalised tag (lowercase, no spaces) items can be filtered by."""

    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DebtItem(models.Model):
    """One piece of technical debt: principal (effort), measured interest, and its lifecycle.

    A discovered proposal is a DebtItem in status "proposed"; dismissing it moves it to "won't fix"
    with `dismissed` set, and its fingerprint keeps later scans from proposing it again.
    """

    # The vocabulary lives in debt.choices; the aliases keep `DebtItem.Status.DONE` readable.
    Kind = Kind
    Status = Status
    Source = Source

    repository = models.ForeignKey("metrics.Repository", on_delete=models.CASCADE, related_name="debt_items")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown; rendered sanitised.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CODE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACCEPTED)
    dismissed = models.BooleanField(default=False, help_text="A proposal a person dismissed; never re-proposed.")
    impact = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    effort = models.DecimalField(
        max_digits=9, decimal_places=2, default=1, help_text="Principal, in the repository's effort unit."
    )
    due_date = models.DateField(null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_debt"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_debt"
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="items")
    external_url = models.CharField(max_length=1000, blank=True, help_text="Issue-tracker URL (http or https).")
    external_id = models.CharField(max_length=200, blank=True, help_text="Id in another list; import key.")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    fingerprint = models.CharField(max_length=64, blank=True, help_text="Identity of discovered or imported debt.")
    # What discovery saw (debt.choices.Signal), blank for items people logged.
    signal = models.CharField(max_length=20, blank=True)

    # Where a marker proposal came from (blame at the scan's revision).
    marker_tag = models.CharField(max_length=32, blank=True)
    marker_text = models.CharField(max_length=1000, blank=True)
    marker_line = models.PositiveIntegerField(null=True, blank=True)
    marker_author = models.CharField(max_length=255, blank=True)
    marker_email = models.CharField(max_length=255, blank=True)
    marker_commit = models.CharField(max_length=64, blank=True)
    marker_added_at = models.DateTimeField(null=True, blank=True)

    # Interest, measured at a scan; priority is WSJF (docs/debt.md).
    interest = models.FloatField(default=0)
    priority = models.FloatField(default=0, db_index=True)
    interest_evidence = models.JSONField(default=dict, blank=True)
    interest_scan = models.ForeignKey(
        "metrics.Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority_computed_at = models.DateTimeField(null=True, blank=True)

    # Paid-off detection: a flag for a person to confirm or reject.
    looks_resolved = models.BooleanField(default=False)
    resolution_evidence = models.JSONField(default=dict, blank=True)
    resolution_flagged_at = models.DateTimeField(null=True, blank=True)
    resolution_rejected_keys = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "-impact", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "fingerprint"], condition=~Q(fingerprint=""), name="debt_item_unique_fingerprint"
            ),
            models.UniqueConstraint(
                fields=["repository", "external_id"], condition=~Q(external_id=""), name="debt_item_unique_external_id"
            ),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="debt_item_impact_1_to_5"),
            models.CheckConstraint(condition=Q(effort__gt=0), name="debt_item_effort_positive"),
        ]
        indexes = [
            models.Index(fields=["repository", "status"]),
            models.Index(fields=["repository", "source", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DebtLocation(models.Model):
    """A link from an item to code: a file or a folder prefix ending in '/', optionally a function or lines."""

    item = models.ForeignKey(DebtItem, on_delete=models.CASCADE, related_name="locations")
    path = models.CharField(max_length=1000, help_text="The current path, following renames found by mining.")
    original_path = models.CharField(max_length=1000, help_text="The path as linked.")
    qualname = models.CharField(max_length=1000, blank=True, help_text="A function or method's qualified name.")
    line_start = models.PositiveIntegerField(null=True, blank=True)
    line_end = models.PositiveIntegerField(null=True, blank=True)
    revision = models.CharField(max_length=64, blank=True, help_text="The commit the line range refers to.")
    # Renames committed after this moment are followed; null means the whole mined history.
    anchored_at = models.DateTimeField(null=True, blank=True)
    renamed_in = models.CharField(max_length=64, blank=True, help_text="The commit of the last followed rename.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["path", "id"]
        indexes = [models.Index(fields=["path"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(line_start__isnull=True) | Q(line_end__isnull=True) | Q(line_end__gte=models.F("line_start"))
                ),
                name="debt_location_line_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        suffix = f"::{self.qualname}" if self.qualname else ""
        if self.line_start:
            suffix += f"#L{self.line_start}" + (f"-{self.line_end}" if self.line_end else "")
        return f"{self.path}{suffix}"

    @property
    def is_folder(self) -> bool:
        return self.path.endswith("/")


class DebtTransition(models.Model):
    """One status change of an item: who moved it, from where to where, when."""

    item = models.ForeignKey(DebtItem, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=DebtItem.Status.choices)
    to_status = models.CharField(max_length=12, choices=DebtItem.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item", "at"])]

    def __str__(self) -> str:
        return f"#{self.item_id}: {self.from_status} -> {self.to_status}"


class DebtChange(models.Model):
    """One field-level change of an item (or a pseudo-field: created, location, resolution)."""

    item = models.ForeignKey(DebtItem, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item", "at"])]

    def __str__(self) -> str:
        return f"#{self.item_id}.{self.field}"


class DebtComment(models.Model):
    """A Markdown comment on an item (rendered sanitised)."""

    item = models.ForeignKey(DebtItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on #{self.item_id}"
