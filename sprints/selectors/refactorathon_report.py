"""A refactorathon's report: before and after per file in scope, totals, items, goals, people, regressions.

Definitions (docs/planning.md, "Refactorathons"): "before" is the scan at the start (last commit before the
first day), "after" the scan at the end (while the event runs: each repository's current scan). A finished
event reads both from the snapshot frozen when it finished.
"""
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from debt.choices import Status
from debt.selectors.history import debt_item_facts
from metrics.selectors.repositories import repository_get
from metrics.selectors.scope_figures import scan_latest_between, scope_commit_list
from sprints import event_scope as scopes
from sprints.choices import REGRESSION_WEEKS, GoalKind
from sprints.data import (
    Contribution,
    FileDelta,
    FileFigures,
    GoalResult,
    RefactorathonReport,
    RefactorathonSnapshot,
    RegressionCheck,
    RegressionLine,
    ReportTotals,
    ScanFigures,
)
from sprints.ledger import day_start
from sprints.models import Refactorathon, RefactorathonGoal, RefactorathonItem, RefactorathonScope
from sprints.scan_figures import scan_figures
from sprints.selectors.refactorathons import participants_of

Files = dict[tuple[int, str], FileFigures]


def _figures(event: Refactorathon) -> tuple[tuple[ScanFigures, ...], tuple[ScanFigures, ...], bool]:
    if event.snapshot:
        snapshot = RefactorathonSnapshot.from_json(event.snapshot)
        return snapshot.before, snapshot.after, True
    before, after = [], []
    for scope in RefactorathonScope.objects.filter(event=event).order_by("pk"):
        prefixes = tuple(scope.prefixes) or ("",)
        if scope.start_scan_id is not None:
            before.append(scan_figures(scope.repository_id, scope.start_scan_id, prefixes))
        end_id = scope.end_scan_id or repository_get(repository_id=scope.repository_id).current_scan_id
        if end_id is not None:
            after.append(scan_figures(scope.repository_id, end_id, prefixes))
    return tuple(before), tuple(after), False


def _by_file(scans: Sequence[ScanFigures]) -> Files:
    return {(scan.repository_id, f.path): f for scan in scans for f in scan.files}


def _change(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 4)


def _get(figures: FileFigures | None, name: str, default: Any = 0) -> Any:
    """A figure of a file, or `default` when the file is absent at that scan (added or deleted)."""
    return getattr(figures, name) if figures is not None else default


def _delta(key: tuple[int, str], before: FileFigures | None, after: FileFigures | None) -> FileDelta:
    counts = {f"{name}_change": _get(after, name) - _get(before, name)
              for name in ("complexity", "violations", "markers", "cleanup_markers")}
    return FileDelta(
        repository_id=key[0], path=key[1], before=before, after=after, **counts,
        health_change=_change(_get(before, "health", None), _get(after, "health", None)),
        hotspot_score_change=_change(_get(before, "hotspot_score", None), _get(after, "hotspot_score", None)),
    )


def _totals(deltas: Sequence[FileDelta], before: Files, after: Files) -> ReportTotals:
    return ReportTotals(
        complexity_removed=-sum(d.complexity_change for d in deltas),
        violations_fixed=-sum(d.violations_change for d in deltas),
        markers_removed=-sum(d.markers_change for d in deltas),
        cleanup_markers_removed=-sum(d.cleanup_markers_change for d in deltas),
        health_gained=round(sum(d.health_change or 0 for d in deltas), 4),
        hotspots_cooled=sum(1 for d in deltas if (d.hotspot_score_change or 0) < 0),
        files_before=len(before), files_after=len(after),
    )


def _mean_health(files: Files) -> float | None:
    scored = [f.health for f in files.values() if f.health is not None]
    return round(sum(scored) / len(scored), 4) if scored else None


def _hotspot(files: Files, path: str) -> float | None:
    scores = [f.hotspot_score or 0 for (_, p), f in files.items() if p == path or p.startswith(path.rstrip("/") + "/")]
    return round(max(scores), 4) if scores else None


def _top10(scans: Sequence[ScanFigures]) -> float | None:
    values = sorted((c for scan in scans for c in scan.top_function_complexities), reverse=True)[:10]
    return float(max(values)) if values else None


def _goal_value(goal: RefactorathonGoal, files: Files, scans: Sequence[ScanFigures], done: int) -> float | None:
    if goal.kind == GoalKind.MEAN_HEALTH_AT_LEAST:
        return _mean_health(files)
    if goal.kind == GoalKind.HOTSPOT_SCORE_BELOW:
        return _hotspot(files, goal.path)
    if goal.kind == GoalKind.NO_MARKERS:
        return float(sum(f.cleanup_markers for f in files.values())) if scans else None
    if goal.kind == GoalKind.ITEMS_DONE_AT_LEAST:
        return float(done)
    return _top10(scans)


def _met(goal: RefactorathonGoal, value: float | None) -> bool:
    if value is None:
        return False
    if goal.kind in (GoalKind.MEAN_HEALTH_AT_LEAST, GoalKind.ITEMS_DONE_AT_LEAST):
        return value >= goal.target
    if goal.kind == GoalKind.HOTSPOT_SCORE_BELOW:
        return value < goal.target
    if goal.kind == GoalKind.NO_MARKERS:
        return value == 0
    return value <= goal.target


