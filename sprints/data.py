"""Frozen value objects of the sprints app's public API: teams, sprint figures, burn-down, history, results.

Hours are floats rounded to two decimals. Every figure converted from story points is in hours; the
conversions used are listed next to it (`conversions`: repository, unit and hours per unit), so a page or
a command can show the factor wherever a converted figure is shown.
"""
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from metrics.data import EffortConversion


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO strings, decimals as floats, containers walked."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class _AsJson:
    def as_json(self) -> dict[str, Any]:
        """The value as JSON-ready data (dates in ISO 8601, hours as numbers)."""
        return _plain(asdict(self))  # type: ignore[call-overload]


@dataclass(frozen=True)
class MemberInfo(_AsJson):
    """A member of a team, with their capacity per full-length sprint."""

    user_id: int
    username: str
    capacity_hours: float
    is_lead: bool


@dataclass(frozen=True)
class AreaInfo(_AsJson):
    """Code a team owns: a repository, narrowed to a path prefix and/or a CODEOWNERS handle."""

    area_id: int
    repository_id: int
    repository_name: str
    path_prefix: str
    codeowners_handle: str
    label: str


@dataclass(frozen=True)
class SprintInfo(_AsJson):
    """One sprint's identity and dates (inclusive, in settings.TIME_ZONE)."""

    number: int
    label: str
    name: str
    start: date
    end: date
    days: int
    skipped: bool
    closed: bool
    is_current: bool


@dataclass(frozen=True)
class TeamSummary(_AsJson):
    """A line of the teams list."""

    team_id: int
    slug: str
    name: str
    is_private: bool
    members: int
    capacity_hours: float
    current_sprint: SprintInfo | None


@dataclass(frozen=True)
class TeamDetail(_AsJson):
    """A team's settings, members and areas, and what the viewing user may do."""

    team_id: int
    slug: str
    name: str
    is_private: bool
    first_day: date
    length_weeks: int
    sprints_ahead: int
    budget_mode: str
    fixed_hours: float
    share_percent: float
    carry_over: bool
    carry_cap_hours: float
    overcommit_tolerance_percent: float
    underspend_share_percent: float
    capacity_hours: float
    members: tuple[MemberInfo, ...]
    areas: tuple[AreaInfo, ...]
    current_sprint: SprintInfo | None
    is_member: bool
    can_change: bool
    can_schedule: bool


@dataclass(frozen=True)
class Budget(_AsJson):
    """A sprint's debt budget: the sprint's own part plus what the previous sprint left (capped)."""

    mode: str
    capacity_hours: float  # the team's capacity for this sprint (pro-rated when shortened; 0 when skipped)
    base_hours: float
    carry_in_hours: float
    total_hours: float


@dataclass(frozen=True)
class ItemLine(_AsJson):
    """An item in a sprint's figures; `hours` is its effort converted (effort x hours_per_unit)."""

    item_id: int
    title: str
    status: str
    repository_id: int
    owner_name: str
    effort: float
    effort_unit: str
    hours_per_unit: float
    hours: float
    areas: tuple[str, ...]  # labels of the team's areas holding it (empty: outside every area)
    planned: bool  # scheduled into this sprint (False: finished in the team's areas without a plan)
    done_at: datetime | None = None


@dataclass(frozen=True)
class BreakdownRow(_AsJson):
    """Committed and spent hours (planned and unplanned) of one member (item owner) or one area."""

    key: str
    committed_hours: float
    spent_hours: float


@dataclass(frozen=True)
class BurndownPoint(_AsJson):
    """Remaining committed hours at `at` (the sprint's start, then each day's end) against the ideal line.

    `remaining_hours` is None for moments still in the future.
    """

    day: date
    at: datetime
    ideal_hours: float
    remaining_hours: float | None


@dataclass(frozen=True)
class AlertBanner(_AsJson):
    """An alert sent for a sprint, as a banner on the team and sprint pages."""

    kind: str
    label: str
    sprint_number: int
    message: str
    sent_at: datetime


