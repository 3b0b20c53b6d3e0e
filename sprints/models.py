"""Storage of teams, their members and areas, sprints, scheduled items, sent alerts and per-sprint snapshots."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from sprints.choices import (
    MAX_CAPACITY_HOURS,
    MAX_LENGTH_WEEKS,
    MIN_LENGTH_WEEKS,
    AlertKind,
    BudgetMode,
    GoalKind,
    RefactorathonStatus,
)


class Team(models.Model):
    """A team: its cadence (sprint length, first day), its debt budget and its alert thresholds."""

    BudgetMode = BudgetMode

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    is_private = models.BooleanField(default=False, help_text="Figures visible only to members and staff.")
    # Cadence.
    first_day = models.DateField(help_text="The first day of sprint 1.")
    length_weeks = models.PositiveSmallIntegerField(default=2)
    sprints_ahead = models.PositiveSmallIntegerField(default=3, help_text="Sprints generated after the current one.")
    # Debt budget per sprint.
    budget_mode = models.CharField(max_length=8, choices=BudgetMode.choices, default=BudgetMode.SHARE)
    fixed_hours = models.FloatField(default=0)
    share_percent = models.FloatField(default=20)
    carry_over = models.BooleanField(default=False)
    carry_cap_hours = models.FloatField(default=0)
    # Alerts.
    overcommit_tolerance_percent = models.FloatField(default=10)
    underspend_share_percent = models.FloatField(default=50)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(length_weeks__gte=MIN_LENGTH_WEEKS, length_weeks__lte=MAX_LENGTH_WEEKS),
                                   name="sprints_team_length_1_to_4_weeks"),
            models.CheckConstraint(condition=Q(share_percent__gte=0, share_percent__lte=100),
                                   name="sprints_team_share_0_to_100"),
            models.CheckConstraint(condition=Q(fixed_hours__gte=0, carry_cap_hours__gte=0),
                                   name="sprints_team_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(overcommit_tolerance_percent__gte=0, underspend_share_percent__gte=0,
                            underspend_share_percent__lte=100),
                name="sprints_team_alert_thresholds"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A user in a team with their capacity per (full-length) sprint, in hours."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    capacity_hours = models.FloatField(default=0)
    is_lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["team", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="sprints_member_unique"),
            models.CheckConstraint(condition=Q(capacity_hours__gte=0, capacity_hours__lte=MAX_CAPACITY_HOURS),
                                   name="sprints_member_capacity_0_to_200"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class TeamArea(models.Model):
    """Code a team owns: a repository, narrowed to a path prefix and/or a CODEOWNERS handle."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="areas")
    repository = models.ForeignKey("metrics.Repository", on_delete=models.CASCADE, related_name="+")
    path_prefix = models.CharField(max_length=1000, blank=True, help_text="Blank: the whole repository.")
    codeowners_handle = models.CharField(max_length=200, blank=True, help_text="E.g. @acme/payments.")

    class Meta:
        ordering = ["team", "repository_id", "path_prefix", "codeowners_handle"]
        constraints = [
            models.UniqueConstraint(fields=["team", "repository", "path_prefix", "codeowners_handle"],
                                    name="sprints_area_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.repository_id}:{self.path_prefix or self.codeowners_handle or '*'}"


class Sprint(models.Model):
    """One sprint of a team: dates (inclusive, in settings.TIME_ZONE), a name, and whether it is skipped."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sprints")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=100, blank=True)
    start = models.DateField()
    end = models.DateField(help_text="The last day, inclusive.")
    skipped = models.BooleanField(default=False, help_text="A holiday sprint: no budget, no alerts.")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When the close run recorded its end.")

    class Meta:
        ordering = ["team", "number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="sprints_sprint_unique_number"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="sprints_sprint_end_after_start"),
        ]
        indexes = [models.Index(fields=["team", "start"])]

    def __str__(self) -> str:
        return self.name or f"Sprint {self.number}"

    @property
    def label(self) -> str:
        return self.name or f"Sprint {self.number}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class SprintItem(models.Model):
    """A register item scheduled into a sprint; `open` until the sprint is closed.

    An item is in at most one open sprint: the partial unique constraint turns a second, concurrent
    scheduling of the same item into an IntegrityError, which the service reports as a conflict.
    """

    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="sprint_items")
    item = models.ForeignKey("debt.DebtItem", on_delete=models.CASCADE, related_name="+")
    open = models.BooleanField(default=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    scheduled_at = models.DateTimeField()

    class Meta:
        ordering = ["sprint", "scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sprint", "item"], name="sprints_item_once_per_sprint"),
            models.UniqueConstraint(fields=["item"], condition=Q(open=True), name="sprints_item_one_open_sprint"),
        ]

    def __str__(self) -> str:
        return f"#{self.item_id} in {self.sprint_id}"


class SprintAlert(models.Model):
    """An alert sent (by e-mail) for a sprint; one per sprint and kind."""

    AlertKind = AlertKind

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="alerts")
    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=24, choices=AlertKind.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["-sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["sprint", "kind"], name="sprints_alert_once")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.sprint_id}"


class SprintSnapshot(models.Model):
    """The code in a team's areas at a sprint's end (refreshed by scans while the sprint runs)."""

    sprint = models.OneToOneField(Sprint, on_delete=models.CASCADE, related_name="snapshot")
    recorded_at = models.DateTimeField()
    final = models.BooleanField(default=False, help_text="Recorded when the sprint was closed.")
    open_principal_hours = models.FloatField(default=0)
    files = models.PositiveIntegerField(default=0)
    mean_health = models.FloatField(null=True, blank=True)
    hotspot_score_sum = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"snapshot of {self.sprint_id}"


class Refactorathon(models.Model):
    """A clean-up event: dates, scope, participants, goals, a saved plan (with its version) and a status.

    `plan_version` grows by one with every saved plan: a save naming an older version is refused
    (optimistic concurrency: two people re-planning at once never mix their plans).
    """

    Status = RefactorathonStatus

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="refactorathons")
    start = models.DateField()
    end = models.DateField(help_text="The last day, inclusive.")
    status = models.CharField(max_length=10, choices=RefactorathonStatus.choices, default=RefactorathonStatus.DRAFT)
    coupling_threshold = models.FloatField(default=0.6, help_text="Couplings at or above this degree tie items.")
    area_cap_hours = models.FloatField(null=True, blank=True, help_text="Hours one top folder may take.")
    pair_islands = models.BooleanField(default=False)
    time_limit_seconds = models.FloatField(default=5)
    # The first scope repository's scans (each scope row holds its own repository's).
    start_scan_id = models.IntegerField(null=True, blank=True, help_text="metrics Scan id of the 'before' scan.")
    end_scan_id = models.IntegerField(null=True, blank=True, help_text="metrics Scan id of the 'after' scan.")
    plan = models.JSONField(default=dict, blank=True, help_text="sprints.core Plan.as_json().")
    plan_status = models.CharField(max_length=12, blank=True)
    plan_version = models.PositiveIntegerField(default=0)
    planned_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, help_text="RefactorathonSnapshot frozen at finish.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="sprints_refactorathon_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class RefactorathonScope(models.Model):
    """A repository in an event's scope, narrowed to path prefixes (empty list: the whole repository)."""

    event = models.ForeignKey(Refactorathon, on_delete=models.CASCADE, related_name="scopes")
    repository = models.ForeignKey("metrics.Repository", on_delete=models.CASCADE, related_name="+")
    prefixes = models.JSONField(default=list, blank=True)
    start_scan_id = models.IntegerField(null=True, blank=True, help_text="metrics Scan id at the start.")
    end_scan_id = models.IntegerField(null=True, blank=True, help_text="metrics Scan id at the end.")
    # {"4": scan id, "8": scan id}: the regression points already scanned (None: no commit that old), so the
    # periodic runner knows what is done without fetching the repository again.
    regression_scans = models.JSONField(default=dict, blank=True,
                                        help_text="metrics Scan id at each regression point, by weeks after the end.")

    class Meta:
        ordering = ["event", "repository_id"]
        constraints = [models.UniqueConstraint(fields=["event", "repository"], name="sprints_scope_unique")]

    def __str__(self) -> str:
        return f"{self.repository_id}:{','.join(self.prefixes) or '*'}"


class RefactorathonParticipant(models.Model):
    """A person at the event with their hours for it and the areas (path prefixes) they know."""

    event = models.ForeignKey(Refactorathon, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hours = models.FloatField()
    areas = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["event", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="sprints_participant_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="sprints_participant_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"


class RefactorathonGoal(models.Model):
    """A measurable goal of the event: a kind, a target value and (for some kinds) a path."""

    Kind = GoalKind

    event = models.ForeignKey(Refactorathon, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(max_length=40, choices=GoalKind.choices)
    target = models.FloatField(default=0)
    path = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} {self.path}".strip()


class RefactorathonItem(models.Model):
    """A register item at the event: pinned or excluded by people, chosen by the plan with its assignee."""

    event = models.ForeignKey(Refactorathon, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("debt.DebtItem", on_delete=models.CASCADE, related_name="+")
    pinned = models.BooleanField(default=False)
    excluded = models.BooleanField(default=False)
    chosen = models.BooleanField(default=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["event", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "item"], name="sprints_event_item_unique"),
            models.CheckConstraint(condition=~Q(pinned=True, excluded=True), name="sprints_event_item_pin_or_exclude"),
        ]

    def __str__(self) -> str:
        return f"#{self.item_id} at {self.event_id}"