def _goals(event: Refactorathon, before: tuple, after: tuple, done: int) -> tuple[GoalResult, ...]:
    before_files, after_files = _by_file(before), _by_file(after)
    results = []
    for goal in RefactorathonGoal.objects.filter(event=event).order_by("id"):
        start = _goal_value(goal, before_files, before, 0)
        now = _goal_value(goal, after_files, after, done)
        results.append(GoalResult(goal_id=goal.pk, kind=goal.kind, label=GoalKind(goal.kind).label,
                                  target=goal.target, path=goal.path, at_start=start, now=now, met=_met(goal, now)))
    return tuple(results)


def _contributions(event: Refactorathon, done_by: dict[int | None, int], planned_by: dict[int | None, int],
                   scope: scopes.EventScope) -> tuple[Contribution, ...]:
    since, until = day_start(event.start), day_start(event.end + timedelta(days=1))
    commits = [commit for entry in scope.entries
               for commit in scope_commit_list(repository_id=entry.repository_id, since=since, until=until,
                                               prefixes=entry.prefixes or ("",))]
    rows = []
    for participant in participants_of(event):
        who = set(scopes.identities(participant.user))
        mine = sum(1 for c in commits if c.author_email.lower() in who or c.author in who)
        rows.append(Contribution(username=participant.user.get_username(),
                                 items_planned=planned_by.get(participant.user_id, 0),
                                 items_done=done_by.get(participant.user_id, 0), commits_in_scope=mine))
    return tuple(rows)


def _cleaned(deltas: Sequence[FileDelta]) -> list[FileDelta]:
    better = [d for d in deltas if d.complexity_change < 0 or d.violations_change < 0 or d.markers_change < 0]
    return [d for d in better if d.before and d.after]


def _regression(event: Refactorathon, deltas: Sequence[FileDelta], now: datetime) -> RegressionCheck:
    end = day_start(event.end + timedelta(days=1))
    cleaned = _cleaned(deltas)
    prefixes = {entry.repository_id: entry.prefixes or ("",) for entry in scopes.event_scope(event).entries}
    checked = [weeks for weeks in REGRESSION_WEEKS if end + timedelta(weeks=weeks) <= now]
    lines = [line for weeks in checked for repository_id in sorted({d.repository_id for d in cleaned})
             for line in _regression_lines(weeks, repository_id, cleaned, end, prefixes[repository_id])]
    return RegressionCheck(checked=tuple(checked), lines=tuple(lines))


def _regression_lines(weeks: int, repository_id: int, cleaned: Sequence[FileDelta], end: datetime,
                      prefixes: Sequence[str]) -> list[RegressionLine]:
    """The cleaned files of one repository at its newest scan up to `weeks` after the end (none: no lines)."""
    brief = scan_latest_between(repository_id=repository_id, after=end, until=end + timedelta(weeks=weeks))
    if brief is None:
        return []
    later = _by_file((scan_figures(repository_id, brief.scan_id, prefixes),))
    lines = (_regression_line(weeks, d, later.get((repository_id, d.path)), brief.scan_id)
             for d in cleaned if d.repository_id == repository_id)
    return [line for line in lines if line is not None]


def _regression_line(weeks: int, delta: FileDelta, later: FileFigures | None, scan_id: int) -> RegressionLine | None:
    end = delta.after
    if end is None or later is None:
        return None
    worse = (later.complexity > end.complexity or later.violations > end.violations or later.markers > end.markers)
    return RegressionLine(weeks=weeks, repository_id=delta.repository_id, path=delta.path, scan_id=scan_id,
                          complexity_at_end=end.complexity, complexity_later=later.complexity,
                          violations_at_end=end.violations, violations_later=later.violations,
                          markers_at_end=end.markers, markers_later=later.markers, worse=worse)


def _items(event: Refactorathon) -> tuple[int, int, dict[int | None, int], dict[int | None, int]]:
    rows = list(RefactorathonItem.objects.filter(event=event, chosen=True).values_list("item_id", "assignee_id"))
    facts = debt_item_facts(item_ids=[item_id for item_id, _ in rows])
    done_by: dict[int | None, int] = {}
    planned_by: dict[int | None, int] = {}
    for item_id, assignee_id in rows:
        planned_by[assignee_id] = planned_by.get(assignee_id, 0) + 1
        if item_id in facts and facts[item_id].status == Status.DONE:
            done_by[assignee_id] = done_by.get(assignee_id, 0) + 1
    return len(rows), sum(done_by.values()), done_by, planned_by


def refactorathon_report(*, slug: str, user: Any, now: datetime | None = None) -> RefactorathonReport:
    """The event's before/after report (read-only: scans are made by refactorathon_scans' services)."""
    event = scopes.visible(slug, user)
    now = now or timezone.now()
    before, after, frozen = _figures(event)
    before_files, after_files = _by_file(before), _by_file(after)
    deltas = [_delta(key, before_files.get(key), after_files.get(key))
              for key in sorted(set(before_files) | set(after_files))]
    planned, done, done_by, planned_by = _items(event)
    return RefactorathonReport(
        slug=event.slug, name=event.name, status=event.status, start=event.start, end=event.end, frozen=frozen,
        before_scan_ids=tuple(s.scan_id for s in before), after_scan_ids=tuple(s.scan_id for s in after),
        files=tuple(deltas), totals=_totals(deltas, before_files, after_files), items_planned=planned,
        items_done=done, goals=_goals(event, before, after, done),
        contributions=_contributions(event, done_by, planned_by, scopes.event_scope(event)),
        regression=_regression(event, deltas, now),
    )