@dataclass(frozen=True)
class SprintFigures(_AsJson):
    """Everything the sprint page shows: budget, committed, done, left, breakdowns, burn-down, alerts.

    - committed: hours of the sprint's items still planned or in progress;
    - done: hours of the sprint's items finished during the sprint (and not reopened);
    - unplanned: hours of items finished in the team's areas during the sprint without being scheduled in it;
    - spent = done + unplanned; left = budget total - spent - committed (negative when over-committed);
    - over_committed: spent + committed exceed the budget (alerts use the team's tolerance on top).
    """

    team_slug: str
    team_name: str
    sprint: SprintInfo
    budget: Budget
    committed_hours: float
    done_hours: float
    unplanned_hours: float
    spent_hours: float
    left_hours: float
    over_committed: bool
    overcommit_limit_hours: float
    items: tuple[ItemLine, ...]
    unplanned_items: tuple[ItemLine, ...]
    by_member: tuple[BreakdownRow, ...]
    by_area: tuple[BreakdownRow, ...]
    burndown: tuple[BurndownPoint, ...]
    alerts: tuple[AlertBanner, ...]
    conversions: tuple[EffortConversion, ...]


@dataclass(frozen=True)
class SnapshotFigures(_AsJson):
    """The code in the team's areas at a sprint's end (or at the latest scan while it runs)."""

    recorded_at: datetime
    final: bool
    open_principal_hours: float
    files: int
    mean_health: float | None
    hotspot_score_sum: float


@dataclass(frozen=True)
class HistoryRow(_AsJson):
    """One sprint in a team's history.

    `committed_hours` is the effort of every item scheduled into the sprint (whatever became of it);
    `capacity_share_spent` is spent / capacity in percent (None when the sprint had no capacity).
    """

    sprint: SprintInfo
    capacity_hours: float
    allocated_hours: float
    base_hours: float
    carry_in_hours: float
    carry_out_hours: float
    spent_hours: float
    unplanned_hours: float
    committed_hours: float
    capacity_share_spent: float | None
    snapshot: SnapshotFigures | None


@dataclass(frozen=True)
class TeamHistory(_AsJson):
    """A team's sprints, oldest first, up to and including the current one."""

    team_slug: str
    team_name: str
    rows: tuple[HistoryRow, ...]
    conversions: tuple[EffortConversion, ...]


@dataclass(frozen=True)
class ScheduleResult(_AsJson):
    """An item scheduled into (or taken out of) a sprint, with warnings and the sprint's load after it.

    Warnings do not stop the scheduling: `item.outside_areas` (the item's repository or paths are outside the
    team's areas) and `sprint.over_committed` (spent + committed now exceed the budget).
    """

    sprint_number: int
    item_id: int
    status: str
    warnings: tuple[str, ...]
    committed_hours: float
    budget_hours: float


@dataclass(frozen=True)
class BulkScheduleResult(_AsJson):
    """Items a bulk scheduling put into the sprint, and those it refused with the error code."""

    scheduled: tuple[ScheduleResult, ...]
    refused: tuple[tuple[int, str, str], ...]  # (item id, code, message)


@dataclass(frozen=True)
class GenerateResult(_AsJson):
    """The sprints a generation created (numbers), and the team's current sprint afterwards."""

    created: tuple[int, ...]
    current: int | None


@dataclass(frozen=True)
class SentAlert(_AsJson):
    """An alert the alert run sent (or failed to send: `error` is set and nothing was recorded)."""

    team_slug: str
    sprint_number: int
    kind: str
    recipients: tuple[str, ...]
    error: str = ""


@dataclass(frozen=True)
class AlertRunResult(_AsJson):
    """What one alert run did: sprints closed (snapshots recorded) and alerts sent."""

    closed: tuple[tuple[str, int], ...]  # (team slug, sprint number)
    sent: tuple[SentAlert, ...]


# --- Refactorathons --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeEntry(_AsJson):
    """A repository in an event's scope with its path prefixes (empty: the whole repository)."""

    repository_id: int
    repository_name: str
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class ParticipantInfo(_AsJson):
    """A participant: hours for the event, areas known, and the git identities matched to them."""

    user_id: int
    username: str
    hours: float
    areas: tuple[str, ...]
    identities: tuple[str, ...]


