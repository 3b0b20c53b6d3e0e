"""Reads of a team's history across sprints: allocated vs spent vs committed, carry-over, code snapshots."""
from datetime import datetime
from typing import Any

from debt.selectors.history import debt_item_facts
from sprints import access
from sprints.data import HistoryRow, SnapshotFigures, TeamHistory
from sprints.ledger import TeamScope, build_ledger, hours2, local_today, scheduled_items
from sprints.models import Sprint, SprintSnapshot
from sprints.selectors.teams import sprint_info


def _snapshot(snapshot: SprintSnapshot | None) -> SnapshotFigures | None:
    if snapshot is None:
        return None
    return SnapshotFigures(recorded_at=snapshot.recorded_at, final=snapshot.final,
                           open_principal_hours=snapshot.open_principal_hours, files=snapshot.files,
                           mean_health=snapshot.mean_health, hotspot_score_sum=snapshot.hotspot_score_sum)


def team_history(*, slug: str, user: Any, now: datetime | None = None, last: int | None = None) -> TeamHistory:
    """A visible team's sprints up to the current one (the `last` N when given), oldest first.

    One ledger pass for all sprints (done events fetched once), one query for the scheduled items' facts
    and one for the snapshots, whatever the number of sprints.
    """
    team = access.team_visible(slug=slug, user=user)
    today = local_today(now)
    sprints = list(Sprint.objects.filter(team=team, start__lte=today).order_by("start", "number"))
    scope = TeamScope(team)
    scheduled = scheduled_items(sprints)
    rows = build_ledger(scope, sprints, scheduled)
    facts = debt_item_facts(item_ids={item_id for items in scheduled.values() for item_id in items})
    snapshots = {s.sprint_id: s for s in SprintSnapshot.objects.filter(sprint__in=sprints)}
    shown = rows[-last:] if last else rows
    history = []
    for row in shown:
        committed = sum(scope.hours(facts[i].repository_id, facts[i].effort)
                        for i in scheduled.get(row.sprint.pk, {}) if i in facts)
        history.append(HistoryRow(
            sprint=sprint_info(row.sprint, today=today), capacity_hours=hours2(row.capacity),
            allocated_hours=hours2(row.total), base_hours=hours2(row.base), carry_in_hours=hours2(row.carry_in),
            carry_out_hours=hours2(row.carry_out), spent_hours=hours2(row.spent),
            unplanned_hours=hours2(row.unplanned_hours), committed_hours=hours2(committed),
            capacity_share_spent=round(100 * row.spent / row.capacity, 1) if row.capacity else None,
            snapshot=_snapshot(snapshots.get(row.sprint.pk)),
        ))
    repositories = set(scope.repository_ids) | {fact.repository_id for fact in facts.values()}
    return TeamHistory(team_slug=team.slug, team_name=team.name, rows=tuple(history),
                       conversions=scope.conversions_used(repositories))