@dataclass(frozen=True)
class GoalInfo(_AsJson):
    goal_id: int
    kind: str
    label: str
    target: float
    path: str


@dataclass(frozen=True)
class RefactorathonInfo(_AsJson):
    """An event's settings, scope, participants and goals, its plan's status and version."""

    slug: str
    name: str
    team_slug: str | None
    start: date
    end: date
    status: str
    next_statuses: tuple[str, ...]
    scope: tuple[ScopeEntry, ...]
    participants: tuple[ParticipantInfo, ...]
    goals: tuple[GoalInfo, ...]
    capacity_hours: float
    coupling_threshold: float
    area_cap_hours: float | None
    pair_islands: bool
    time_limit_seconds: float
    plan_status: str
    plan_version: int
    start_scan_id: int | None
    end_scan_id: int | None


@dataclass(frozen=True)
class CandidateLine(_AsJson):
    """A register item the event could take on: its value (priority), effort in hours, and people's choices.

    `hours_per_unit` is the repository's conversion (1 for hours, points_to_hours for points).
    """

    item_id: int
    repository_id: int
    title: str
    status: str
    value: float
    effort: float
    effort_unit: str
    hours_per_unit: float
    effort_hours: float
    paths: tuple[str, ...]
    pinned: bool
    excluded: bool
    chosen: bool
    assignee: str | None
    partner: str | None


@dataclass(frozen=True)
class HotspotCandidate(_AsJson):
    """A top hotspot in scope with no register item yet (refactorathon_hotspot_adopt turns it into one)."""

    repository_id: int
    path: str
    hotspot_score: float
    health: float | None
    complexity: int


@dataclass(frozen=True)
class RefactorathonCandidates(_AsJson):
    """Everything the planning page lists: register items in scope, then hotspots without an item."""

    slug: str
    items: tuple[CandidateLine, ...]
    hotspots: tuple[HotspotCandidate, ...]


@dataclass(frozen=True)
class PlanLine(_AsJson):
    """A chosen item with its assignee (username), partner and the planner's explanation."""

    item_id: int
    title: str
    value: float
    effort_hours: float
    assignee: str
    partner: str | None
    why: str
    explanation: str


@dataclass(frozen=True)
class LeftOutLine(_AsJson):
    item_id: int
    title: str
    value: float
    effort_hours: float
    reason: str
    explanation: str


@dataclass(frozen=True)
class LoadLine(_AsJson):
    username: str
    capacity_hours: float
    hours: float


@dataclass(frozen=True)
class RefactorathonPlan(_AsJson):
    """A saved plan: solver status and reason, chosen and left-out items with reasons, loads, the version."""

    slug: str
    version: int
    status: str
    reason: str
    total_value: float
    total_effort_hours: float
    capacity_hours: float
    greedy_value: float
    solver_seconds: float
    chosen: tuple[PlanLine, ...]
    left_out: tuple[LeftOutLine, ...]
    loads: tuple[LoadLine, ...]
    planned_at: datetime | None


@dataclass(frozen=True)
class FileFigures(_AsJson):
    """One file's figures at a scan (the frozen form of metrics' scope figures)."""

    path: str
    complexity: int
    max_function_complexity: int
    violations: int
    markers: int
    cleanup_markers: int
    health: float | None
    hotspot_score: float | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FileFigures":
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ScanFigures(_AsJson):
    """A repository's files in scope at one scan, with the complexities of its top functions."""

    repository_id: int
    scan_id: int
    commit_sha: str
    committed_at: datetime | None
    files: tuple[FileFigures, ...]
    top_function_complexities: tuple[int, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ScanFigures":
        at = data.get("committed_at")
        return cls(repository_id=data["repository_id"], scan_id=data["scan_id"], commit_sha=data["commit_sha"],
                   committed_at=datetime.fromisoformat(at) if at else None,
                   files=tuple(FileFigures.from_json(row) for row in data["files"]),
                   top_function_complexities=tuple(data["top_function_complexities"]))


@dataclass(frozen=True)
class RefactorathonSnapshot(_AsJson):
    """The JSON contract of the figures an event freezes when it finishes (scans may lose their details later).

    `before` and `after` hold one ScanFigures per repository in scope.
    """

    taken_at: datetime
    before: tuple[ScanFigures, ...]
    after: tuple[ScanFigures, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RefactorathonSnapshot":
        return cls(taken_at=datetime.fromisoformat(data["taken_at"]),
                   before=tuple(ScanFigures.from_json(row) for row in data["before"]),
                   after=tuple(ScanFigures.from_json(row) for row in data["after"]))


@dataclass(frozen=True)
class FileDelta(_AsJson):
    """One file in scope before and after: each figure's change is after - before (None when unmeasured)."""

    repository_id: int
    path: str
    before: FileFigures | None
    after: FileFigures | None
    complexity_change: int
    violations_change: int
    markers_change: int
    cleanup_markers_change: int
    health_change: float | None
    hotspot_score_change: float | None


@dataclass(frozen=True)
class ReportTotals(_AsJson):
    """Totals over the scope: removals count positive; `hotspots_cooled` counts files whose score went down."""

    complexity_removed: int
    violations_fixed: int
    markers_removed: int
    cleanup_markers_removed: int
    health_gained: float
    hotspots_cooled: int
    files_before: int
    files_after: int


@dataclass(frozen=True)
class GoalResult(_AsJson):
    """A goal's value at the start and now (or at the end), and whether it is met."""

    goal_id: int
    kind: str
    label: str
    target: float
    path: str
    at_start: float | None
    now: float | None
    met: bool


@dataclass(frozen=True)
class Contribution(_AsJson):
    """A participant's part: items done, and commits touching the scope during the event (by author e-mail)."""

    username: str
    items_planned: int
    items_done: int
    commits_in_scope: int


@dataclass(frozen=True)
class RegressionLine(_AsJson):
    """A file the event cleaned, measured again weeks after the end; `worse` when its complexity, violations
    or markers rose again above the end's figures."""

    weeks: int
    repository_id: int
    path: str
    scan_id: int
    complexity_at_end: int
    complexity_later: int
    violations_at_end: int
    violations_later: int
    markers_at_end: int
    markers_later: int
    worse: bool


@dataclass(frozen=True)
class RegressionCheck(_AsJson):
    """The files the event cleaned, 4 and 8 weeks after its end (`checked` lists the weeks measured so far)."""

    checked: tuple[int, ...]
    lines: tuple[RegressionLine, ...]

    @property
    def worse(self) -> tuple[RegressionLine, ...]:
        return tuple(line for line in self.lines if line.worse)


@dataclass(frozen=True)
class RegressionScanned(_AsJson):
    """One regression point of an event's repository handled by a run: `outcome` is "scanned" (scan_id),
    "no_commit" (the repository has no commit that old: nothing to compare) or "failed" (retried next run)."""

    event: str
    weeks: int
    repository: str
    scan_id: int | None
    outcome: str


@dataclass(frozen=True)
class RefactorathonReport(_AsJson):
    """Before and after an event: per-file deltas, totals, items done against planned, goals, contributions,
    and the regression check. `frozen` says the figures come from the snapshot taken when it finished."""

    slug: str
    name: str
    status: str
    start: date
    end: date
    frozen: bool
    before_scan_ids: tuple[int, ...]
    after_scan_ids: tuple[int, ...]
    files: tuple[FileDelta, ...]
    totals: ReportTotals
    items_planned: int
    items_done: int
    goals: tuple[GoalResult, ...]
    contributions: tuple[Contribution, ...]
    regression: RegressionCheck


@dataclass(frozen=True)
class SprintFillProposal(_AsJson):
    """The planner's proposal for a sprint's remaining debt budget: the items to schedule, and why."""

    team_slug: str
    sprint_number: int
    capacity_hours: float
    status: str
    reason: str
    item_ids: tuple[int, ...]
    plan: RefactorathonPlan
